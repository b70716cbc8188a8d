"""Closing the stdio transport escalates quickly when the child ignores EOF and SIGTERM
(the runtime does while turns are active)."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import anyio
import pytest

from openai_codex_transport import JsonRpcConnection, StdioTransport
from openai_codex_transport.stdio import DEFAULT_GRACEFUL_TIMEOUT, DEFAULT_TERMINATE_TIMEOUT

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


async def test_close_with_defaults_kills_a_child_ignoring_eof_and_sigterm(
    fake_argv: FakeArgv,
) -> None:
    transport = await StdioTransport.spawn(fake_argv("--ignore-sigterm"))
    conn = JsonRpcConnection(transport)
    assert await conn.request("echo", 1, timeout=10) == 1
    started = time.monotonic()
    with anyio.fail_after(10):
        await conn.aclose()
    elapsed = time.monotonic() - started
    print(f"close() of a child ignoring EOF and SIGTERM: {elapsed * 1000:.0f} ms")
    bound = DEFAULT_GRACEFUL_TIMEOUT + DEFAULT_TERMINATE_TIMEOUT
    assert bound <= 1.0
    assert elapsed < bound + 0.5
    assert transport.returncode == -signal.SIGKILL


async def test_close_of_a_cooperative_child_is_quick(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    conn = JsonRpcConnection(transport)
    assert await conn.request("echo", 1, timeout=10) == 1
    started = time.monotonic()
    with anyio.fail_after(10):
        await conn.aclose()
    assert time.monotonic() - started < DEFAULT_GRACEFUL_TIMEOUT
    assert transport.returncode == 0  # it exited on its own at EOF, no signal needed
