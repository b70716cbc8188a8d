"""Steer and interrupt (async): change a running turn's course, or stop it."""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex
from openai_codex.testing import Reply

OFFLINE_REPLIES = (
    Reply.text("Once upon a time, in a land far away, there lived " * 3, deltas=30, delay=0.05),
    Reply.text("The end: a one-sentence story, as you asked."),
    Reply.hang(partial_text="1, 2, 3, 4, 5, "),
)


async def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()

            handle = await thread.turn("Tell me a long story.")
            steered = False
            async for event in handle.stream():
                if event.method == "item/agentMessage/delta" and not steered:
                    await handle.steer("Actually, finish it in one sentence.")
                    steered = True
                elif event.method == "item/completed" and event.payload.item.type == "agentMessage":
                    print(f"agent: {event.payload.item.text}")
                elif event.method == "turn/completed":
                    print(f"steered turn: {event.payload.turn.status}\n")

            handle = await thread.turn("Count to one million, one number at a time.")
            async for event in handle.stream():
                if event.method == "item/agentMessage/delta":
                    print(f"agent started: {event.payload.delta!r}; interrupting")
                    await handle.interrupt()
                elif event.method == "turn/completed":
                    print(f"interrupted turn: {event.payload.turn.status}")


if __name__ == "__main__":
    asyncio.run(main())
