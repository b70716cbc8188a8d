"""Faults the real runtime cannot be made to show on demand, with the scripted fake app-server."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from openai_codex_transport import (
    CodexBinaryNotFoundError,
    InvalidParamsError,
    JsonRpcConnection,
    JsonRpcError,
    NotificationOverflowError,
    RequestTimeoutError,
    ServerBusyError,
    StdioTransport,
    TransportClosedError,
    UnencodableValueError,
    is_retryable_error,
)
from openai_codex_transport import _reader as reader_module
from openai_codex_transport import connection as connection_module

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


@pytest.fixture
async def fake(fake_argv: FakeArgv) -> AsyncIterator[JsonRpcConnection]:
    transport = await StdioTransport.spawn(fake_argv(), graceful_timeout=2.0)
    conn = JsonRpcConnection(transport)
    await conn.start()
    try:
        yield conn
    finally:
        await conn.aclose()
        assert transport.returncode is not None


async def test_runtime_dies_during_a_request(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(fake_argv("--banner", "fake app-server starting"))
    closed: list[TransportClosedError] = []
    conn = JsonRpcConnection(transport, on_close=closed.append)
    await conn.start()
    assert await conn.request("echo", {"a": 1}, timeout=10) == {"a": 1}
    hanging: dict[str, Any] = {}

    async def hang() -> None:
        try:
            await conn.request("hang")
        except TransportClosedError as exc:
            hanging["error"] = exc

    async with anyio.create_task_group() as tg:
        tg.start_soon(hang)
        started = time.monotonic()
        with anyio.fail_after(5), pytest.raises(TransportClosedError) as info:
            await conn.request("die", {"code": 3, "stderr": "fatal: simulated crash\n"})
        assert time.monotonic() - started < 1.0
    error = info.value
    assert error.exit_code == 3
    assert error.stderr_tail is not None
    assert "fatal: simulated crash" in error.stderr_tail
    assert "fake app-server starting" in error.stderr_tail
    assert "exited with code 3" in str(error)
    assert hanging["error"].exit_code == 3  # the other pending request failed too
    assert conn.closed
    assert conn.close_error is not None
    assert len(closed) == 1
    for _ in range(3):  # later requests: the same error at once, never BrokenPipeError
        started = time.monotonic()
        with pytest.raises(TransportClosedError) as later:
            await conn.request("echo", {})
        assert later.value.exit_code == 3
        assert time.monotonic() - started < 1.0
    # the transport itself also refuses cleanly
    with pytest.raises(TransportClosedError):
        await transport.send({"method": "x"})
    await conn.aclose()
    await conn.aclose()


async def test_write_to_a_dead_child_is_transport_closed(fake_argv: FakeArgv) -> None:
    """The child is gone before the reader noticed: the send raises TransportClosedError."""
    transport = await StdioTransport.spawn(fake_argv())
    try:
        await transport.send({"id": 1, "method": "die", "params": {"code": 5}})

        async def keep_sending() -> None:
            for _ in range(1000):
                await transport.send({"id": 2, "method": "echo", "params": {"x": "y" * 4096}})

        with anyio.fail_after(5), pytest.raises(TransportClosedError) as info:
            await keep_sending()
        assert info.value.exit_code == 5
    finally:
        await transport.aclose()


async def test_malformed_messages_are_logged_counted_and_skipped(
    fake: JsonRpcConnection, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="openai_codex_transport")
    assert await fake.request("garbage", timeout=10) == {"ok": True}
    stats = fake.stats
    assert stats.malformed_messages == 3  # bad JSON, a list, a string
    assert stats.unknown_responses == 1
    assert stats.invalid_messages == 1
    text = caplog.text
    assert "malformed" in text
    assert "not a JSON object" in text
    assert "unknown request id 987654" in text
    assert await fake.request("echo", [1, 2], timeout=10) == [1, 2]  # still working


async def test_server_request_handler_outcomes(fake_argv: FakeArgv) -> None:
    async def on_request(method: str, params: Any) -> Any:
        if method == "ok":
            return {"decision": "accept", "echo": params}
        if method == "rpc-error":
            raise InvalidParamsError(-32602, "bad approval params", {"field": "x"})
        if method == "boom":
            raise ValueError("handler exploded")
        if method == "slow":
            await anyio.sleep_forever()
        if method == "not-json":
            return {"value": object()}
        raise AssertionError(method)

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(
        transport, on_request=on_request, request_handler_timeout=0.3
    ) as conn:

        async def ask(method: str) -> dict[str, Any]:
            with anyio.fail_after(10):
                result = await conn.request("ask", {"method": method, "params": {"n": 1}})
            return result["reply"]  # type: ignore[no-any-return]

        assert (await ask("ok"))["result"] == {"decision": "accept", "echo": {"n": 1}}
        assert (await ask("rpc-error"))["error"] == {
            "code": -32602,
            "message": "bad approval params",
            "data": {"field": "x"},
        }
        boom = (await ask("boom"))["error"]
        assert boom["code"] == -32603
        assert "handler exploded" in boom["message"]
        started = time.monotonic()
        slow = (await ask("slow"))["error"]
        assert slow["code"] == -32603
        assert "timed out" in slow["message"]
        assert time.monotonic() - started < 5
        assert (await ask("not-json"))["error"]["code"] == -32603
        assert conn.stats.server_request_errors == 4
        assert await conn.request("echo", "still here", timeout=10) == "still here"


async def test_late_response_after_timeout_is_dropped_and_counted(fake: JsonRpcConnection) -> None:
    with pytest.raises(RequestTimeoutError):
        await fake.request("slow", {"seconds": 0.5}, timeout=0.1)
    assert fake.pending_requests == 0
    # the fake answers in order: the late "slow" answer comes before this one's
    assert await fake.request("echo", 2, timeout=10) == 2
    assert fake.stats.unknown_responses == 1
    assert fake.stats.responses == 1


async def test_server_request_without_handler_is_method_not_found(fake: JsonRpcConnection) -> None:
    result = await fake.request("ask", {"method": "item/tool/call", "params": {}}, timeout=10)
    assert result["reply"]["error"]["code"] == -32601


async def test_slow_handler_does_not_stall_the_reader(fake_argv: FakeArgv) -> None:
    release = anyio.Event()
    seen: list[int] = []

    async def on_request(method: str, params: Any) -> Any:
        await release.wait()
        return "released"

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(
        transport,
        on_request=on_request,
        on_notification=lambda method, params: seen.append(params["i"]),
    ) as conn:
        async with anyio.create_task_group() as tg:
            replies: list[Any] = []

            async def ask() -> None:
                replies.append(await conn.request("ask", {"method": "approval"}))

            tg.start_soon(ask)
            with anyio.fail_after(10):
                # while the handler is blocked, other traffic flows in wire order
                assert await conn.request("notify", {"count": 50}) == {"sent": 50}
            assert seen == list(range(50))
            assert not replies
            release.set()
        assert replies[0]["reply"]["result"] == "released"


async def test_child_ignoring_sigterm_is_killed_within_the_bound(fake_argv: FakeArgv) -> None:
    transport = await StdioTransport.spawn(
        fake_argv("--ignore-sigterm"), graceful_timeout=0.3, terminate_timeout=0.3
    )
    conn = JsonRpcConnection(transport)
    assert await conn.request("echo", 1, timeout=10) == 1
    started = time.monotonic()
    with anyio.fail_after(10):
        await conn.aclose()
    elapsed = time.monotonic() - started
    assert elapsed < 0.3 + 0.3 + 1.5
    assert transport.returncode == -signal.SIGKILL


async def test_16_mib_line_is_read_whole(fake: JsonRpcConnection) -> None:
    size = 16 * 1024 * 1024
    with anyio.fail_after(60):
        result = await fake.request("big", {"size": size})
    assert len(result["data"]) == size
    assert await fake.request("echo", "after", timeout=10) == "after"


async def test_long_non_ascii_line_split_across_reads(fake: JsonRpcConnection) -> None:
    """Multi-byte characters cut by read boundaries are reassembled before decoding."""
    chars = "é€😀x"
    with anyio.fail_after(60):
        result = await fake.request("big", {"size": 300_000, "char": chars})
    assert result["data"] == chars * 300_000
    assert await fake.request("echo", "après", timeout=10) == "après"


async def test_a_line_that_is_not_utf8_is_malformed_and_the_others_survive(
    fake_argv: FakeArgv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="openai_codex_transport")
    seen: list[dict[str, Any]] = []
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(
        transport, on_notification=lambda method, params: seen.append(params)
    ) as conn:
        assert await conn.request("bad_utf8", timeout=10) == {"ok": True}
        assert seen == [{"i": 0}, {"i": 1, "text": "é€😀"}]  # wire order, nothing else lost
        assert conn.stats.malformed_messages == 1
        assert conn.stats.notifications == 2
        assert "malformed" in caplog.text
        assert await conn.request("echo", [1], timeout=10) == [1]  # still working


@pytest.mark.parametrize(
    "error",
    [
        {"code": -32001, "message": "Server overloaded; retry later."},
        {"code": -32001, "message": "Server overloaded; retry later.", "data": {"x": 1}},
    ],
    ids=["no-data", "data"],
)
async def test_overload_over_the_wire_is_server_busy(
    fake: JsonRpcConnection, error: dict[str, Any]
) -> None:
    with pytest.raises(ServerBusyError) as info:
        await fake.request("error", error, timeout=10)
    assert info.value.data == error.get("data")
    assert is_retryable_error(info.value)


async def test_other_error_codes_over_the_wire(fake: JsonRpcConnection) -> None:
    with pytest.raises(JsonRpcError) as info:
        await fake.request("error", {"code": 7, "message": "custom", "data": [1]}, timeout=10)
    assert type(info.value) is JsonRpcError
    assert (info.value.code, info.value.data) == (7, [1])


async def test_notifications_in_wire_order_and_handler_errors_are_contained(
    fake_argv: FakeArgv,
) -> None:
    seen: list[int] = []

    def on_notification(method: str, params: dict[str, Any]) -> None:
        seen.append(params["i"])
        if params["i"] == 3:
            raise RuntimeError("subscriber bug")

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, on_notification=on_notification) as conn:
        assert await conn.request("notify", {"count": 1000}, timeout=10) == {"sent": 1000}
        assert seen == list(range(1000))
        assert conn.stats.notification_handler_errors == 1
        assert conn.stats.notifications == 1000


async def test_subscription_is_bounded(fake: JsonRpcConnection) -> None:
    async with fake.subscribe(max_buffered=10) as slow, fake.subscribe(max_buffered=100) as ok:
        await fake.request("notify", {"count": 25}, timeout=10)
        got: list[int] = []

        async def drain() -> None:
            async for _method, params in slow:
                got.append(params["i"])

        with pytest.raises(NotificationOverflowError):
            await drain()
        assert got == list(range(10))  # everything buffered before the overflow, in order
        assert slow.overflowed
        received = []
        with anyio.fail_after(5):
            for _ in range(25):
                received.append((await ok.__anext__())[1]["i"])
        assert received == list(range(25))
        assert await fake.request("echo", 1, timeout=10) == 1


async def test_subscription_raises_when_the_peer_goes_away(fake: JsonRpcConnection) -> None:
    async with fake.subscribe(methods=["fake/n"]) as sub:
        with pytest.raises(TransportClosedError):
            await fake.request("die", {"code": 9}, timeout=10)
        with anyio.fail_after(5), pytest.raises(TransportClosedError):
            await sub.__anext__()


async def test_wire_trace_is_redacted(
    fake: JsonRpcConnection, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex_transport")
    params = {"type": "apiKey", "apiKey": "sk-secret-0123456789abcdef"}
    assert await fake.request("echo", params, timeout=10) == params
    trace = [r.getMessage() for r in caplog.records if r.name == "openai_codex_transport"]
    sent = [line for line in trace if line.startswith("->") and '"echo"' in line]
    received = [line for line in trace if line.startswith("<-") and "apiKey" in line]
    assert sent
    assert received
    assert "[REDACTED]" in sent[0]
    assert all("sk-secret" not in line for line in trace)


async def test_trace_costs_nothing_when_debug_is_off(
    fake: JsonRpcConnection, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai_codex_transport")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("trace built while DEBUG is off")

    monkeypatch.setattr(connection_module, "trace", fail)  # what is sent
    monkeypatch.setattr(reader_module, "trace", fail)  # what is received
    monkeypatch.setattr(reader_module, "trace_raw", fail)
    assert await fake.request("notify", {"count": 10}, timeout=10) == {"sent": 10}
    assert await fake.request("garbage", timeout=10) == {"ok": True}


async def test_trace_member_goes_into_the_envelope(fake_argv: FakeArgv) -> None:
    """``trace=`` adds the W3C trace context as a top-level member of the request."""
    transport = await StdioTransport.spawn(fake_argv())
    sent: list[bytes] = []
    original = transport.send_bytes

    async def spy(data: bytes) -> None:
        sent.append(data)
        await original(data)

    transport.send_bytes = spy  # type: ignore[method-assign]
    async with JsonRpcConnection(transport) as conn:
        context = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
        assert await conn.request("echo", 1, trace=context, timeout=10) == 1
    assert b'"trace":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c' in sent[0]


async def test_missing_binary() -> None:
    with pytest.raises(CodexBinaryNotFoundError):
        await StdioTransport.spawn(["/nonexistent/codex", "app-server"])


async def test_raw_transport_api(fake_argv: FakeArgv) -> None:
    from openai_codex_transport import ProtocolError

    async with await StdioTransport.spawn(fake_argv()) as transport:
        await transport.send({"id": 1, "method": "garbage"})
        with anyio.fail_after(10):
            with pytest.raises(ProtocolError):
                await transport.receive()
            with pytest.raises(ProtocolError):
                await transport.receive()
            with pytest.raises(ProtocolError):
                await transport.receive()
            assert (await transport.receive())["id"] == 987654
            assert await transport.receive() == {"unexpected": True}
            assert await transport.receive() == {"id": 1, "result": {"ok": True}}
    assert transport.returncode == 0


async def test_grandchild_holding_stdout_does_not_delay_detection(fake_argv: FakeArgv) -> None:
    """The child dies but a grandchild keeps the pipe open: still detected within a second of
    the exit, and close() takes the whole process group down."""
    exiting: dict[str, float] = {}

    def on_notification(method: str, params: dict[str, Any]) -> None:
        if method == "fake/exiting":
            exiting["at"] = params["at"]

    transport = await StdioTransport.spawn(fake_argv())
    conn = JsonRpcConnection(transport, on_notification=on_notification)
    with anyio.fail_after(5), pytest.raises(TransportClosedError) as info:
        await conn.request("die", {"code": 4, "orphan": True, "stamp": True})
    # From the child's last act before exiting (not from before its interpreter had even
    # started: under load, start-up and spawning the grandchild take most of a second).
    assert time.monotonic() - exiting["at"] < 1.0
    assert info.value.exit_code == 4
    assert live_group_members(transport.pid)  # the orphaned grandchild is still running
    await conn.aclose()
    with anyio.fail_after(5):
        while live_group_members(transport.pid):  # noqa: ASYNC110 - /proc has no events
            await anyio.sleep(0.02)


def live_group_members(pgid: int) -> list[int]:
    """Processes in group ``pgid`` that are neither zombies nor dead (from /proc)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            members.append(int(entry))
    return members


def test_event_loop_ending_without_close_terminates_the_child(
    fake_argv: FakeArgv, anyio_backend: str
) -> None:
    """A client that is never closed does not leave its runtime running after the loop ends."""
    holder: dict[str, StdioTransport] = {}

    async def main() -> None:
        transport = await StdioTransport.spawn(fake_argv())
        holder["t"] = transport
        conn = JsonRpcConnection(transport)
        assert await conn.request("echo", 1, timeout=10) == 1
        # no aclose(): the run ends with the reader and helpers still running

    anyio.run(main, backend=anyio_backend)
    pid = holder["t"].pid
    deadline = time.monotonic() + 10
    while True:  # reap it ourselves if the loop could not
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            break  # already reaped by the event loop's child watcher
        if reaped:
            assert os.WIFSIGNALED(status)
            break
        assert time.monotonic() < deadline, "child still running after its event loop ended"
        time.sleep(0.02)


async def test_server_requests_beyond_the_limit_are_refused_not_queued(
    fake_argv: FakeArgv,
) -> None:
    release = anyio.Event()
    running: list[Any] = []

    async def on_request(method: str, params: Any) -> Any:
        running.append(params)
        await release.wait()
        return f"done {params}"

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(
        transport, on_request=on_request, max_concurrent_server_requests=2
    ) as conn:
        async with anyio.create_task_group() as tg:
            outcome: dict[str, Any] = {}

            async def ask_many() -> None:
                outcome["r"] = await conn.request("ask_many", {"method": "approve", "count": 4})

            tg.start_soon(ask_many)
            with anyio.fail_after(10):
                while len(running) < 2 or conn.stats.server_request_errors < 2:  # noqa: ASYNC110
                    await anyio.sleep(0.01)
            release.set()
        replies = outcome["r"]["replies"]
        assert [r.get("result") for r in replies[:2]] == ["done 0", "done 1"]
        assert [r["error"]["code"] for r in replies[2:]] == [-32001, -32001]
        assert sorted(running) == [0, 1]  # trio starts tasks in any order


async def test_non_ascii_and_unsendable_params(fake: JsonRpcConnection) -> None:
    text = "héllo ✓ 😀 \u00e9"
    assert await fake.request("echo", {"t": text}, timeout=10) == {"t": text}
    with pytest.raises(TypeError, match=r"params\.x"):
        await fake.request("echo", {"x": object()}, timeout=10)
    with pytest.raises(UnencodableValueError, match=r"params\.t"):
        await fake.request("echo", {"t": "lone \ud800"}, timeout=10)
    assert fake.pending_requests == 0
    assert await fake.request("echo", 1, timeout=10) == 1


async def test_close_without_a_reader_drains_a_full_pipe(fake_argv: FakeArgv) -> None:
    """Raw transport use, nothing read: the child blocked on a full stdout pipe still sees
    stdin's EOF and exits by itself (no SIGTERM needed)."""
    transport = await StdioTransport.spawn(fake_argv(), graceful_timeout=5.0)
    await transport.send({"id": 1, "method": "notify", "params": {"count": 20000}})
    await transport.send({"id": 2, "method": "echo", "params": 1})
    started = time.monotonic()
    with anyio.fail_after(10):
        await transport.aclose()
    assert transport.returncode == 0
    assert time.monotonic() - started < 4.0
