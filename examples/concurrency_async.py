"""Concurrency (async): several turns on several threads at once, on one client.

Each task awaits its own turn; the client routes every event to the turn it belongs
to. Uses ``asyncio.gather``; the same code works with trio/anyio task groups.
"""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex

TOPICS = ["rivers", "mountains", "deserts"]


async def one_fact(codex: AsyncCodex, topic: str) -> str:
    thread = await codex.thread_start()
    result = await thread.run(f"One fact about {topic}, in one sentence.")
    return f"{topic}: {result.final_response}"


async def main() -> None:
    with example_config() as config:
        async with AsyncCodex(config) as codex:
            for line in await asyncio.gather(*(one_fact(codex, topic) for topic in TOPICS)):
                print(line)


if __name__ == "__main__":
    asyncio.run(main())
