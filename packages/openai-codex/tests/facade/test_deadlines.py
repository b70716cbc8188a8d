"""Deadlines and bad input (issue 11): no call hangs, no turn is orphaned, no secret leaks.

Real runtime, offline model. A stopped runtime is made with SIGSTOP on its pid (resumed with
SIGCONT before the test ends); every bound asserted here is the one the docs promise.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    AsyncTurnHandle,
    Codex,
    CodexConfig,
    ServerRequestHandlers,
    TextInput,
    TurnStartTimeoutError,
    TurnTimeoutError,
)
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio

WAIT = 60
#: run(timeout=T) returns within T + this, whatever the runtime does (docs/faq.md)
SLACK = 2.0


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


def _pid(codex: AsyncCodex) -> int:
    conn = codex._session.connection
    assert conn is not None
    pid: int = conn.transport.pid  # type: ignore[attr-defined]
    return pid


@contextlib.contextmanager
def _stopped(pid: int) -> Iterator[None]:
    """The runtime is stopped (SIGSTOP) inside the block and resumed after it."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


# -- bad input: refused at the call, nothing sent, the client stays usable -------------------


async def test_bad_arguments_are_refused_at_the_call(
    model: OfflineModel, model_config: CodexConfig, tmp_path: Path
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            started = time.monotonic()
            with pytest.raises(ValueError, match="name contains a lone surrogate"):
                await thread.set_name("n\udfff")
            with pytest.raises(ValueError, match=r"config\['x'\] is nan"):
                await codex.thread_start(config={"x": float("nan")})
            with pytest.raises(ValueError, match="inf"):
                await codex.thread_start(config={"nested": {"y": [math.inf]}})
            with pytest.raises(ValueError, match="lone surrogate"):
                await thread.run("bad \ud800")
            with pytest.raises(ValueError, match="empty"):
                await thread.run("")
            with pytest.raises(ValueError, match="empty"):
                await thread.run([])
            with pytest.raises(ValueError, match="empty"):
                await thread.run([TextInput(""), ""])
            with pytest.raises(TypeError, match="timeout must be a number"):
                await thread.run("hi", timeout="5")  # type: ignore[arg-type]
            with pytest.raises(ValueError, match="timeout must be a positive"):
                await thread.run("hi", timeout=-1)
            with pytest.raises(TypeError, match="dict is not accepted"):
                await thread.run({"type": "text", "text": "hi"})  # type: ignore[arg-type]
            with pytest.raises(ValueError, match="not an existing directory"):
                await codex.thread_start(cwd=str(tmp_path / "does-not-exist"))
            with pytest.raises(ValueError, match="not an existing directory"):
                await thread.run("hi", cwd=str(tmp_path / "does-not-exist"))
            with pytest.raises(ValueError, match=r"output_schema.properties.a.type is 'strnig'"):
                await thread.run(
                    "hi",
                    output_schema={"type": "object", "properties": {"a": {"type": "strnig"}}},
                )
            with pytest.raises(ValueError, match="required must be a list"):
                await thread.run("hi", output_schema={"type": "object", "required": "a"})
            refused_in = time.monotonic() - started
            assert refused_in < 1.0, refused_in
            assert model.request_count == 0  # no turn reached the model
            model.enqueue(Reply.text("still fine"))
            assert (await thread.run("ok")).final_response == "still fine"


async def test_a_50_mb_prompt_is_refused_fast_without_copies(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    import tracemalloc

    big = "x" * (50 * 1024 * 1024)
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            tracemalloc.start()
            try:
                started = time.monotonic()
                with pytest.raises(ValueError, match="at most 1,048,576"):
                    await thread.run(big)
                elapsed = time.monotonic() - started
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert elapsed < 0.5, elapsed
            assert peak < 5 * 1024 * 1024, peak  # no copy of the 50 MB text
            model.enqueue(Reply.text("small is fine"))
            assert (await thread.run("small")).final_response == "small is fine"


def test_bad_arguments_refused_by_the_sync_client(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        with pytest.raises(ValueError, match="lone surrogate"):
            thread.set_name("n\udfff")
        with pytest.raises(TypeError, match="timeout"):
            thread.run("hi", timeout="5")  # type: ignore[arg-type]
        model.enqueue(Reply.text("sync fine"))
        assert thread.run("ok").final_response == "sync fine"


def test_config_checks_and_repr_hides_secrets() -> None:
    config = CodexConfig(
        env={"OPENAI_API_KEY": "sk-live-123", "MY_PROVIDER": "hunter2", "CODEX_HOME": "/h"},
        config_overrides=('model_providers.acme.api_key="sk-override-9"', 'model="m"'),
    )
    text = repr(config)
    for secret in ("sk-live-123", "hunter2", "sk-override-9"):
        assert secret not in text
    assert "'/h'" in text
    assert "OPENAI_API_KEY" in text
    assert "model=[REDACTED]" in text  # keys only: any override value may be a secret
    with pytest.raises(TypeError, match="request_timeout"):
        CodexConfig(request_timeout="5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="request_timeout"):
        CodexConfig(request_timeout=0)
    assert CodexConfig(request_timeout=math.inf).request_timeout is None


# -- a stopped runtime: every wait is bounded ----------------------------------------------


async def test_run_timeout_is_bounded_with_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="working"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hang")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            with _stopped(_pid(codex)):
                started = time.monotonic()
                with pytest.raises(TurnTimeoutError):
                    await handle.run(timeout=2)
                elapsed = time.monotonic() - started
            assert 2 <= elapsed < 2 + SLACK, elapsed
            model.release_hangs()


def test_sync_run_timeout_is_bounded_with_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="working"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        handle = thread.turn("hang")
        model.wait_for_requests(1)
        with _stopped(_pid(codex._async)):
            started = time.monotonic()
            with pytest.raises(TurnTimeoutError):
                handle.run(timeout=2)
            elapsed = time.monotonic() - started
        assert 2 <= elapsed < 2 + SLACK, elapsed
        model.release_hangs()


async def test_leaving_a_handle_or_cancelling_its_stream_is_bounded_when_stopped(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang(partial_text="busy"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("one")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            with _stopped(_pid(codex)):
                started = time.monotonic()
                async with handle:
                    with anyio.move_on_after(0.5):
                        async for _ in handle.stream():
                            pass
                elapsed = time.monotonic() - started
            # the cancelled read and the exit share one wind-down, not one each
            assert elapsed < 0.5 + SLACK, elapsed
            model.release_hangs()


async def test_close_with_twenty_turns_in_flight_is_fast(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang())
    with anyio.fail_after(WAIT):
        codex = AsyncCodex(model_config)
        await codex.__aenter__()
        try:
            handles: list[AsyncTurnHandle] = []
            for n in range(20):
                thread = await codex.thread_start()
                handles.append(await thread.turn(f"turn {n}"))
            await anyio.to_thread.run_sync(model.wait_for_requests, 20, 30)
            assert codex._session.active is not None
            assert len(codex._session.active) == 20
            started = time.monotonic()
        finally:
            await codex.close()
        elapsed = time.monotonic() - started
    assert elapsed < 1.0, elapsed
    model.release_hangs()


# -- a turn is never orphaned ----------------------------------------------------------------


async def _late_turn_start(
    codex: AsyncCodex, completed: list[dict[str, Any]], ended: list[anyio.Event]
) -> str:
    """A thread whose turn/start timed out (runtime stopped) and then went through."""

    def listen(method: str, params: dict[str, Any]) -> None:
        if method == "turn/completed":
            completed.append(params["turn"])
            ended[0].set()

    codex._session.router.add_listener(listen)
    thread = await codex.thread_start()
    conn = codex._session.connection
    assert conn is not None
    conn.request_timeout = 1.0
    with _stopped(_pid(codex)):
        started = time.monotonic()
        with pytest.raises(TurnStartTimeoutError) as caught:
            await thread.run("slow to start")
        assert time.monotonic() - started < 1.0 + SLACK
    conn.request_timeout = 30.0
    assert caught.value.thread_id == thread.id
    assert isinstance(caught.value, TimeoutError)
    assert "turn/start" in str(caught.value)
    return thread.id


async def test_a_late_turn_is_interrupted_as_soon_as_it_starts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="slow to start")
    completed: list[dict[str, Any]] = []
    ended = [anyio.Event()]
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread_id = await _late_turn_start(codex, completed, ended)
            # nobody calls anything: the watcher sees turn/started and interrupts it
            await ended[0].wait()
            assert [_status(turn["status"]) for turn in completed] == ["interrupted"]
            assert codex._session.active is not None
            assert not codex._session.active.is_suspect(thread_id)
            model.enqueue(Reply.text("fresh"), when="next")
            thread = await codex.thread_resume(thread_id)
            assert (await thread.run("next")).final_response == "fresh"


async def test_the_next_run_on_a_thread_with_a_late_turn_does_not_join_it(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="slow to start")
    completed: list[dict[str, Any]] = []
    ended = [anyio.Event()]
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread_id = await _late_turn_start(codex, completed, ended)
            assert codex._session.active is not None
            codex._session.active.cancel_watchers()  # only the next run() can find the late turn now
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            model.enqueue(Reply.text("fresh"), when="next")
            thread = await codex.thread_resume(thread_id)
            result = await thread.run("next")
            assert result.final_response == "fresh"
            late = [turn for turn in completed if turn["id"] != result.id]
            assert [_status(turn["status"]) for turn in late] == ["interrupted"]
            assert not codex._session.active.is_suspect(thread_id)


# -- handler answers are closed on the way out --------------------------------------------


@pytest.mark.parametrize(
    "garbage", ["yes please", "approved", "Accept", {"decision": "acceptEverything"}]
)
async def test_a_garbage_approval_answer_becomes_the_safe_default(
    model: OfflineModel,
    model_config: CodexConfig,
    garbage: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    model.enqueue(Reply.shell("echo should-not-run", escalated=True), Reply.text("done"))
    handlers = ServerRequestHandlers(command_approval=lambda params: garbage)
    with anyio.fail_after(WAIT), caplog.at_level(logging.WARNING, logger="openai_codex"):
        async with AsyncCodex(model_config, handlers=handlers) as codex:
            thread = await codex.thread_start(approval_mode=ApprovalMode.host)
            handle = await thread.turn("run it")
            events = [event async for event in handle.stream()]
    failures = [e for e in events if e.method == "openai_codex/handlerFailed"]
    assert len(failures) == 1
    assert "not a value of the protocol" in failures[0].params["message"]
    commands = [
        e.params["item"]
        for e in events
        if e.method == "item/completed" and e.params["item"].get("type") == "commandExecution"
    ]
    assert [_status(c["status"]) for c in commands] == ["declined"]
    output = model.response_requests[1].function_call_outputs[0]["output"]
    assert "should-not-run\n" not in output
    assert "sending the safe default" in caplog.text


# -- closed clients and ended turns ------------------------------------------------------------


async def test_interrupting_an_ended_turn_answers_empty(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("quick"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("quick")
            await handle.run()
            answer = await handle.interrupt()
            assert answer.model_dump(exclude_none=True) == {}


def test_sync_close_with_twenty_turns_in_flight_is_fast(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang())
    codex = Codex(model_config)
    try:
        for n in range(20):
            codex.thread_start().turn(f"turn {n}")
        model.wait_for_requests(20, 30)
        started = time.monotonic()
    finally:
        codex.close()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, elapsed
    model.release_hangs()


async def test_a_missing_config_cwd_is_named_and_a_closed_client_says_closed(
    loopback_config: CodexConfig, tmp_path: Path
) -> None:
    from openai_codex import CodexError, TransportClosedError

    missing = CodexConfig(env=loopback_config.env, cwd=str(tmp_path / "nope"))
    with anyio.fail_after(WAIT):
        with pytest.raises(CodexError, match="working directory does not exist") as caught:
            async with AsyncCodex(missing):
                pass
        assert "binary" not in str(caught.value).lower()
        codex = AsyncCodex(loopback_config)
        async with codex:
            await codex.models()
        with pytest.raises(TransportClosedError, match="closed"):
            await codex.models()
        assert codex._session.connection is None  # nothing was started behind the caller's back
