"""``python -m openai_codex.tasks TASKS --out DIR``: run a task set (see docs/tasks.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import TaskFileError, TemporalSettings, run_tasks

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(
        prog="python -m openai_codex.tasks",
        description="Run Codex over a set of tasks: each in a fresh workspace, checked, "
        "recorded in DIR/results.jsonl (a rerun resumes), shown in DIR/report.html.",
    )
    p.add_argument("tasks", help="a JSONL file (one task per line) or a directory of tasks")
    p.add_argument("--out", "-o", required=True, help="the run directory")
    p.add_argument("--concurrency", "-j", type=int, default=4, help="tasks at once (4)")
    p.add_argument(
        "--timeout", type=float, default=600.0, help="seconds per turn unless a task says (600)"
    )
    p.add_argument("--fresh", action="store_true", help="forget earlier results in DIR")
    p.add_argument(
        "--progress",
        choices=["auto", "rich", "plain", "none"],
        default="auto",
        help="rich on a terminal, plain lines otherwise (auto)",
    )
    p.add_argument("--no-report", action="store_true", help="do not write report.html")
    p.add_argument("--title", help="the report's title")
    runtime = p.add_argument_group("runtime")
    runtime.add_argument("--codex-home", help="CODEX_HOME of the runtime (its config, threads)")
    runtime.add_argument("--codex-bin", help="a specific codex executable")
    runtime.add_argument(
        "--config",
        "-c",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a runtime config override (repeatable)",
    )
    temporal = p.add_argument_group("temporal (pip install 'openai-codex[temporal]')")
    temporal.add_argument("--temporal", metavar="HOST:PORT", help="run the turns on Temporal")
    temporal.add_argument("--task-queue", default="codex-tasks", help="(codex-tasks)")
    temporal.add_argument("--namespace", default="default")
    temporal.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run a worker in this process (workers run elsewhere)",
    )
    temporal.add_argument("--max-attempts", type=int, default=3, help="attempts per turn (3)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the summary line; exit 0 when every task passed, 1 otherwise, 2 on a
    bad task set or option."""
    args = parser().parse_args(argv)
    from .. import CodexConfig

    env = {"CODEX_HOME": args.codex_home} if args.codex_home else None
    config = CodexConfig(codex_bin=args.codex_bin, env=env, config_overrides=tuple(args.config))
    temporal = None
    if args.temporal:
        temporal = TemporalSettings(
            address=args.temporal,
            task_queue=args.task_queue,
            namespace=args.namespace,
            worker=not args.no_worker,
            max_attempts=args.max_attempts,
        )
    try:
        summary = run_tasks(
            args.tasks,
            out=args.out,
            config=config,
            concurrency=args.concurrency,
            timeout=args.timeout,
            fresh=args.fresh,
            progress=args.progress,
            report=not args.no_report,
            title=args.title,
            temporal=temporal,
        )
    except (TaskFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.line(), flush=True)
    return 0 if summary.passed == len(summary.results) else 1


if __name__ == "__main__":
    sys.exit(main())
