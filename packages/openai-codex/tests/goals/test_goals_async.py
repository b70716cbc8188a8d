"""Goals on the async API, through the real runtime against the offline model.

The backend is parametrized (asyncio and trio) where it matters: the folded stream,
interrupt, cancellation and timeouts. The rest runs on asyncio.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import anyio
import pytest

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    CodexConfig,
    TransportClosedError,
    TurnFailedError,
    TurnTimeoutError,
)
from openai_codex.errors import GoalInProgressError, GoalsUnavailableError, InvalidRequestError
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.testing import OfflineModel, Reply, Usage
from openai_codex.types import Notification

pytestmark = pytest.mark.anyio
BOTH_BACKENDS = pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])

WAIT = 60


def value(enum_or_str: Any) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


async def read_until_delta(stream: Any, delta: str) -> list[Notification]:
    """Consume ``stream`` up to (and including) the text delta ``delta``."""
    seen: list[Notification] = []
    async for event in stream:
        seen.append(event)
        if event.method == "item/agentMessage/delta" and event.params.get("delta") == delta:
            return seen
    raise AssertionError(f"the stream ended before the delta {delta!r}")


async def test_goal_completed_in_the_first_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.update_goal("complete"), Reply.text("The haiku is written."))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Write a haiku about rivers")
            result = await handle.run()
            goal = await thread.goal()
            # done: steering is refused as for a completed turn; interrupting sends nothing
            with pytest.raises(InvalidRequestError, match="no active turn"):
                await handle.steer("more")
            assert (await handle.interrupt()).model_dump() == {}
    assert value(result.status) == "completed"
    assert result.final_response == "The haiku is written."
    assert result.goal is not None
    assert value(result.goal.status) == "complete"
    assert result.goal.objective == "Write a haiku about rivers"
    assert goal is not None
    assert value(goal.status) == "complete"
    # one runtime turn, whose id is the logical turn's; the model saw the objective
    assert {r.turn_id for r in model.response_requests} == {result.id}
    assert "Write a haiku about rivers" in (model.response_requests[0].last_user_text or "")
    assert model.errors == []


@BOTH_BACKENDS
async def test_a_goal_needing_a_follow_up_turn_is_one_logical_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(
        Reply.text("Earlier work.", usage=Usage(input_tokens=1000, output_tokens=0)),
        Reply.text("Started the list.", usage=Usage(input_tokens=100, output_tokens=10)),
        Reply.update_goal(usage=Usage(input_tokens=200, output_tokens=20)),
        Reply.text("The list is complete.", usage=Usage(input_tokens=300, output_tokens=30)),
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            await thread.run("Some earlier work on the thread")
            handle = await thread.start_goal("List three rivers")
            events = [event async for event in handle.stream()]
            result = await handle.run()
    goal_turns = [r.turn_id for r in model.response_requests[1:]]
    assert goal_turns[0] == handle.id == result.id
    assert len(set(goal_turns)) == 2  # the runtime started a follow-up turn
    methods = [e.method for e in events]
    assert methods[0] == "turn/started"
    assert methods[-1] == "turn/completed"
    assert methods.count("turn/started") == 1
    assert methods.count("turn/completed") == 1
    assert events[-1].payload.turn.id == handle.id
    assert value(events[-1].payload.turn.status) == "completed"
    # every runtime turn's events, addressed to the logical turn
    turn_ids = {e.params["turnId"] for e in events if isinstance(e.params.get("turnId"), str)}
    assert turn_ids == {handle.id}
    statuses = [value(e.payload.goal.status) for e in events if e.method == "thread/goal/updated"]
    assert statuses[0] == "active"
    assert statuses[-1] == "complete"
    texts = [getattr(item.root, "text", None) for item in result.items]
    assert texts == ["Started the list.", "The list is complete."]
    assert result.final_response == "The list is complete."
    # usage: the goal's own model calls summed (not the earlier turn), last call as is
    assert result.usage is not None
    assert result.usage.total.total_tokens == 110 + 220 + 330
    assert result.usage.total.input_tokens == 600
    assert result.usage.last.total_tokens == 330
    # the goal counts non-cached input + output of its model calls, accounted at tool
    # calls and turn ends: the call that marks it complete may be counted or not
    assert result.goal is not None
    assert 110 <= result.goal.tokens_used <= 110 + 220
    assert result.started_at is not None
    assert result.completed_at is not None
    assert result.duration_ms is not None
    assert result.duration_ms >= 0
    assert model.pending == 0
    assert model.errors == []


@BOTH_BACKENDS
async def test_steer_reaches_the_follow_up_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("First pass done."), Reply.hang(partial_text="thinking"))
    model.enqueue(Reply.update_goal(), when="Use the metric system")
    model.enqueue(Reply.text("Done, in metres."))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Measure the river")
            stream = handle.stream()
            await read_until_delta(stream, "thinking")
            runtime_turn = handle.runtime_turn_id  # type: ignore[attr-defined]
            steered = await handle.steer("Use the metric system")
            result = await handle.run()
    assert runtime_turn is not None
    assert runtime_turn != handle.id
    assert steered.turn_id == runtime_turn
    steer_requests = [
        r for r in model.response_requests if r.last_user_text == "Use the metric system"
    ]
    assert steer_requests
    assert steer_requests[0].turn_id == runtime_turn
    assert result.goal is not None
    assert value(result.goal.status) == "complete"
    assert result.final_response == "Done, in metres."


@BOTH_BACKENDS
async def test_interrupt_pauses_the_goal_and_the_thread_stays_usable(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Step one."), Reply.hang(partial_text="step two"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Do three steps")
            await read_until_delta(handle.stream(), "step two")
            await handle.interrupt()
            result = await handle.run()
            goal = await thread.goal()
            model.enqueue(Reply.text("A plain answer."))
            plain = await thread.run("A plain question")
            requests_after = model.request_count
            await anyio.sleep(0.5)  # a paused goal gets no follow-up turn
    assert value(result.status) == "interrupted"
    assert [getattr(i.root, "text", None) for i in result.items] == ["Step one."]
    assert result.goal is not None
    assert value(result.goal.status) == "paused"
    assert goal is not None
    assert value(goal.status) == "paused"
    assert plain.final_response == "A plain answer."
    assert model.request_count == requests_after


async def test_resume_goal_continues_a_paused_goal_as_a_new_logical_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="working"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            first = await thread.start_goal("Tidy the garden")
            await read_until_delta(first.stream(), "working")
            await first.interrupt()
            paused = await first.run()
            model.enqueue(Reply.update_goal(), Reply.text("The garden is tidy."))
            second = await thread.resume_goal()
            result = await second.run()
    assert paused.goal is not None
    assert value(paused.goal.status) == "paused"
    assert second.id != first.id
    assert result.id == second.id
    assert result.final_response == "The garden is tidy."
    assert result.goal is not None
    assert value(result.goal.status) == "complete"
    assert result.goal.objective == "Tidy the garden"


async def test_a_new_goal_replaces_a_paused_one(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Half done.", usage=Usage(input_tokens=50, output_tokens=5)))
    model.enqueue(Reply.update_goal(), Reply.text("New goal done."))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            await thread.set_goal("Old objective", status="paused")
            old = await thread.goal()
            result = await thread.run_goal("New objective")
    assert old is not None
    assert old.objective == "Old objective"
    assert result.goal is not None
    assert result.goal.objective == "New objective"
    assert value(result.goal.status) == "complete"


async def test_budget_exhaustion_is_a_result(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.text("Still going.", usage=Usage(input_tokens=20, output_tokens=5)))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            result = await thread.run_goal("Count the stars", token_budget=60)
    assert value(result.status) == "completed"
    assert result.goal is not None
    assert value(result.goal.status) == "budgetLimited"
    assert result.goal.token_budget == 60
    assert result.goal.tokens_used >= 60
    # the budget ran out at the end of the third turn (25 tokens each): no fourth
    assert len({r.turn_id for r in model.response_requests}) == 3
    assert len(result.items) == 3


@BOTH_BACKENDS
async def test_timeout_pauses_and_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Part one."), Reply.hang(partial_text="part two"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with pytest.raises(TurnTimeoutError) as caught:
                await thread.run_goal("Write a long essay", timeout=2.0)
            goal = await thread.goal()
    partial = caught.value.result
    assert partial is not None
    assert value(partial.status) == "interrupted"
    assert [getattr(i.root, "text", None) for i in partial.items] == ["Part one."]
    assert partial.goal is not None
    assert value(partial.goal.status) == "paused"
    assert goal is not None
    assert value(goal.status) == "paused"
    assert "paused" in str(caught.value)


@BOTH_BACKENDS
async def test_cancelling_the_awaiting_task_pauses_and_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="busy"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            async with anyio.create_task_group() as tg:
                tg.start_soon(thread.run_goal, "Never ending")
                await anyio.to_thread.run_sync(model.wait_for_requests, 1)
                tg.cancel_scope.cancel()
            goal = await thread.goal()
            model.enqueue(Reply.text("Plain again."))
            plain = await thread.run("Are you free?")
    assert goal is not None
    assert value(goal.status) == "paused"
    assert plain.final_response == "Plain again."


async def test_a_failed_runtime_turn_raises(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("Step one."), Reply.error(500, "model exploded"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with pytest.raises(TurnFailedError) as caught:
                await thread.run_goal("Do two steps")
            goal = await thread.goal()
    partial = caught.value.result
    assert partial is not None
    assert [getattr(i.root, "text", None) for i in partial.items] == ["Step one."]
    # the runtime marks the goal blocked when a goal turn fails
    assert partial.goal is not None
    assert value(partial.goal.status) == "blocked"
    assert goal is not None
    assert value(goal.status) == "blocked"


async def test_plain_turns_are_refused_while_a_goal_runs(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="on it"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            async with await thread.start_goal("Keep working") as handle:
                await read_until_delta(handle.stream(), "on it")
                with pytest.raises(GoalInProgressError, match="pursuing a goal"):
                    await thread.run("A plain question")
                with pytest.raises(GoalInProgressError, match="pursuing a goal"):
                    await thread.turn("Another")
                with pytest.raises(GoalInProgressError, match="already runs a goal turn"):
                    await thread.start_goal("A second goal")
            # leaving the block paused the goal and interrupted its turn
            goal = await thread.goal()
            model.enqueue(Reply.text("Now I can answer."))
            plain = await thread.run("A plain question")
    assert goal is not None
    assert value(goal.status) == "paused"
    assert plain.final_response == "Now I can answer."
    assert model.request_count == 2


async def test_ephemeral_thread_is_refused_before_the_goal_is_sent(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start(ephemeral=True)
            with pytest.raises(GoalsUnavailableError, match="ephemeral") as caught:
                await thread.run_goal("Anything")
            with pytest.raises(GoalsUnavailableError, match="ephemeral"):
                await thread.goal()
    assert caught.value.code == -32600
    assert model.request_count == 0


async def test_disabled_goals_give_a_clear_error(model: OfflineModel, tmp_path: Any) -> None:
    config = model.codex_config(config_overrides=("features.goals=false",))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            with pytest.raises(GoalsUnavailableError, match="goals are disabled") as caught:
                await thread.run_goal("Anything")
            with pytest.raises(GoalsUnavailableError, match=r"features\.goals=true"):
                await thread.goal()
            # the thread is left as it was: plain turns work
            model.enqueue(Reply.text("Plain works."))
            plain = await thread.run("Hello")
    assert "goals feature is disabled" in str(caught.value)
    assert plain.final_response == "Plain works."


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"objective": ""}, ValueError, "must not be empty"),
        ({"objective": "   \n"}, ValueError, "must not be empty"),
        ({"objective": "x" * 4001}, ValueError, "at most 4000"),
        ({"objective": 42}, TypeError, "objective must be a str"),
        ({"objective": "ok", "token_budget": 0}, ValueError, "positive"),
        ({"objective": "ok", "token_budget": True}, TypeError, "token_budget must be an int"),
    ],
)
async def test_bad_input_is_refused_before_anything_is_sent(
    model: OfflineModel, model_config: CodexConfig, kwargs: dict[str, Any], error: type, match: str
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with pytest.raises(error, match=match):
                await thread.run_goal(**kwargs)
            assert await thread.goal() is None
    assert model.request_count == 0


async def test_thread_controls_and_goal_events(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            assert await thread.goal() is None
            with thread.goal_events() as subscription:
                created = await thread.set_goal("Plan a trip", status="paused", token_budget=500)
                updated = await thread.set_goal(token_budget=800)
                assert (await thread.pause_goal()) == (await thread.goal())
                assert await thread.clear_goal() is True
                events: list[Notification] = []
                async for event in subscription:
                    events.append(event)
                    if event.method == "thread/goal/cleared":
                        break
            assert await thread.clear_goal() is False
            assert await thread.pause_goal() is None
            with pytest.raises(ValueError, match="no goal to resume"):
                await thread.resume_goal()
    assert created.objective == "Plan a trip"
    assert value(created.status) == "paused"
    assert created.token_budget == 500
    assert updated.token_budget == 800
    assert [e.method for e in events] == [
        "thread/goal/updated",
        "thread/goal/updated",
        "thread/goal/cleared",
    ]
    assert events[1].payload.goal.token_budget == 800
    assert model.request_count == 0


async def test_runtime_death_fails_the_goal_turn_and_the_subscription(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="working"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Run forever")
            events = thread.goal_events()
            await read_until_delta(handle.stream(), "working")
            conn = codex._session.connection
            assert conn is not None
            os.kill(conn.transport.pid, signal.SIGKILL)  # type: ignore[attr-defined]
            with pytest.raises(TransportClosedError):
                await handle.run()
            with pytest.raises(TransportClosedError):
                async for _ in events:
                    pass


async def test_a_blocked_goal_is_a_result(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(
        Reply.update_goal("blocked", text="The same error, a third time."),
        Reply.text("I need the database password to go on."),
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            result = await thread.run_goal("Migrate the database")
    assert value(result.status) == "completed"
    assert result.goal is not None
    assert value(result.goal.status) == "blocked"
    assert result.final_response == "I need the database password to go on."


async def test_pause_goal_lets_the_running_turn_finish(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Working slowly on it.", deltas=4, delay=0.1))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Write the report")
            stream = handle.stream()
            async for event in stream:
                if event.method == "item/agentMessage/delta":
                    break
            paused = await thread.pause_goal()
            result = await handle.run()
    assert paused is not None
    assert value(paused.status) == "paused"
    assert value(result.status) == "completed"  # not interrupted: the turn finished
    assert result.final_response == "Working slowly on it."
    assert result.goal is not None
    assert value(result.goal.status) == "paused"
    assert len({r.turn_id for r in model.response_requests}) == 1


async def test_a_failed_handler_in_a_follow_up_turn_reaches_the_goal_stream(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    def broken_handler(params: Any) -> Any:
        raise RuntimeError("the approval UI crashed")

    model.enqueue(
        Reply.text("Looked around."),
        Reply.shell("touch outside.txt", escalated=True),
        Reply.update_goal(),
        Reply.text("Done without it."),
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(
            model_config, handlers=ServerRequestHandlers(command_approval=broken_handler)
        ) as codex:
            thread = await codex.thread_start(approval_mode=ApprovalMode.host)
            handle = await thread.start_goal("Touch a file outside the sandbox")
            events = [event async for event in handle.stream()]
    failures = [e for e in events if e.method == "openai_codex/handlerFailed"]
    assert len(failures) == 1
    assert failures[0].params["turnId"] == handle.id
    assert "the approval UI crashed" in failures[0].params["message"]
    assert events[-1].method == "turn/completed"
