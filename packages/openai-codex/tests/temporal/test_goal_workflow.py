"""A goal as a Temporal activity (CodexGoalWorkflow): to completion, and paused on cancel."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import CancelledError

from openai_codex.temporal import (
    CodexGoalResult,
    CodexGoalTaskInput,
    CodexGoalWorkflow,
    GoalSpec,
    connect,
)
from openai_codex.testing import OfflineModel, Reply, Usage

from ._support import running_worker, unique

pytestmark = pytest.mark.anyio

WAIT_S = 60.0


async def test_a_goal_runs_to_completion_as_one_activity(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("goals")
    with OfflineModel() as model:
        model.enqueue(
            Reply.text("Drafted.", usage=Usage(40, 2)),
            Reply.update_goal(usage=Usage(50, 3)),
            Reply.text("Polished and done.", usage=Usage(60, 4)),
        )
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config, identity="goal-worker"):
            result = await client.execute_workflow(
                CodexGoalWorkflow.run,
                CodexGoalTaskInput(
                    goal=GoalSpec(key="note", objective="Draft and polish a note"),
                    task_queue=queue,
                ),
                id=unique("goal"),
                task_queue=queue,
                result_type=CodexGoalResult,
            )
    assert result.status == "completed"
    assert result.goal_status == "complete"
    assert result.objective == "Draft and polish a note"
    assert result.final_response == "Polished and done."
    assert result.worker == "goal-worker"
    # the goal's runtime turns are one logical turn: its usage sums every model call
    assert result.usage is not None
    assert result.usage.total_tokens == 42 + 53 + 64
    assert result.goal_tokens_used is not None
    assert result.goal_tokens_used > 0
    assert [item.text for item in result.items if item.type == "agentMessage"] == [
        "Drafted.",
        "Polished and done.",
    ]


async def test_cancelling_a_goal_workflow_pauses_the_goal(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("goal-cancel")
    with OfflineModel() as model:
        model.enqueue(Reply.text("Step one."), Reply.hang(partial_text="step two"))
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config) as activities:
            handle = await client.start_workflow(
                CodexGoalWorkflow.run,
                CodexGoalTaskInput(
                    goal=GoalSpec(key="g", objective="Three steps"), task_queue=queue
                ),
                id=unique("goal"),
                task_queue=queue,
            )
            await anyio.to_thread.run_sync(lambda: model.wait_for_requests(2, timeout=WAIT_S))
            thread_id = model.requests[0].thread_id
            assert thread_id is not None
            await handle.cancel()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            assert isinstance(failure.value.cause, CancelledError)
            # the activity paused the goal before it returned: the runtime starts no more turns
            codex = await activities.codex()
            thread = await codex.thread_resume(thread_id)
            goal = await thread.goal()
            assert goal is not None
            assert str(goal.status.value) == "paused"
        assert model.request_count == 2
