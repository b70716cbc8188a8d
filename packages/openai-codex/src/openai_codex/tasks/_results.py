"""A task's result, the results JSONL file (appended, synced line by line) and the summary."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = ["DiffStats", "ResultsFile", "RunSummary", "TaskResult", "Tokens"]

#: how a task ended: its check passed, it failed (check or turn), its turn ran out of
#: time, or something else stopped it (the runtime, the workspace, a bad schema)
TaskStatus = Literal["passed", "failed", "timed_out", "error"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Tokens(_Model):
    """Tokens a task used (all its turns)."""

    input: int = 0
    cached_input: int = 0
    output: int = 0
    reasoning_output: int = 0
    total: int = 0


class DiffStats(_Model):
    """What the agent changed in the workspace, against the repository it was copied from."""

    files_changed: int = 0
    files_added: int = 0
    files_deleted: int = 0
    insertions: int = 0
    deletions: int = 0


class TaskResult(_Model):
    """One line of ``results.jsonl``: how one task went.

    ``status``: ``passed``, ``failed``, ``timed_out`` or ``error``; ``passed`` is
    ``status == "passed"``. ``turn_status``: the runtime's turn status (``completed``,
    ``failed``, ``interrupted``), ``None`` when no turn ran. ``duration_s``: the whole task
    (workspace, turn, check); ``turn_s``: the turn alone. ``check_exit``: the check
    command's exit status (``None`` without a check, or when it did not run);
    ``check_output``: its last lines. ``output``: the parsed structured output.
    """

    id: str
    status: TaskStatus
    passed: bool
    duration_s: float
    turn_s: float | None = None
    tokens: Tokens = Tokens()
    turns: int = 0
    diff: DiffStats = DiffStats()
    error: str | None = None
    turn_status: str | None = None
    check_exit: int | None = None
    check_output: str | None = None
    final_response: str | None = None
    output: Any = None
    thread_id: str | None = None
    workspace: str | None = None
    started_at: float = 0.0
    finished_at: float = 0.0
    mode: Literal["local", "temporal"] = "local"


class ResultsFile:
    """``results.jsonl``: read at start (finished tasks are skipped on resume), then one
    line appended, flushed and synced per finished task, so a killed run loses at most the
    task being written, whose line is then incomplete and ignored."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[TaskResult]:
        """The results recorded so far (a torn last line is dropped)."""
        if not self.path.exists():
            return []
        results: dict[str, TaskResult] = {}
        with self.path.open("rb") as file:
            data = file.read()
        lines = data.split(b"\n")
        for raw in lines:
            if not raw.strip():
                continue
            try:
                result = TaskResult.model_validate(json.loads(raw))
            except (ValueError, ValidationError):
                continue  # a line cut short by a kill: that task runs again
            results[result.id] = result
        if data and not data.endswith(b"\n"):  # end a torn line so the next append is whole
            with self.path.open("ab") as file:
                file.write(b"\n")
        return list(results.values())

    def append(self, result: TaskResult) -> None:
        """Record one finished task durably."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = result.model_dump_json() + "\n"
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line)
            file.flush()
            os.fsync(file.fileno())

    def reset(self) -> None:
        """Forget every recorded result (a run started afresh)."""
        self.path.unlink(missing_ok=True)


class RunSummary(_Model):
    """A run's outcome: every task's result (in task order) and where the report is."""

    results: list[TaskResult]
    results_path: str
    report_path: str | None = None
    resumed: int = 0
    """Tasks found finished in the results file and not run again."""

    @property
    def passed(self) -> int:
        """Tasks whose check passed."""
        return sum(r.status == "passed" for r in self.results)

    @property
    def timed_out(self) -> int:
        """Tasks whose turn ran out of time."""
        return sum(r.status == "timed_out" for r in self.results)

    @property
    def failed(self) -> int:
        """Tasks that neither passed nor timed out (a failed check, turn or error)."""
        return len(self.results) - self.passed - self.timed_out

    def line(self) -> str:
        """``tasks: N run, P passed, F failed, T timed out, report PATH``."""
        report = self.report_path or "(none)"
        return (
            f"tasks: {len(self.results)} run, {self.passed} passed, {self.failed} failed, "
            f"{self.timed_out} timed out, report {report}"
        )


def ordered(results: Iterable[TaskResult], order: list[str]) -> list[TaskResult]:
    """``results`` in the order of task ids ``order`` (ids not in it at the end)."""
    rank = {task_id: i for i, task_id in enumerate(order)}
    return sorted(results, key=lambda r: rank.get(r.id, len(rank)))
