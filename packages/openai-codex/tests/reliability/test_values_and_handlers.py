"""Values and handlers (issue 27): whitespace-only input, non-finite tool results, handler
answers with unknown members, and the cap on abandoned sync handler threads."""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import pytest

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    CodexConfig,
    ServerRequestHandlers,
    TextInput,
    tool,
)
from openai_codex._core.host import maybe_async
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio

WAIT = 60


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_whitespace_only_input_is_refused_like_empty_input(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            for blank in (" ", "\n\t  ", [TextInput("  "), "\n"]):
                with pytest.raises(ValueError, match="only whitespace"):
                    await thread.run(blank)
            model.enqueue(Reply.text("fine"))
            assert (await thread.run("  padded  ")).final_response == "fine"
    assert model.request_count == 1


@tool
def ratio() -> float:
    """A ratio that is not a number."""
    return float("nan")


@tool
def table() -> dict[str, Any]:
    """A table with an infinite cell."""
    return {"rows": [1.0, float("inf")]}


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_non_finite_tool_result_is_a_failed_result(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(
        Reply.function_call("ratio", {}, call_id="r1"),
        Reply.function_call("table", {}, call_id="t1"),
        Reply.text("noted"),
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start(tools=[ratio, table])
            assert (await thread.run("compute")).final_response == "noted"
    outputs = {
        out["call_id"]: out["output"]
        for request in model.response_requests
        for out in request.function_call_outputs
    }
    assert "nan" in outputs["r1"]
    assert "unusable value" in outputs["r1"]
    assert outputs["r1"] != "null"
    assert "['rows'][1] is inf" in outputs["t1"]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_handler_answer_with_unknown_members_becomes_the_safe_default(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.shell("echo should-not-run", escalated=True), Reply.text("done"))
    handlers = ServerRequestHandlers(
        command_approval=lambda params: {"decision": "accept", "junk": 1}
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config, handlers=handlers) as codex:
            thread = await codex.thread_start(approval_mode=ApprovalMode.host)
            handle = await thread.turn("run it")
            events = [event async for event in handle.stream()]
    failures = [e for e in events if e.method == "openai_codex/handlerFailed"]
    assert len(failures) == 1
    assert "junk" in failures[0].params["message"]
    commands = [
        e.params["item"]
        for e in events
        if e.method == "item/completed" and e.params["item"].get("type") == "commandExecution"
    ]
    assert [_status(c["status"]) for c in commands] == ["declined"]


def _counted_out(seconds: float = 10) -> bool:
    """Wait (bounded) for released stuck threads to return and be counted out."""
    deadline = time.monotonic() + seconds
    while maybe_async.abandoned_sync_calls() and time.monotonic() < deadline:
        time.sleep(0.01)
    return maybe_async.abandoned_sync_calls() == 0


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_abandoned_sync_calls_are_capped() -> None:
    release = threading.Event()

    def stuck() -> str:
        release.wait(30)
        return "late"

    threads_before = threading.active_count()
    cap = maybe_async.MAX_ABANDONED_SYNC_CALLS
    try:
        for _ in range(cap):
            with anyio.move_on_after(0.05):
                await maybe_async.call_maybe_async(stuck)
        assert maybe_async.abandoned_sync_calls() == cap
        started = time.monotonic()
        for _ in range(3 * cap):  # past the cap: refused at once, no new thread
            with pytest.raises(maybe_async.AbandonedCallsError, match="outlived"):
                await maybe_async.call_maybe_async(stuck)
        assert time.monotonic() - started < 1.0
        assert threading.active_count() <= threads_before + cap + 1
    finally:
        release.set()
    assert await anyio.to_thread.run_sync(_counted_out)
    assert await maybe_async.call_maybe_async(lambda: "free again") == "free again"


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_stuck_sync_handler_past_the_cap_gets_the_safe_default_at_once(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    release = threading.Event()
    calls: list[int] = []

    def stuck(params: Any) -> Any:
        calls.append(1)
        release.wait(30)
        return {"decision": "accept"}

    model.set_default(Reply.text("done"))
    for n in range(maybe_async.MAX_ABANDONED_SYNC_CALLS + 2):
        model.enqueue(Reply.shell(f"echo nope-{n}", escalated=True), when=f"run {n}")
    handlers = ServerRequestHandlers(command_approval=stuck, timeout=0.2)
    try:
        with anyio.fail_after(WAIT):
            async with AsyncCodex(model_config, handlers=handlers) as codex:
                thread = await codex.thread_start(approval_mode=ApprovalMode.host)
                messages: list[str] = []
                for n in range(maybe_async.MAX_ABANDONED_SYNC_CALLS + 2):
                    handle = await thread.turn(f"run {n}")
                    async for event in handle.stream():
                        if event.method == "openai_codex/handlerFailed":
                            messages.append(event.params["message"])
    finally:
        release.set()
    cap = maybe_async.MAX_ABANDONED_SYNC_CALLS
    assert len(calls) == cap  # no thread was taken past the cap
    assert all("no answer within" in m for m in messages[:cap])
    assert all("outlived their timeout" in m for m in messages[cap:])
    assert await anyio.to_thread.run_sync(_counted_out)
