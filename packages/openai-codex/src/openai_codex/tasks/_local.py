"""Running tasks on one local runtime: one ``AsyncCodex``, a thread per task, at most N at once."""

from __future__ import annotations

import logging
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
#: new runtimes a run may start after its runtime died (then the tasks left are errors)
MAX_RESTARTS = 3
_log = logging.getLogger("openai_codex.tasks")


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
) -> tuple[TaskResult, bool]:
    """One task end to end: a fresh workspace, a thread, the turn, the check; and whether
    the runtime went away meanwhile (the task is then an ``error``)."""
    from ..errors import CodexError, TransportClosedError, TurnFailedError, TurnTimeoutError
    from ..structured import StructuredOutputError

    fields: dict[str, Any] = {"started_at": time.time()}
    workspace = workspace_of(out, task)
    try:
        await anyio.to_thread.run_sync(fresh_workspace, task.repo, workspace, task.ref)
    except OSError as exc:
        fields["error"] = f"the workspace could not be made: {exc}"
        failed = await finish_task(
            task, out=out, workspace=workspace, fields=fields, status="error"
        )
        return failed, False
    status: TaskStatus | None = None
    gone = False
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
    except TransportClosedError as exc:
        status, gone = "error", True
        fields["error"] = f"the runtime went away: {exc}"
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
    done = await finish_task(task, out=out, workspace=workspace, fields=fields, status=status)
    return done, gone


class _Runtime:
    """The run's one runtime, replaced by a new one when it dies (a crash must not turn
    every task left into an error), at most :data:`MAX_RESTARTS` times."""

    def __init__(self, config: CodexConfig | None) -> None:
        self._config = config
        self._codex: AsyncCodex | None = None
        self._lock = anyio.Lock()
        self.restarts = 0

    async def current(self) -> AsyncCodex:
        """The live client, started on first use."""
        async with self._lock:
            if self._codex is None:
                self._codex = await self._start()
            return self._codex

    async def _start(self) -> AsyncCodex:
        from .. import AsyncCodex

        codex = AsyncCodex(self._config)
        await codex.__aenter__()
        return codex

    async def replace(self, dead: AsyncCodex) -> bool:
        """Start a new runtime in place of ``dead`` (unless another task did); ``False``
        when the restarts are used up or the new runtime does not start."""
        from ..errors import CodexError

        async with self._lock:
            if self._codex is not dead:
                return True  # another task replaced it already
            if self.restarts >= MAX_RESTARTS:
                return False  # the dead one stays: the tasks left fail fast as errors
            self.restarts += 1
            _log.warning("the runtime went away; starting a new one (%d)", self.restarts)
            with anyio.CancelScope(shield=True):
                await dead.close()
            try:
                self._codex = await self._start()
            except CodexError as exc:
                _log.error("the new runtime did not start: %s", exc)
                return False
            return True

    async def close(self) -> None:
        """Stop the runtime."""
        async with self._lock:
            codex, self._codex = self._codex, None
        if codex is not None:
            with anyio.CancelScope(shield=True):
                await codex.close()


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
    limiter = anyio.CapacityLimiter(concurrency)
    finished: list[TaskResult] = []
    runtime = _Runtime(config)

    async def one(task: Task) -> None:
        async with limiter:
            progress.started(task.id)
            while True:  # once more on a new runtime when the runtime died under the task
                codex = await runtime.current()
                result, gone = await run_task(codex, task, out=out, turn_timeout_s=turn_timeout_s)
                if not gone or not await runtime.replace(codex):
                    break
            results.append(result)
            finished.append(result)
            progress.finished(result)
            if on_result is not None:
                on_result(result)

    if not todo:
        return finished
    try:
        await runtime.current()  # a runtime that cannot start fails the run here, once
        async with anyio.create_task_group() as group:
            for task in todo:
                group.start_soon(one, task)
    finally:
        await runtime.close()
    return finished
