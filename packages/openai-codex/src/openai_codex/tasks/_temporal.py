"""Running tasks on Temporal workers through ``openai_codex.temporal``'s fan-out workflow.

The runner prepares each task's workspace in the run directory (workers must see the same
path: the same machine, or a shared volume), starts one ``CodexFanOutWorkflow`` over the
tasks left to run, and runs each task's check here once the fan-out returns. The
workflow's id is derived from the run directory and the tasks, so a runner killed while
the fan-out runs re-attaches to it when started again (the workers keep working
meanwhile), or collects its result if it finished. Needs ``openai-codex[temporal]``.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio

from ._local import finish_task, tokens_of, workspace_of
from ._results import ResultsFile, TaskResult, TaskStatus
from ._spec import Task
from ._workspace import fresh_workspace

if TYPE_CHECKING:
    from .. import CodexConfig
    from ._progress import Progress

__all__ = ["TemporalSettings", "run_temporal"]

_SANDBOXES: dict[str, Literal["read_only", "workspace_write", "full_access"]] = {
    "read-only": "read_only",
    "workspace-write": "workspace_write",
    "danger-full-access": "full_access",
}


@dataclass(frozen=True)
class TemporalSettings:
    """Where and how a run uses Temporal.

    ``address``: the server (``host:port``). ``task_queue``: the queue the workers poll.
    ``worker``: also run a worker in this process, on the run's ``CodexConfig`` (for one
    machine; with ``False`` workers run elsewhere: ``python -m openai_codex.temporal
    worker``). ``max_attempts``: attempts per turn (a dead worker's turn is retried).
    ``heartbeat_timeout_s``: how long a silent worker is trusted. ``workflow_id``: the
    fan-out's id (default: derived from the run directory and the tasks).
    """

    address: str
    task_queue: str = "codex-tasks"
    namespace: str = "default"
    worker: bool = True
    max_attempts: int = 3
    heartbeat_timeout_s: float = 30.0
    workflow_id: str | None = None


def fan_out_id(out: Path, todo: list[Task]) -> str:
    """The fan-out workflow's id for these tasks of this run directory."""
    digest = hashlib.sha256(str(out.resolve()).encode())
    for task in todo:
        digest.update(b"\0" + task.id.encode())
    return f"codex-tasks-{digest.hexdigest()[:20]}"


def _spec(task: Task, workspace: Path) -> Any:
    from ..temporal import TaskSpec, TurnOptions, Workspace

    return TaskSpec(
        key=task.id,
        prompt=task.prompt,
        workspace=Workspace(path=str(workspace.resolve())),
        options=TurnOptions(
            approval_mode="deny_all",
            sandbox=_SANDBOXES[task.sandbox],
            model=task.model,
            output_schema=task.output_schema,
        ),
    )


def _outcome_fields(outcome: Any) -> tuple[dict[str, Any], TaskStatus | None]:
    """A fan-out outcome as result fields, and the status it decides (``None``: run the check)."""
    fields: dict[str, Any] = {"mode": "temporal", "turns": 1}
    turn = outcome.result
    status: TaskStatus | None = None
    if turn is not None:
        fields["thread_id"] = turn.thread_id
        fields["turn_status"] = turn.status
        fields["final_response"] = turn.final_response
        fields["tokens"] = tokens_of(turn.usage)
        fields["output"] = turn.parsed
        if turn.finished_at and turn.started_at:
            fields["turn_s"] = round(turn.finished_at - turn.started_at, 3)
        if turn.status != "completed":
            status = "failed"
            fields["error"] = turn.error or f"the turn ended {turn.status}"
    if not outcome.ok and status is None:
        error = outcome.error or "the task failed on Temporal"
        status = (
            "timed_out" if "timeout" in error.lower() or "timed out" in error.lower() else "error"
        )
        fields["error"] = error
    return fields, status


async def run_temporal(
    todo: list[Task],
    *,
    settings: TemporalSettings,
    config: CodexConfig | None,
    concurrency: int,
    turn_timeout_s: float,
    out: Path,
    results: ResultsFile,
    progress: Progress,
) -> list[TaskResult]:
    """Run ``todo`` as one fan-out on Temporal (see the module docstring)."""
    from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
    from temporalio.service import RPCError

    from ..temporal import (
        CodexActivities,
        CodexFanOutWorkflow,
        FanOutInput,
        FanOutResult,
        RetrySettings,
        connect,
        create_worker,
    )

    if not todo:
        return []
    client = await connect(settings.address, namespace=settings.namespace)
    workflow_id = settings.workflow_id or fan_out_id(out, todo)
    handle: WorkflowHandle[Any, FanOutResult] = client.get_workflow_handle(
        workflow_id, result_type=FanOutResult
    )
    try:
        state = (await handle.describe()).status
    except RPCError:  # not found: a new fan-out
        state = None
    began = time.time()
    finished: list[TaskResult] = []
    attach = state in (WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED)
    if not attach:
        ready = []
        for task in todo:
            workspace = workspace_of(out, task)
            try:
                await anyio.to_thread.run_sync(fresh_workspace, task.repo, workspace, task.ref)
            except OSError as exc:
                fields = {"started_at": time.time(), "mode": "temporal"}
                fields["error"] = f"the workspace could not be made: {exc}"
                result = await finish_task(
                    task, out=out, workspace=workspace, fields=fields, status="error"
                )
                results.append(result)
                finished.append(result)
                progress.finished(result)
            else:
                ready.append(task)
        todo = ready
        if not todo:
            return finished
    turn_timeout = max(
        task.timeout if task.timeout is not None else turn_timeout_s for task in todo
    )
    fan_out = FanOutInput(
        tasks=[_spec(task, workspace_of(out, task)) for task in todo],
        max_concurrent=concurrency,
        task_queue=settings.task_queue,
        retry=RetrySettings(
            start_to_close_s=turn_timeout,
            heartbeat_timeout_s=settings.heartbeat_timeout_s,
            maximum_attempts=settings.max_attempts,
        ),
    )
    for task in todo:
        progress.started(task.id)
    async with AsyncExitStack() as stack:
        if settings.worker:
            activities = CodexActivities(config, workspace_root=out / "workspaces")
            stack.push_async_callback(activities.close)
            worker = create_worker(
                client, settings.task_queue, activities, max_concurrent_turns=concurrency
            )
            await stack.enter_async_context(worker)
        if not attach:
            handle = await client.start_workflow(
                CodexFanOutWorkflow.run,
                fan_out,
                id=workflow_id,
                task_queue=settings.task_queue,
            )
        outcome_set: FanOutResult = await handle.result()
    by_key = {task.id: task for task in todo}
    limiter = anyio.CapacityLimiter(concurrency)

    async def check(task: Task, outcome: Any) -> None:
        """The task's check (here, at most ``concurrency`` at once) and its result line."""
        fields, status = _outcome_fields(outcome)
        started = outcome.result.started_at if outcome.result is not None else 0.0
        fields["started_at"] = started or began
        async with limiter:
            result = await finish_task(
                task, out=out, workspace=workspace_of(out, task), fields=fields, status=status
            )
        results.append(result)
        finished.append(result)
        progress.finished(result)

    async with anyio.create_task_group() as group:
        for outcome in outcome_set.outcomes:
            found = by_key.get(outcome.key)
            if found is not None:
                group.start_soon(check, found, outcome)
    return finished
