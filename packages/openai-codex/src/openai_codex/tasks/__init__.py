"""Run Codex over a set of tasks: ``python -m openai_codex.tasks`` and this Python API.

A task set is a JSONL file (one task per line) or a directory (a sub-directory per task
with ``task.json``, optionally ``prompt.md`` and ``repo/``). Each task runs in a fresh
copy of its repository, on one local runtime (a thread per task, at most ``concurrency``
at once) or on Temporal workers (``temporal=TemporalSettings(...)``); its check command
decides pass or fail. Every finished task is a line of ``results.jsonl``, so an
interrupted run resumes where it stopped; ``report.html`` shows a pass/fail table and
the duration and token distributions::

    from openai_codex.tasks import run_tasks

    summary = run_tasks("tasks.jsonl", out="runs/nightly", concurrency=8)
    print(summary.line())   # tasks: 40 run, 31 passed, 8 failed, 1 timed out, report ...

See docs/tasks.md. Importing ``openai_codex`` never imports this package.
"""

from __future__ import annotations

from ._progress import PlainProgress, Progress, ProgressMode, RichProgress, make_progress
from ._report import render_report, write_report
from ._results import DiffStats, ResultsFile, RunSummary, TaskResult, TaskStatus, Tokens
from ._runner import REPORT_FILE, RESULTS_FILE, arun_tasks, run_tasks
from ._spec import Task, TaskFileError, load_tasks
from ._temporal import TemporalSettings

__all__ = [
    "REPORT_FILE",
    "RESULTS_FILE",
    "DiffStats",
    "PlainProgress",
    "Progress",
    "ProgressMode",
    "ResultsFile",
    "RichProgress",
    "RunSummary",
    "Task",
    "TaskFileError",
    "TaskResult",
    "TaskStatus",
    "TemporalSettings",
    "Tokens",
    "arun_tasks",
    "load_tasks",
    "make_progress",
    "render_report",
    "run_tasks",
    "write_report",
]
