"""Goals on the sync API (``Codex``/``Thread``/``TurnHandle``), real runtime, offline model."""

from __future__ import annotations

from typing import Any

import pytest

from openai_codex import Codex, CodexConfig, TurnTimeoutError
from openai_codex.errors import GoalInProgressError
from openai_codex.testing import OfflineModel, Reply, Usage
from openai_codex.types import Notification

pytestmark = pytest.mark.timeout(90)


def value(enum_or_str: Any) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


def test_run_goal_with_a_follow_up_turn(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(
        Reply.text("Drafted.", usage=Usage(input_tokens=40, output_tokens=2)),
        Reply.update_goal(usage=Usage(input_tokens=50, output_tokens=3)),
        Reply.text("Polished and done.", usage=Usage(input_tokens=60, output_tokens=4)),
    )
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        result = thread.run_goal("Draft and polish a note")
        goal = thread.goal()
    assert value(result.status) == "completed"
    assert [getattr(i.root, "text", None) for i in result.items] == [
        "Drafted.",
        "Polished and done.",
    ]
    assert result.usage is not None
    assert result.usage.total.total_tokens == 42 + 53 + 64
    assert result.goal is not None
    assert value(result.goal.status) == "complete"
    assert goal is not None
    assert goal.objective == "Draft and polish a note"
    assert result.id == model.response_requests[0].turn_id


def test_stream_steer_interrupt_and_resume(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("Step one."), Reply.hang(partial_text="step two"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        handle = thread.start_goal("Three steps")
        assert repr(handle).startswith(f"TurnHandle(thread_id={thread.id!r}, id=")
        assert repr(handle).endswith(", running, goal='active')")
        events: list[Notification] = []
        for event in handle.stream():
            events.append(event)
            if event.method == "item/agentMessage/delta" and event.params["delta"] == "step two":
                with pytest.raises(GoalInProgressError):
                    thread.run("plain")
                handle.interrupt()
        result = handle.run()
        paused = thread.goal()
        model.enqueue(Reply.update_goal(), Reply.text("All three done."))
        resumed = thread.resume_goal().run()
    methods = [e.method for e in events]
    assert methods.count("turn/started") == 1
    assert methods[-1] == "turn/completed"
    assert value(events[-1].payload.turn.status) == "interrupted"
    assert value(result.status) == "interrupted"
    assert paused is not None
    assert value(paused.status) == "paused"
    assert resumed.final_response == "All three done."
    assert resumed.goal is not None
    assert value(resumed.goal.status) == "complete"


def test_timeout_and_plain_turn_afterwards(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.hang(partial_text="slow"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        with pytest.raises(TurnTimeoutError) as caught:
            thread.run_goal("Something slow", timeout=1.5)
        model.enqueue(Reply.text("Quick answer."))
        plain = thread.run("Quick question")
        goal = thread.goal()
    assert caught.value.result is not None
    assert value(caught.value.result.status) == "interrupted"
    assert plain.final_response == "Quick answer."
    assert goal is not None
    assert value(goal.status) == "paused"


def test_goal_events_without_a_goal_turn(model: OfflineModel, model_config: CodexConfig) -> None:
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        with thread.goal_events() as events:
            thread.set_goal("Watch me", status="paused")
            thread.set_goal(status="blocked")
            thread.clear_goal()
            seen: list[Notification] = []
            for event in events:
                seen.append(event)
                if event.method == "thread/goal/cleared":
                    break
        closed = list(events)  # a closed subscription yields nothing more
    goals = [value(e.payload.goal.status) for e in seen if e.method == "thread/goal/updated"]
    assert goals == ["paused", "blocked"]
    assert seen[-1].params == {"threadId": thread.id}
    assert closed == []
    assert model.request_count == 0


def test_reply_update_goal_takes_the_tools_statuses_only() -> None:
    reply = Reply.update_goal("blocked", text="Stuck on the same error again.")
    call = reply.outputs[-1]
    assert getattr(call, "name", None) == "update_goal"
    assert getattr(call, "arguments", None) == '{"status": "blocked"}'
    with pytest.raises(ValueError, match="complete, blocked, paused"):
        Reply.update_goal("budgetLimited")  # type: ignore[arg-type]


def test_the_goal_api_is_public_and_the_same_sync_and_async() -> None:
    import inspect

    import openai_codex
    from openai_codex import AsyncThread, Thread

    for name in ("GoalEvents", "AsyncGoalEvents", "GoalInProgressError", "GoalsUnavailableError"):
        assert name in openai_codex.__all__
        assert getattr(openai_codex, name) is not None
    methods = ("run_goal", "start_goal", "resume_goal", "goal", "set_goal", "pause_goal")
    for name in (*methods, "clear_goal", "goal_events"):
        sync_params = inspect.signature(getattr(Thread, name)).parameters
        async_params = inspect.signature(getattr(AsyncThread, name)).parameters
        assert list(sync_params) == list(async_params), name
    run_goal = inspect.signature(AsyncThread.run_goal).parameters
    assert list(run_goal)[:3] == ["self", "objective", "token_budget"]
    assert "timeout" in run_goal
    assert "output_schema" not in run_goal
