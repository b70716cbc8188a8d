"""A connection bounds the requests it has sent and not yet seen answered.

Fake app-server methods: ``hang`` never answers; ``seen`` answers with every method it got.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import anyio
import pytest

from openai_codex_transport import (
    DEFAULT_MAX_REQUESTS_IN_FLIGHT,
    JsonRpcConnection,
    RequestTimeoutError,
    StdioTransport,
)

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


async def test_requests_beyond_the_bound_wait_and_are_not_sent(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, max_requests_in_flight=3) as conn:
        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for _ in range(3):  # three slots taken by requests never answered
                    tg.start_soon(partial(conn.request, "hang", {}, timeout=None))
                await anyio.wait_all_tasks_blocked()
                assert conn.pending_requests == 3
                # a fourth waits for a slot, within its deadline, and is never sent
                with pytest.raises(RequestTimeoutError):
                    await conn.request("echo", 4, timeout=0.3)
                tg.cancel_scope.cancel()  # frees the three slots
            seen = await conn.request("seen", {}, timeout=10)
        assert seen.count("hang") == 3
        assert "echo" not in seen
        # slots come back: many more than the bound, one after another and at once
        for n in range(10):
            assert await conn.request("echo", n, timeout=10) == n
        results: list[int] = []

        async def echo(n: int) -> None:
            results.append(await conn.request("echo", n, timeout=10))

        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for n in range(40):
                    tg.start_soon(echo, n)
        assert sorted(results) == list(range(40))


async def test_bound_is_checked_and_can_be_lifted(fake_argv: FakeArgv) -> None:
    assert DEFAULT_MAX_REQUESTS_IN_FLIGHT == 32
    transport = await StdioTransport.spawn(fake_argv())
    with pytest.raises(ValueError, match="max_requests_in_flight must be a positive int"):
        JsonRpcConnection(transport, max_requests_in_flight=0)
    async with JsonRpcConnection(transport, max_requests_in_flight=None) as conn:
        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for _ in range(50):
                    tg.start_soon(partial(conn.request, "hang", {}, timeout=None))
                await anyio.wait_all_tasks_blocked()
                assert conn.pending_requests == 50
                tg.cancel_scope.cancel()
