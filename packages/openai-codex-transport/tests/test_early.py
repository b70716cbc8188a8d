"""A child started before any event loop (``EarlyChild``) and adopted by one
(``StdioTransport.adopt``) works and closes like a spawned one, on asyncio and trio."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import anyio
import pytest
import sniffio

from openai_codex_transport import (
    EarlyChild,
    JsonRpcConnection,
    StdioTransport,
    early_start_supported,
)

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(not early_start_supported(), reason="no pidfd on this system"),
]

FakeArgv = Callable[..., list[str]]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_an_adopted_child_answers_and_closes_cleanly(fake_argv: FakeArgv) -> None:
    fds = _open_fds()
    child = EarlyChild.start(fake_argv())
    with anyio.fail_after(30):
        transport = await StdioTransport.adopt(child)
        assert child.adopted
        # on asyncio the loop's pipe reader hands reads on directly (as for a spawned child)
        assert transport._direct == (sniffio.current_async_library() == "asyncio")
        conn = JsonRpcConnection(transport)
        assert await conn.request("echo", {"n": 1}, timeout=10) == {"n": 1}
        big = "x" * 400_000  # more than a pipe holds: written in pieces, read whole
        assert await conn.request("echo", big, timeout=10) == big
        await conn.aclose()
    assert transport.returncode == 0
    child.discard()  # a no-op once adopted
    assert _open_fds() <= fds


async def test_an_adopted_child_ignoring_eof_and_sigterm_is_killed(fake_argv: FakeArgv) -> None:
    child = EarlyChild.start(fake_argv("--ignore-sigterm"))
    with anyio.fail_after(30):
        transport = await StdioTransport.adopt(child)
        conn = JsonRpcConnection(transport)
        assert await conn.request("echo", 1, timeout=10) == 1
        await conn.aclose()
    assert transport.returncode == -signal.SIGKILL


async def test_the_death_of_an_adopted_child_is_reported(fake_argv: FakeArgv) -> None:
    from openai_codex_transport import TransportClosedError

    child = EarlyChild.start(fake_argv())
    with anyio.fail_after(30):
        transport = await StdioTransport.adopt(child)
        conn = JsonRpcConnection(transport)
        assert await conn.request("echo", 1, timeout=10) == 1
        os.kill(transport.pid, signal.SIGKILL)
        with pytest.raises(TransportClosedError, match="SIGKILL"):
            await conn.request("echo", 2, timeout=10)
        await conn.aclose()


def test_a_child_never_adopted_is_killed_and_reaped(fake_argv: FakeArgv) -> None:
    fds = _open_fds()
    child = EarlyChild.start(fake_argv())
    pid = child.popen.pid
    child.discard()
    assert child.popen.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    child.discard()  # idempotent
    assert _open_fds() <= fds
