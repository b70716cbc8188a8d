"""Workflows: one Codex task with human approvals, and a bounded fan-out of tasks.

Workflow code only (deterministic, no I/O): everything that touches a runtime is the
``run_codex_turn`` activity, which a worker with :class:`CodexActivities` runs.

- :class:`CodexTaskWorkflow` runs one task's turns (its prompt, then its follow-ups) as
  activities (heartbeat timeout, retries, cancellation that interrupts the turn) and answers the activity's approval
  requests from its :class:`~openai_codex.temporal.approvals.ApprovalDesk` (updates
  ``codex_request_approval`` / ``codex_answer_approval``, queries
  ``codex_pending_approvals`` / ``codex_approval_log``; query ``codex_thread_id``).
- :class:`CodexGoalWorkflow` pursues one goal as the ``run_codex_goal`` activity (the
  runtime's turns for it, followed as one), with the same approvals, retries and queries;
  cancelling the workflow pauses the goal on the runtime (``resume`` it later on the thread).
- :class:`CodexFanOutWorkflow` runs N tasks as child ``CodexTaskWorkflow`` s (id
  ``<parent id>/<task key>``, where their approvals are answered), at most
  ``max_concurrent`` at once, and records each task's outcome; a failed task never stops
  the others.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ChildWorkflowError
from temporalio.workflow import ActivityCancellationType, HandlerUnfinishedPolicy

with workflow.unsafe.imports_passed_through():
    from .approvals import (
        ANSWER_APPROVAL,
        APPROVAL_LOG,
        PENDING_APPROVALS,
        REQUEST_APPROVAL,
        ApprovalDesk,
    )
    from .models import (
        RUN_GOAL_ACTIVITY,
        RUN_TURN_ACTIVITY,
        ApprovalAnswer,
        ApprovalRequest,
        CodexGoalInput,
        CodexGoalResult,
        CodexGoalTaskInput,
        CodexTaskInput,
        CodexTurnInput,
        CodexTurnResult,
        FanOutInput,
        FanOutResult,
        RetrySettings,
        TaskOutcome,
        TaskSpec,
    )

#: Query: the task's thread id once the turn activity reported it (``None`` before).
THREAD_ID_QUERY = "codex_thread_id"


def _activity_options(retry: RetrySettings, task_queue: str | None) -> dict[str, Any]:
    """How a Codex activity is scheduled: its queue, deadlines, retries and cancellation."""
    return {
        "task_queue": task_queue,
        "start_to_close_timeout": timedelta(seconds=retry.start_to_close_s),
        "heartbeat_timeout": timedelta(seconds=retry.heartbeat_timeout_s),
        "retry_policy": RetryPolicy(
            initial_interval=timedelta(seconds=retry.initial_interval_s),
            maximum_attempts=retry.maximum_attempts,
        ),
        "cancellation_type": ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }


@workflow.defn(name="CodexTaskWorkflow")
class CodexTaskWorkflow:
    """One Codex task: its turn as an activity, its approvals as updates."""

    @workflow.init
    def __init__(self, input: CodexTaskInput) -> None:
        self._desk = ApprovalDesk(input.approval_timeout_s)
        self._thread_id: str | None = None

    @workflow.run
    async def run(self, input: CodexTaskInput) -> CodexTurnResult:
        """Run the task's turns (``prompt``, then each of ``followups``); the result of the
        last turn's last attempt (``turns``: how many ran)."""
        task = input.task
        retry = input.retry
        prompts = [task.prompt, *task.followups]
        result: CodexTurnResult | None = None
        for number, prompt in enumerate(prompts, start=1):
            result = await workflow.execute_activity(
                RUN_TURN_ACTIVITY,
                CodexTurnInput(
                    prompt=prompt,
                    thread_id=self._thread_id,
                    workspace=task.workspace,
                    options=task.options,
                ),
                result_type=CodexTurnResult,
                **_activity_options(retry, input.task_queue),
                summary=task.key if len(prompts) == 1 else f"{task.key} turn {number}",
            )
            self._thread_id = result.thread_id
            if number > 1:
                result = result.model_copy(update={"turns": number})
            if result.status != "completed":
                break
        assert result is not None
        return result

    @workflow.update(name=REQUEST_APPROVAL, unfinished_policy=HandlerUnfinishedPolicy.ABANDON)
    async def request_approval(self, request: ApprovalRequest) -> ApprovalAnswer:
        """Sent by the turn activity: wait for the answer (or the fail-closed default)."""
        self._thread_id = self._thread_id or request.thread_id
        return await self._desk.request(request)

    @workflow.update(name=ANSWER_APPROVAL)
    def answer_approval(self, answer: ApprovalAnswer) -> None:
        """Sent by a person or service: answer one pending approval request."""
        self._desk.answer(answer)

    @answer_approval.validator
    def _validate_answer(self, answer: ApprovalAnswer) -> None:
        self._desk.validate_answer(answer)

    @workflow.query(name=PENDING_APPROVALS)
    def pending_approvals(self) -> list[ApprovalRequest]:
        """The approval requests waiting for an answer."""
        return self._desk.pending()

    @workflow.query(name=APPROVAL_LOG)
    def approval_log(self) -> list[ApprovalAnswer]:
        """Every approval answer given so far (timeouts included)."""
        return self._desk.log()

    @workflow.query(name=THREAD_ID_QUERY)
    def thread_id(self) -> str | None:
        """The task's thread id, once known."""
        return self._thread_id


@workflow.defn(name="CodexGoalWorkflow")
class CodexGoalWorkflow(CodexTaskWorkflow):
    """One Codex goal: its logical turn as an activity, its approvals as updates (the
    approval updates and queries are :class:`CodexTaskWorkflow`'s)."""

    @workflow.init
    def __init__(self, input: CodexGoalTaskInput) -> None:
        self._desk = ApprovalDesk(input.approval_timeout_s)
        self._thread_id: str | None = None

    @workflow.run
    async def run(self, input: CodexGoalTaskInput) -> CodexGoalResult:  # type: ignore[override]
        """Pursue the goal; the result of the activity's last attempt."""
        goal = input.goal
        retry = input.retry
        result: CodexGoalResult = await workflow.execute_activity(
            RUN_GOAL_ACTIVITY,
            CodexGoalInput(
                objective=goal.objective,
                token_budget=goal.token_budget,
                thread_id=self._thread_id,
                workspace=goal.workspace,
                options=goal.options,
            ),
            result_type=CodexGoalResult,
            **_activity_options(retry, input.task_queue),
            summary=goal.key,
        )
        self._thread_id = result.thread_id
        return result


@workflow.defn(name="CodexFanOutWorkflow")
class CodexFanOutWorkflow:
    """N Codex tasks, at most ``max_concurrent`` at once; every outcome recorded."""

    def __init__(self) -> None:
        self._outcomes: dict[str, TaskOutcome] = {}

    @workflow.run
    async def run(self, input: FanOutInput) -> FanOutResult:
        """Run every task as a child workflow; return all outcomes in the tasks' order."""
        slots = asyncio.Semaphore(input.max_concurrent)  # deterministic in a workflow

        async def one(task: TaskSpec) -> None:
            async with slots:
                self._outcomes[task.key] = await self._run_task(input, task)

        await asyncio.gather(*(one(task) for task in input.tasks))
        outcomes = [self._outcomes[task.key] for task in input.tasks]
        completed = sum(outcome.ok for outcome in outcomes)
        return FanOutResult(
            outcomes=outcomes, completed=completed, failed=len(outcomes) - completed
        )

    async def _run_task(self, input: FanOutInput, task: TaskSpec) -> TaskOutcome:
        try:
            result = await workflow.execute_child_workflow(
                CodexTaskWorkflow.run,
                CodexTaskInput(
                    task=task,
                    task_queue=input.task_queue,
                    retry=input.retry,
                    approval_timeout_s=input.approval_timeout_s,
                ),
                id=f"{workflow.info().workflow_id}/{task.key}",
                task_queue=input.task_queue,
            )
        except (ChildWorkflowError, ActivityError) as exc:
            cause = exc.cause if exc.cause is not None else exc
            return TaskOutcome(key=task.key, ok=False, error=f"{cause}")
        ok = result.status == "completed"
        error = None if ok else result.error or f"turn {result.status}"
        return TaskOutcome(key=task.key, ok=ok, result=result, error=error)

    @workflow.query(name="codex_outcomes")
    def outcomes(self) -> list[TaskOutcome]:
        """The outcomes recorded so far (tasks still running are absent)."""
        return list(self._outcomes.values())
