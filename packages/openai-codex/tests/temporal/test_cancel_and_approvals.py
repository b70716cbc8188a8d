"""Cancellation interrupts the runtime's turn; approvals go through the workflow."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")
from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.exceptions import CancelledError

from openai_codex.temporal import (
    ANSWER_APPROVAL,
    APPROVAL_LOG,
    FAIL_CLOSED_ANSWERER,
    PENDING_APPROVALS,
    ApprovalAnswer,
    ApprovalRequest,
    CodexTaskInput,
    CodexTaskWorkflow,
    CodexTurnResult,
    RetrySettings,
    TaskSpec,
    TurnOptions,
    connect,
)
from openai_codex.testing import OfflineModel, Reply

from ._support import running_worker, unique

pytestmark = pytest.mark.anyio

WAIT_S = 60.0
FAST_RETRY = RetrySettings(heartbeat_timeout_s=2.0, initial_interval_s=0.2, maximum_attempts=3)


def escalated_echo(marker: str) -> Reply:
    """A shell call outside the sandbox (so the runtime asks for approval), no login shell."""
    return Reply.function_call(
        "exec_command",
        {
            "cmd": f"echo {marker}",
            "login": False,
            "yield_time_ms": 30000,
            "sandbox_permissions": "require_escalated",
            "justification": "The test asks for an approval.",
        },
    )


async def wait_for_requests(model: OfflineModel, count: int) -> None:
    await anyio.to_thread.run_sync(lambda: model.wait_for_requests(count, timeout=WAIT_S))


async def pending_approvals(handle: WorkflowHandle[Any, Any]) -> list[ApprovalRequest]:
    """Poll the workflow's pending approvals until one shows up (bounded)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        pending = await handle.query(PENDING_APPROVALS, result_type=list[ApprovalRequest])
        if pending:
            return pending
        assert time.monotonic() < deadline, "no approval request reached the workflow"
        await anyio.sleep(0.1)


async def start_task(
    client: Client, queue: str, prompt: str, **task_input: Any
) -> WorkflowHandle[Any, CodexTurnResult]:
    options = task_input.pop("options", TurnOptions())
    return await client.start_workflow(
        CodexTaskWorkflow.run,
        CodexTaskInput(
            task=TaskSpec(key="t", prompt=prompt, options=options),
            task_queue=queue,
            retry=FAST_RETRY,
            **task_input,
        ),
        id=unique("task"),
        task_queue=queue,
        result_type=CodexTurnResult,
    )


async def test_cancelling_the_workflow_interrupts_the_turn(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("cancel")
    with OfflineModel() as model:
        model.enqueue(Reply.hang(partial_text="Thinking", deltas=1))
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config) as activities:
            handle = await start_task(client, queue, "Take your time")
            await wait_for_requests(model, 1)
            thread_id = model.requests[0].thread_id
            assert thread_id is not None
            await handle.cancel()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            assert isinstance(failure.value.cause, CancelledError)
            # The activity waited for its cancellation to complete: the turn is interrupted.
            codex = await activities.codex()
            thread = await codex.thread_resume(thread_id)
            stored = await thread.read(include_turns=True)
            assert [str(turn.status.value) for turn in stored.thread.turns] == ["interrupted"]
        assert model.request_count == 1
        assert model.errors == []


async def test_an_approval_answered_through_the_workflow_reaches_the_runtime(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("approve")
    with OfflineModel() as model:
        model.enqueue(escalated_echo("approved-by-a-person"), Reply.text("Ran it."))
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config):
            handle = await start_task(
                client, queue, "Run the echo", options=TurnOptions(approval_mode="host")
            )
            [request] = await pending_approvals(handle)
            assert request.kind == "command"
            assert "echo approved-by-a-person" in (request.command or "")
            with pytest.raises(WorkflowUpdateFailedError):
                await handle.execute_update(
                    ANSWER_APPROVAL, ApprovalAnswer(request_id="nope", decision="accept")
                )
            await handle.execute_update(
                ANSWER_APPROVAL,
                ApprovalAnswer(
                    request_id=request.request_id, decision="accept", answered_by="reviewer"
                ),
            )
            result = await handle.result()
            log = await handle.query(APPROVAL_LOG, result_type=list[ApprovalAnswer])
        assert result.status == "completed"
        assert result.final_response == "Ran it."
        output = model.response_requests[1].function_call_outputs[0]["output"]
        assert "approved-by-a-person\n" in output
        assert [(a.decision, a.answered_by, a.timed_out) for a in log] == [
            ("accept", "reviewer", False)
        ]


async def test_an_unanswered_approval_is_declined_at_the_timeout(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("timeout")
    with OfflineModel() as model:
        model.enqueue(escalated_echo("nobody-approved-this"), Reply.text("It was declined."))
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config):
            handle = await start_task(
                client,
                queue,
                "Run the echo",
                options=TurnOptions(approval_mode="host"),
                approval_timeout_s=1.0,
            )
            result = await handle.result()
            log = await handle.query(APPROVAL_LOG, result_type=list[ApprovalAnswer])
        assert result.status == "completed"
        output = model.response_requests[1].function_call_outputs[0]["output"]
        assert "nobody-approved-this\n" not in output
        assert [(a.decision, a.answered_by, a.timed_out) for a in log] == [
            ("decline", FAIL_CLOSED_ANSWERER, True)
        ]
