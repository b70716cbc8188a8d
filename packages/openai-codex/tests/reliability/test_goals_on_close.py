"""Goals: ``close()`` pauses them, and goal refusal follows every source (issue 27)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.errors import GoalInProgressError
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio

WAIT = 60


def _value(enum_or_str: Any) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


async def test_close_during_a_goal_pauses_it(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Step one."), Reply.hang(partial_text="step two"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.start_goal("Do many steps")
            async for event in handle.stream():
                if event.method == "item/agentMessage/delta" and "step two" in str(
                    event.params.get("delta")
                ):
                    break
        # the client is closed with the goal's second turn running
        requests = model.request_count
        model.set_default(Reply.text("Unrequested work."))
        async with AsyncCodex(model_config) as later:
            resumed = await later.thread_resume(thread.id)
            goal = await resumed.goal()
            assert goal is not None
            assert _value(goal.status) == "paused"
            # a paused goal starts no turn on its own: a plain turn is the only request
            model.enqueue(Reply.text("A plain answer."), when="plain")
            result = await resumed.run("plain", timeout=30)
            assert result.final_response == "A plain answer."
    assert model.request_count == requests + 1
    model.release_hangs()


def test_sync_close_during_a_goal_pauses_it(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.hang(partial_text="working"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        thread.start_goal("Keep working")
        model.wait_for_requests(1, 30)
    with Codex(model_config) as later:
        goal = later.thread_resume(thread.id).goal()
        assert goal is not None
        assert _value(goal.status) == "paused"
    model.release_hangs()


async def test_a_goal_set_through_the_low_level_client_refuses_plain_turns(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang(partial_text="pursuing"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            updates = await codex.events("thread/goal/updated", thread_id=thread.id)
            await codex.client.thread_goal_set(thread.id, objective="Elsewhere", status="active")
            await updates.next(timeout=30)
            with pytest.raises(GoalInProgressError):
                await thread.run("a plain turn", timeout=30)
            await thread.pause_goal()
    model.release_hangs()
