"""The connection over stdio against the real runtime (openai-codex-cli-bin)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import pytest

from openai_codex_transport import (
    InvalidRequestError,
    JsonRpcConnection,
    JsonRpcError,
    RequestTimeoutError,
    StdioTransport,
    TransportClosedError,
)

pytestmark = pytest.mark.anyio

StopChild = Callable[[int], Awaitable[None]]


@pytest.fixture
async def runtime(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> AsyncIterator[tuple[JsonRpcConnection, StdioTransport, list[tuple[str, Any]]]]:
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    notes: list[tuple[str, Any]] = []
    conn = JsonRpcConnection(transport, on_notification=lambda m, p: notes.append((m, p)))
    await conn.start()
    with anyio.fail_after(30):
        await conn.request("initialize", init_params)
        await conn.notify("initialized")
    try:
        yield conn, transport, notes
    finally:
        await conn.aclose()
        assert transport.returncode is not None  # reaped


async def test_initialize_over_stdio(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> None:
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    async with JsonRpcConnection(transport) as conn:
        with anyio.fail_after(30):
            result = await conn.request("initialize", init_params)
        assert result["userAgent"].startswith("transport_tests/")
        assert result["codexHome"] == codex_env["CODEX_HOME"]
        await conn.notify("initialized")
        started = await conn.request("thread/start", {}, timeout=30)
        assert started["thread"]["id"]
    assert conn.closed
    assert transport.returncode is not None


async def test_bad_params_map_to_invalid_request(runtime: Any) -> None:
    conn, _, _ = runtime
    with pytest.raises(InvalidRequestError) as info:
        await conn.request("thread/start", {"cwd": 7}, timeout=30)
    assert info.value.code == -32600
    # the connection keeps working after an error response
    assert isinstance(await conn.request("model/list", {}, timeout=30), dict)
    assert conn.pending_requests == 0


async def test_concurrent_requests_from_many_tasks(runtime: Any) -> None:
    """Many tasks, each with several requests in flight: every task gets its own answer."""
    conn, _, _ = runtime
    errors: dict[int, str] = {}
    threads: dict[int, str] = {}

    async def worker(i: int) -> None:
        for j in range(5):
            missing = f"00000000-0000-4000-8000-{i:06d}{j:06d}"
            try:
                await conn.request("thread/read", {"threadId": missing}, timeout=30)
            except JsonRpcError as exc:
                errors[i * 10 + j] = exc.message
            if j == 0:
                result = await conn.request("thread/start", {"ephemeral": True}, timeout=30)
                threads[i] = result["thread"]["id"]

    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            for i in range(40):
                tg.start_soon(worker, i)
    assert len(errors) == 200
    for key, message in errors.items():
        i, j = divmod(key, 10)
        assert f"{i:06d}{j:06d}" in message  # the answer to *this* request, not a neighbour's
    assert len(set(threads.values())) == 40
    assert conn.pending_requests == 0
    assert conn.stats.unknown_responses == 0


async def test_request_timeout_removes_the_waiter(runtime: Any, stop_child: StopChild) -> None:
    conn, transport, _ = runtime
    await stop_child(transport.pid)  # the runtime cannot answer while stopped
    try:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as info:
            await conn.request("model/list", {}, timeout=0.3)
        assert 0.25 < time.monotonic() - started < 5
        assert isinstance(info.value, TimeoutError)
        assert conn.pending_requests == 0
    finally:
        os.kill(transport.pid, signal.SIGCONT)
    # the connection keeps working; the late answer is dropped and counted when it comes
    await conn.request("model/list", {}, timeout=30)
    with anyio.fail_after(10):
        while conn.stats.unknown_responses == 0:  # noqa: ASYNC110 - a counter, no event
            await anyio.sleep(0.01)
    assert conn.stats.unknown_responses == 1


async def test_connection_default_deadline_with_a_stopped_runtime(
    runtime: Any, stop_child: StopChild
) -> None:
    """A request that names no timeout still ends: at the connection's request_timeout."""
    conn, transport, _ = runtime
    conn.request_timeout = 0.5
    await stop_child(transport.pid)  # the runtime cannot answer while stopped
    try:
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(RequestTimeoutError) as info:
            await conn.request("thread/start", {})
        assert 0.5 <= time.monotonic() - started < 0.5 + 1.5
        assert (info.value.method, info.value.timeout) == ("thread/start", 0.5)
        assert conn.pending_requests == 0
    finally:
        os.kill(transport.pid, signal.SIGCONT)
    conn.request_timeout = 30
    assert isinstance(await conn.request("model/list", {}), dict)


async def test_cancellation_leaves_no_waiter(runtime: Any, stop_child: StopChild) -> None:
    conn, transport, _ = runtime
    await stop_child(transport.pid)  # the runtime cannot answer while stopped
    try:
        with anyio.move_on_after(0.2) as scope:
            await conn.request("model/list", {})
        assert scope.cancelled_caught
        assert conn.pending_requests == 0
    finally:
        os.kill(transport.pid, signal.SIGCONT)
    with anyio.fail_after(30):
        await conn.request("model/list", {})
    assert conn.pending_requests == 0


async def test_runtime_killed_during_a_request(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
    stop_child: StopChild,
) -> None:
    """kill -9 while a request is pending: it and every later one fail fast, close is quiet."""
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    closed: list[TransportClosedError] = []
    conn = JsonRpcConnection(transport, on_close=closed.append)
    await conn.start()
    await conn.request("initialize", init_params, timeout=30)
    await stop_child(transport.pid)  # keep the next request pending for sure
    outcome: dict[str, Any] = {}
    sent = anyio.Event()
    original_send = transport.send_bytes

    async def send_and_signal(data: bytes) -> None:
        await original_send(data)
        sent.set()

    transport.send_bytes = send_and_signal  # type: ignore[method-assign]

    async def pending_request() -> None:
        try:
            await conn.request("model/list", {})
        except TransportClosedError as exc:
            outcome["error"] = exc
            outcome["at"] = time.monotonic()

    async with anyio.create_task_group() as tg:
        tg.start_soon(pending_request)
        with anyio.fail_after(5):
            await sent.wait()
        assert conn.pending_requests == 1
        killed_at = time.monotonic()
        os.kill(transport.pid, signal.SIGKILL)
    detect = outcome["at"] - killed_at
    print(f"dead runtime detected in {detect * 1000:.1f} ms")
    assert detect < 1.0
    error = outcome["error"]
    assert error.exit_code == -signal.SIGKILL
    assert "SIGKILL" in error.message
    assert len(closed) == 1
    assert closed[0].exit_code == -signal.SIGKILL
    started = time.monotonic()
    with pytest.raises(TransportClosedError):
        await conn.request("model/list", {})
    with pytest.raises(TransportClosedError):
        await conn.notify("initialized")
    assert time.monotonic() - started < 1.0
    await conn.aclose()  # does not raise
    await conn.aclose()
    assert len(closed) == 1


async def test_detached_start_and_close_from_another_task(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> None:
    """start() needs no task group of the caller; any task may request or close."""
    holder: dict[str, JsonRpcConnection] = {}

    async def opener() -> None:  # returns while the reader keeps running
        transport = await StdioTransport.spawn(
            codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
        )
        holder["conn"] = JsonRpcConnection(transport)
        await holder["conn"].start()

    with anyio.fail_after(30):
        async with anyio.create_task_group() as tg:
            tg.start_soon(opener)
        conn = holder["conn"]
        async with anyio.create_task_group() as tg:
            tg.start_soon(conn.request, "initialize", init_params)
        result = await conn.request("model/list", {})
        assert isinstance(result, dict)
        async with anyio.create_task_group() as tg:
            tg.start_soon(conn.aclose)
            tg.start_soon(conn.aclose)
    assert conn.closed
    with pytest.raises(TransportClosedError, match="closed by the client"):
        await conn.request("model/list", {})


async def test_close_is_bounded_and_reaps(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> None:
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    conn = JsonRpcConnection(transport)
    await conn.request("initialize", init_params, timeout=30)  # starts lazily
    started = time.monotonic()
    await conn.aclose()
    assert time.monotonic() - started < 5
    assert transport.returncode == 0  # it exited on its own when stdin closed
