"""A large message is not kept alive by the connection once its consumer dropped it.

Fake app-server method: ``big`` answers a string of ``params.size`` characters (one line).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

import anyio
import pytest

from openai_codex_transport import JsonRpcConnection, StdioTransport

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]
SIZE = 4 * 1024 * 1024


def _largest_block() -> int:
    snapshot = tracemalloc.take_snapshot()
    return max((stat.size for stat in snapshot.statistics("traceback")), default=0)


async def test_a_big_answer_is_released_while_the_reader_waits(
    fake_argv: FakeArgv, anyio_backend_name: str
) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport) as conn:
        assert await conn.request("echo", 1, timeout=10) == 1
        tracemalloc.start()
        try:
            with anyio.fail_after(30):
                answer = await conn.request("big", {"size": SIZE}, timeout=30)
            assert len(answer["data"]) == SIZE
            assert _largest_block() >= SIZE  # the answer itself, while we hold it
            del answer
            gc.collect()
            if anyio_backend_name == "asyncio":
                # asyncio itself holds a finished future's result until its next step
                assert await conn.request("echo", 2, timeout=10) == 2
                gc.collect()
            # the reader is now waiting for the next message: nothing of the last one stays
            assert _largest_block() < SIZE // 4
        finally:
            tracemalloc.stop()
