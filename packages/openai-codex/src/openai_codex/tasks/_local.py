"""Running tasks on one local runtime: one ``AsyncCodex``, a thread per task, at most N at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from ._check import run_check
from ._results import DiffStats, ResultsFile, TaskResult, TaskStatus, Tokens
from ._spec import Task
from ._workspace import diff_stats, fresh_workspace

if TYPE_CHECKING:
    from .. import AsyncCodex, CodexConfig
    from ._progress import Progress

__all__ = ["finish_task", "run_local", "tokens_of"]

_RESPONSE_CHARS = 2_000  # of the final response kept in a result


def tokens_of(usage: Any) -> Tokens:
    """``Tokens`` from a ``TokenUsageBreakdown`` (or anything with its fields)."""
    if usage is None:
        return Tokens()
    return Tokens(
        input=int(getattr(usage, "input_tokens", 0) or 0),
        cached_input=int(getattr(usage, "cached_input_tokens", 0) or 0),
        output=int(getattr(usage, "output_tokens", 0) or 0),
        reasoning_output=int(getattr(usage, "reasoning_output_tokens", 0) or 0),
        total=int(getattr(usage, "total_tokens", 0) or 0),
    )


def _short(text: str | None) -> str | None:
    if text is None or len(text) <= _RESPONSE_CHARS:
        return text
    return text[: _RESPONSE_CHARS - 3] + "..."


def workspace_of(out: Path, task: Task) -> Path:
    """Where ``task`` works in the run directory ``out``."""
    return out / "workspaces" / task.id


async def finish_task(
    task: Task,
    *,
    out: Path,
    workspace: Path,
    fields: dict[str, Any],
    status: TaskStatus | None,
) -> TaskResult:
    """After the turn: the check (when the turn completed, ``status is None``), the diff
    stats, the result. ``fields`` has what the turn produced."""
    check_exit = None
    check_output = None
    if status is None:
        if task.check is None:
            status = "passed"
        else:
            outcome = await run_check(
                task.check,
                workspace,
                limit_s=task.check_timeout,
                log=out / "logs" / f"{task.id}.check.log",
            )
            check_exit, check_output = outcome.exit_code, outcome.output
            status = "passed" if outcome.exit_code == 0 else "failed"
            if outcome.timed_out:
                fields.setdefault("error", f"the check ran past {task.check_timeout:g} s")
            elif status == "failed":
                fields.setdefault("error", f"the check exited {outcome.exit_code}")
    try:
        stats = await anyio.to_thread.run_sync(diff_stats, task.repo, workspace)
    except OSError:
        stats = DiffStats()
    finished = time.time()
    started = float(fields.pop("started_at"))
    return TaskResult(
        id=task.id,
        status=status,
        passed=status == "passed",
        duration_s=round(finished - started, 3),
        diff=stats,
        check_exit=check_exit,
        check_output=check_output,
        workspace=str(workspace),
        started_at=started,
        finished_at=finished,
        **fields,
    )


async def _turn(
    codex: AsyncCodex, task: Task, workspace: Path, limit_s: float, fields: dict[str, Any]
) -> Any:
    """Run the task's turn (or goal) and return its ``TurnResult``; ``fields`` gets the
    thread id and the number of turns."""
    thread = await codex.thread_start(
        cwd=str(workspace), sandbox=task.sandbox, approval_mode="deny_all", model=task.model
    )
    fields["thread_id"] = thread.id
    fields["turns"] = 1
    if task.goal_budget is not None:
        result = await thread.run_goal(task.prompt, token_budget=task.goal_budget, timeout=limit_s)
        turns = 0
        async for _ in thread.turns():
            turns += 1
        fields["turns"] = max(turns, 1)
        return result
    handle = await thread.turn(task.prompt, output_schema=task.output_schema)
    return await handle.run(timeout=limit_s)


async def run_task(
    codex: AsyncCodex, task: Task, *, out: Path, turn_timeout_s: float
) -> TaskResult:
    """One task end to end: a fresh workspace, a thread, the turn, the check."""
    from ..errors import CodexError, TurnFailedError, TurnTimeoutError
    from ..structured import StructuredOutputError

    fields: dict[str, Any] = {"started_at": time.time()}
    workspace = workspace_of(out, task)
    try:
        await anyio.to_thread.run_sync(fresh_workspace, task.repo, workspace, task.ref)
    except OSError as exc:
        fields["error"] = f"the workspace could not be made: {exc}"
        return await finish_task(task, out=out, workspace=workspace, fields=fields, status="error")
    status: TaskStatus | None = None
    turn_timeout = task.timeout if task.timeout is not None else turn_timeout_s
    began = time.monotonic()
    result: Any = None
    try:
        result = await _turn(codex, task, workspace, turn_timeout, fields)
    except TurnTimeoutError as exc:
        status, result = "timed_out", exc.result
        fields["error"] = str(exc)
    except (TurnFailedError, StructuredOutputError) as exc:  # the model's doing: a failure
        status, result = "failed", exc.result
        fields["error"] = str(exc)
    except CodexError as exc:
        status = "error"
        fields["error"] = f"{type(exc).__name__}: {exc}"
    fields["turn_s"] = round(time.monotonic() - began, 3)
    if result is not None:
        fields["tokens"] = tokens_of(result.turn_usage)
        fields["final_response"] = _short(result.final_response)
        fields["turn_status"] = str(getattr(result.status, "value", result.status))
        parsed = result.parsed
        if parsed is not None:
            dump = getattr(parsed, "model_dump", None)
            fields["output"] = dump(mode="json") if callable(dump) else parsed
        if status is None and fields["turn_status"] != "completed":
            status = "failed"
            fields["error"] = f"the turn ended {fields['turn_status']}"
    return await finish_task(task, out=out, workspace=workspace, fields=fields, status=status)


async def run_local(
    todo: list[Task],
    *,
    config: CodexConfig | None,
    concurrency: int,
    turn_timeout_s: float,
    out: Path,
    results: ResultsFile,
    progress: Progress,
    on_result: Callable[[TaskResult], None] | None = None,
) -> list[TaskResult]:
    """Run ``todo`` on one runtime, at most ``concurrency`` at once; each result is
    recorded in ``results`` as soon as its task ends."""
    from .. import AsyncCodex

    limiter = anyio.CapacityLimiter(concurrency)
    finished: list[TaskResult] = []

    async def one(codex: AsyncCodex, task: Task) -> None:
        async with limiter:
            progress.started(task.id)
            result = await run_task(codex, task, out=out, turn_timeout_s=turn_timeout_s)
            results.append(result)
            finished.append(result)
            progress.finished(result)
            if on_result is not None:
                on_result(result)

    if not todo:
        return finished
    async with AsyncCodex(config) as codex, anyio.create_task_group() as group:
        for task in todo:
            group.start_soon(one, codex, task)
    return finished
