"""``arun_tasks`` / ``run_tasks``: a task set in, results, a report and a summary out."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import anyio

from ._local import run_local
from ._progress import ProgressMode, make_progress
from ._report import write_report
from ._results import ResultsFile, RunSummary, TaskResult, ordered
from ._spec import Task, load_tasks

if TYPE_CHECKING:
    from .. import CodexConfig
    from ._temporal import TemporalSettings

__all__ = ["RESULTS_FILE", "REPORT_FILE", "arun_tasks", "run_tasks"]

RESULTS_FILE = "results.jsonl"
REPORT_FILE = "report.html"


async def arun_tasks(
    tasks: str | Path | Iterable[Task | dict[str, Any]],
    *,
    out: str | Path,
    config: CodexConfig | None = None,
    concurrency: int = 4,
    timeout: float = 600.0,  # noqa: ASYNC109  (seconds per turn, not this call's deadline)
    fresh: bool = False,
    progress: ProgressMode = "auto",
    progress_file: IO[str] | None = None,
    report: bool = True,
    title: str | None = None,
    temporal: TemporalSettings | None = None,
) -> RunSummary:
    """Run a task set and return its :class:`RunSummary`.

    ``tasks``: a JSONL file, a directory, or ``Task``s (see :func:`load_tasks`).
    ``out``: the run directory: ``results.jsonl`` (one line per finished task),
    ``report.html``, ``workspaces/<id>/`` and ``logs/``. A run directory that already
    holds results is resumed: finished tasks are skipped (``fresh=True`` starts over).
    ``config``: the runtime's ``CodexConfig`` (one runtime for the whole run).
    ``concurrency``: tasks at once; ``timeout``: seconds per turn unless a task says.
    ``progress``: ``auto`` (rich on a terminal, plain lines otherwise), ``rich``,
    ``plain`` or ``none``. ``temporal``: run the turns on Temporal workers instead
    (:class:`~openai_codex.tasks.TemporalSettings`).
    """
    if type(concurrency) is not int or concurrency < 1:
        raise ValueError(f"concurrency must be a positive int; got {concurrency!r}")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive; got {timeout!r}")
    task_list = load_tasks(tasks)
    run_dir = Path(out)
    run_dir.mkdir(parents=True, exist_ok=True)
    results = ResultsFile(run_dir / RESULTS_FILE)
    if fresh:
        results.reset()
    order = [task.id for task in task_list]
    known = set(order)
    # an ``error`` (the runtime died, a workspace could not be made) is run again
    done = [r for r in results.read() if r.id in known and r.status != "error"]
    done_ids = {r.id for r in done}
    todo = [task for task in task_list if task.id not in done_ids]
    display = make_progress(progress, progress_file)
    display.start(len(task_list), done, concurrency)
    new: list[TaskResult] = []
    try:
        if temporal is None:
            new = await run_local(
                todo,
                config=config,
                concurrency=concurrency,
                turn_timeout_s=timeout,
                out=run_dir,
                results=results,
                progress=display,
            )
        else:
            from ._temporal import run_temporal

            new = await run_temporal(
                todo,
                settings=temporal,
                config=config,
                concurrency=concurrency,
                turn_timeout_s=timeout,
                out=run_dir,
                results=results,
                progress=display,
            )
    finally:
        display.stop()
    everything = ordered([*done, *new], order)
    report_path = None
    if report:
        name = (
            title
            or f"Codex task run: {Path(str(tasks)).name if isinstance(tasks, (str, Path)) else run_dir.name}"
        )
        report_path = str(write_report(everything, run_dir / REPORT_FILE, title=name))
    return RunSummary(
        results=everything,
        results_path=str(results.path),
        report_path=report_path,
        resumed=len(done),
    )


def run_tasks(
    tasks: str | Path | Iterable[Task | dict[str, Any]],
    *,
    out: str | Path,
    config: CodexConfig | None = None,
    concurrency: int = 4,
    timeout: float = 600.0,
    fresh: bool = False,
    progress: ProgressMode = "auto",
    progress_file: IO[str] | None = None,
    report: bool = True,
    title: str | None = None,
    temporal: TemporalSettings | None = None,
) -> RunSummary:
    """:func:`arun_tasks` from synchronous code (it runs its own event loop)."""
    return anyio.run(
        partial(
            arun_tasks,
            tasks,
            out=out,
            config=config,
            concurrency=concurrency,
            timeout=timeout,
            fresh=fresh,
            progress=progress,
            progress_file=progress_file,
            report=report,
            title=title,
            temporal=temporal,
        )
    )
