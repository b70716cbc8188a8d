"""Error handling and retry (async): TurnFailedError, JsonRpcError, retrying a turn."""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex, JsonRpcError, TurnFailedError
from openai_codex.testing import Reply

OFFLINE_REPLIES = (Reply.error(500, "the model is having a bad day"),)


async def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            for attempt in range(1, 4):
                try:
                    result = await thread.run("Say hello.")
                except TurnFailedError as exc:
                    print(f"attempt {attempt} failed: {exc.message} (info: {exc.codex_error_info})")
                    await asyncio.sleep(0.1 * attempt)  # back off before a new turn
                    continue
                print(f"attempt {attempt} succeeded: {result.final_response}")
                break

            try:
                await codex.thread_resume("00000000-0000-0000-0000-000000000000")
            except JsonRpcError as exc:
                print(f"thread_resume refused: {type(exc).__name__} code={exc.code}: {exc.message}")


if __name__ == "__main__":
    asyncio.run(main())
