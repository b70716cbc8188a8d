"""The sync client on real turns, Ctrl-C, and a runtime that dies under the client."""

from __future__ import annotations

import _thread
import os
import signal
import threading
from typing import Any

import anyio
import pytest

from openai_codex import (
    AsyncCodex,
    Codex,
    CodexConfig,
    TransportClosedError,
    TurnFailedError,
    TurnHandle,
    TurnTimeoutError,
)
from openai_codex.testing import OfflineModel, Reply


def _status(result: Any) -> str:
    return str(getattr(result.status, "value", result.status))


def test_sync_run_and_stream(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("first answer"), Reply.text("streamed answer", deltas=3))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        assert thread.run("q1").final_response == "first answer"
        handle = thread.turn("q2")
        events = list(handle.stream())
        assert events[-1].method == "turn/completed"
        deltas = [e.params["delta"] for e in events if e.method == "item/agentMessage/delta"]
        assert "".join(deltas) == "streamed answer"
        assert handle.run().final_response == "streamed answer"


def test_sync_turns_from_many_python_threads(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    errors: list[BaseException] = []
    results: dict[int, str | None] = {}
    with Codex(model_config) as codex:

        def worker(n: int) -> None:
            try:
                thread = codex.thread_start()
                for t in range(3):
                    result = thread.run(f"worker {n} turn {t}")
                    assert result.final_response == f"Offline model reply to: worker {n} turn {t}"
                results[n] = result.final_response
            except BaseException as exc:
                errors.append(exc)

        workers = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
    assert not errors, errors
    assert len(results) == 5


def test_sync_failed_turn_and_timeout(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.error(500), Reply.hang())
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        with pytest.raises(RuntimeError) as failed:  # existing `except RuntimeError` still works
            thread.run("fail")
        assert isinstance(failed.value, TurnFailedError)
        with pytest.raises(TurnTimeoutError) as slow:
            thread.run("hang", timeout=1)
        assert slow.value.result is not None
        assert _status(slow.value.result) == "interrupted"


def test_keyboard_interrupt_in_sync_run_interrupts_the_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        handle = thread.turn("hang until Ctrl-C")
        watcher = TurnHandle(codex, thread.id, handle.id)
        model.wait_for_requests(1)
        timer = threading.Timer(0.5, _thread.interrupt_main)
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                handle.run()
        finally:
            timer.cancel()
        assert _status(watcher.run()) == "interrupted"


def test_leaving_the_sync_turn_context_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        with thread.turn("hang") as handle:
            watcher = TurnHandle(codex, thread.id, handle.id)
            for event in handle.stream():
                if event.method == "turn/started":
                    break
        assert handle.done
        assert _status(watcher.run()) == "interrupted"


def _kill_runtime(codex: AsyncCodex) -> None:
    conn = codex._session.connection
    assert conn is not None
    pid = conn.transport.pid  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)


def test_sync_runtime_death_raises_transport_closed_everywhere(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    codex = Codex(model_config)
    thread = codex.thread_start()
    handle = thread.turn("hang")
    model.wait_for_requests(1)
    _kill_runtime(codex._async)
    with pytest.raises(TransportClosedError) as dead:
        handle.run()
    assert dead.value.exit_code is not None
    with pytest.raises(TransportClosedError):
        thread.run("again")
    with pytest.raises(TransportClosedError):
        codex.models()
    with pytest.raises(TransportClosedError):
        codex.thread_start()
    codex.close()  # does not raise
    codex.close()


def test_exit_does_not_mask_the_original_error(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    def body() -> None:
        with Codex(model_config) as codex:
            _kill_runtime(codex._async)
            raise ValueError("original")

    with pytest.raises(ValueError, match="original"):
        body()


@pytest.mark.anyio
async def test_async_runtime_death_fails_waiters_and_later_calls(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(60):
        codex = AsyncCodex(model_config)
        thread = await codex.thread_start()
        handle = await thread.turn("hang")
        await anyio.to_thread.run_sync(model.wait_for_requests, 1)
        failures: list[BaseException] = []

        async def waiter() -> None:
            try:
                await handle.run()
            except TransportClosedError as exc:
                failures.append(exc)

        async with anyio.create_task_group() as tg:
            tg.start_soon(waiter)
            await anyio.sleep(0.2)
            _kill_runtime(codex)
        assert len(failures) == 1
        with pytest.raises(TransportClosedError):
            await thread.run("again")
        with pytest.raises(TransportClosedError):
            await codex.account()
        with pytest.raises(TransportClosedError):
            await (await codex.thread_start()).run("x")
        await codex.close()
        # after close() implicit calls say so; entering again starts afresh
        with pytest.raises(TransportClosedError, match="closed"):
            await codex.thread_start()
        try:
            async with codex:
                assert (await (await codex.thread_start()).run("alive")).final_response
        finally:
            await codex.close()


def test_keyboard_interrupt_in_sync_stream_interrupts_the_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="partial"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        handle = thread.turn("hang until Ctrl-C")
        watcher = TurnHandle(codex, thread.id, handle.id)
        seen: list[str] = []
        timer = threading.Timer(1.0, _thread.interrupt_main)
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                seen.extend(event.method for event in handle.stream())
        finally:
            timer.cancel()
        assert "turn/started" in seen
        assert _status(watcher.run()) == "interrupted"


def test_sync_stream_ends_with_an_error_when_the_runtime_dies(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with Codex(model_config) as codex:
        handle = codex.thread_start().turn("hang")
        model.wait_for_requests(1)
        events = handle.stream()
        assert next(events).method == "turn/started"
        _kill_runtime(codex._async)
        with pytest.raises(TransportClosedError):
            for _ in events:
                pass


def test_a_handle_of_a_closed_client_raises_instead_of_hanging(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    codex = Codex(model_config)
    handle = codex.thread_start().turn("hang")
    codex.close()
    # close() interrupted the turn (waiting for it to start if it was still starting), so
    # the handle ends with that instead of hanging; calls on the closed client raise
    events = list(handle.stream())
    assert events[-1].method == "turn/completed"
    assert str(events[-1].payload.turn.status.value) == "interrupted"
    with pytest.raises(TransportClosedError):
        handle.run()
    with pytest.raises(TransportClosedError):
        handle.steer("more")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_a_forgotten_client_is_closed_when_collected(loopback_config: CodexConfig) -> None:
    import gc

    codex = Codex(loopback_config)
    conn = codex._async._session.connection
    assert conn is not None
    pid = conn.transport.pid  # type: ignore[attr-defined]
    loop_thread = codex._portal._thread
    del codex, conn
    gc.collect()
    assert _wait_gone(pid)
    loop_thread.join(10)
    assert not loop_thread.is_alive()


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_a_program_that_forgets_close_still_exits(loopback_config: CodexConfig) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from openai_codex import Codex, CodexConfig\n"
        f"codex = Codex(CodexConfig(env={loopback_config.env!r}, cwd={loopback_config.cwd!r}))\n"
        "codex.thread_start()\n"
        "print(codex._async._session.connection.transport.pid, flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert _wait_gone(int(done.stdout.strip()))
