"""Every request has a deadline: the connection's ``request_timeout`` unless the call names one.

Fake app-server methods: ``hang`` never answers; ``slow`` answers after ``seconds``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from openai_codex_transport import (
    DEFAULT_REQUEST_TIMEOUT,
    USE_CONNECTION_DEFAULT,
    CodexError,
    JsonRpcConnection,
    RequestTimeoutError,
    StdioTransport,
)

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


async def test_connection_default_deadline(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, request_timeout=0.3) as conn:
        assert conn.request_timeout == 0.3
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(RequestTimeoutError) as info:
            await conn.request("hang", {})
        elapsed = time.monotonic() - started
        assert 0.3 <= elapsed < 0.3 + 1.0
        error = info.value
        assert (error.method, error.timeout) == ("hang", 0.3)
        assert "'hang'" in str(error)
        assert "0.3 s" in str(error)
        assert isinstance(error, CodexError)
        assert isinstance(error, TimeoutError)  # compat: code catching TimeoutError still works
        assert conn.pending_requests == 0  # the id is forgotten
        assert await conn.request("echo", 1, timeout=10) == 1


async def test_per_call_timeout_overrides_the_default(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, request_timeout=0.2) as conn:
        # None: no deadline, for methods that legitimately run long
        with anyio.fail_after(10):
            assert await conn.request("slow", {"seconds": 0.6}, timeout=None) == "late"
        assert conn.stats.unknown_responses == 0
        with anyio.fail_after(10):
            assert await conn.request("slow", {"seconds": 0.4}, timeout=5) == "late"
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as info:
            await conn.request("hang", timeout=0.1)
        assert info.value.timeout == 0.1
        assert time.monotonic() - started < 0.1 + 1.0
        with pytest.raises(RequestTimeoutError):
            await conn.request("hang", timeout=USE_CONNECTION_DEFAULT)


async def test_late_answer_is_dropped_quietly(
    fake_argv: FakeArgv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="openai_codex_transport")
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, request_timeout=0.1) as conn:
        with pytest.raises(RequestTimeoutError):
            await conn.request("slow", {"seconds": 0.5})
        # the fake answers in order: the late answer arrives before this one's
        assert await conn.request("echo", 2, timeout=10) == 2
        assert conn.stats.unknown_responses == 1
    assert "unknown request id" not in caplog.text  # a late answer to our own id: no warning


async def test_no_deadline_connection(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, request_timeout=None) as conn:
        assert conn.request_timeout is None
        with anyio.move_on_after(0.3) as scope:
            await conn.request("hang")
        assert scope.cancelled_caught  # waited until the caller gave up
        assert conn.pending_requests == 0


def test_default_is_finite() -> None:
    assert 0 < DEFAULT_REQUEST_TIMEOUT < math.inf


@pytest.mark.parametrize(
    ("value", "error"),
    [("5", TypeError), (True, TypeError), ([1], TypeError), (0, ValueError), (-1, ValueError)],
)
async def test_bad_timeouts_are_refused_at_the_call(
    fake_argv: FakeArgv, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="request_timeout"):
        JsonRpcConnection(object(), request_timeout=value)  # type: ignore[arg-type]
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport) as conn:
        with pytest.raises(error, match="timeout must be"):
            await conn.request("echo", 1, timeout=value)
        with pytest.raises(ValueError, match="timeout"):
            await conn.request("echo", 1, timeout=math.nan)
        assert conn.pending_requests == 0
        assert await conn.request("echo", 1, timeout=math.inf) == 1  # inf: no deadline


async def test_an_error_answer_tells_what_is_left_of_the_deadline(fake_argv: FakeArgv) -> None:
    """A refusal carries ``seconds_left`` (a retry uses it: no second clock read per request);
    without a deadline it is None."""
    from openai_codex_transport import ServerBusyError

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, request_timeout=None) as conn:
        with anyio.fail_after(10), pytest.raises(ServerBusyError) as info:
            await conn.request("busy", {"key": "left", "times": 5}, timeout=30)
        assert info.value.seconds_left is not None
        assert 20 < info.value.seconds_left <= 30
        with anyio.fail_after(10), pytest.raises(ServerBusyError) as info:
            await conn.request("busy", {"key": "left", "times": 5})
        assert info.value.seconds_left is None
