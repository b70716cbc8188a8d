"""Streaming (async): print a turn's answer as it arrives.

``await thread.turn(...)`` returns a handle; ``async for event in handle.stream()``
yields that turn's notifications only, ending with its ``turn/completed``.
"""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex
from openai_codex.testing import Reply

OFFLINE_REPLY = Reply.text(
    "Streaming means you see the answer piece by piece, as the model writes it.",
    deltas=8,
)


async def main() -> None:
    with example_config(OFFLINE_REPLY) as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            turn = await thread.turn("Explain streaming in one sentence.")
            deltas = 0
            async for event in turn.stream():
                if event.method == "item/agentMessage/delta":
                    deltas += 1
                    print(event.payload.delta, end="", flush=True)
                elif event.method == "turn/completed":
                    print(f"\n[turn {event.payload.turn.status}]")
            print(f"deltas received: {deltas}")


if __name__ == "__main__":
    asyncio.run(main())
