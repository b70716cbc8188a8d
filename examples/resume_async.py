"""Resume (async): continue a thread in a new client by its id."""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex


async def main() -> None:
    with example_config() as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            first = await thread.run("Remember the word 'pineapple'.")
            print(f"first client, thread {thread.id}: {first.final_response}")
            thread_id = thread.id

        async with AsyncCodex(config) as codex:
            thread = await codex.thread_resume(thread_id)
            again = await thread.run("Which word did I ask you to remember?")
            print(f"second client, thread {thread.id}: {again.final_response}")


if __name__ == "__main__":
    asyncio.run(main())
