"""Multi-turn (async): several turns on one thread; the thread keeps the conversation."""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex
from openai_codex.testing import Reply

OFFLINE_REPLIES = (
    Reply.text("Noted: your favourite colour is green."),
    Reply.text("You told me your favourite colour is green."),
)


async def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            for prompt in [
                "My favourite colour is green. Just acknowledge it.",
                "What is my favourite colour?",
            ]:
                result = await thread.run(prompt)
                print(f"> {prompt}\n{result.final_response}\n")
            history = await thread.read(include_turns=True)
            print(f"thread {thread.id} has {len(history.thread.turns)} turns")


if __name__ == "__main__":
    asyncio.run(main())
