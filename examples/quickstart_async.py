"""Quickstart (async): the same as quickstart_sync.py with AsyncCodex.

AsyncCodex starts the runtime lazily (on ``async with`` or the first call) and works
under asyncio and trio.
"""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex


async def main() -> None:
    with example_config() as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            result = await thread.run("Say hello in one short sentence.")
            print(result.final_response)
            print(f"turn {result.id}: {result.status}, {len(result.items)} items")


if __name__ == "__main__":
    asyncio.run(main())
