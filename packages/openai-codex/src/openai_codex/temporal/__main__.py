"""``python -m openai_codex.temporal worker ...``: a worker process with one Codex runtime.

Example::

    python -m openai_codex.temporal worker --address localhost:7233 \\
        --task-queue codex --max-concurrent-turns 4 --codex-home /shared/codex-home

It prints one line ``openai_codex.temporal worker <identity> polling <task queue>`` when
it starts polling, and stops cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence

from openai_codex import CodexConfig
from openai_codex.stores import open_store

from .worker import run_worker


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (``worker`` is the one command)."""
    parser = argparse.ArgumentParser(prog="python -m openai_codex.temporal")
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="run a Temporal worker with a Codex runtime")
    worker.add_argument("--address", default="localhost:7233", help="Temporal frontend host:port")
    worker.add_argument("--namespace", default="default")
    worker.add_argument("--task-queue", required=True)
    worker.add_argument("--max-concurrent-turns", type=int, default=4)
    worker.add_argument("--identity", default=None, help="worker identity (default pid@host)")
    worker.add_argument(
        "--codex-home", default=None, help="the runtime's CODEX_HOME (where threads live)"
    )
    worker.add_argument("--codex-bin", default=None, help="the codex executable")
    worker.add_argument("--cwd", default=None, help="the runtime's working directory")
    worker.add_argument(
        "--workspace-root", default=None, help="where relative workspace paths are created"
    )
    worker.add_argument("--client-name", default=None, help="client name the runtime reports")
    worker.add_argument(
        "--heartbeat-every", type=float, default=1.0, help="heartbeat throttle (seconds)"
    )
    worker.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"]
    )
    worker.add_argument(
        "--no-workflows", action="store_true", help="run the activities only, not the workflows"
    )
    worker.add_argument(
        "--thread-store",
        default=None,
        help="the thread store the workers share: a directory, sqlite:///FILE, a "
        "postgresql:// DSN (or PG* variables with 'postgresql://') or an fsspec URL",
    )
    worker.add_argument(
        "--checkpoint-every",
        type=float,
        default=30.0,
        help="save a running turn to the thread store every N seconds (0: after turns only)",
    )
    args = parser.parse_args(argv)
    if args.max_concurrent_turns < 1:
        parser.error("--max-concurrent-turns must be at least 1")
    if args.heartbeat_every <= 0:
        parser.error("--heartbeat-every must be positive")
    if args.checkpoint_every < 0:
        parser.error("--checkpoint-every must not be negative")
    return args


def codex_config(args: argparse.Namespace) -> CodexConfig:
    """The runtime's configuration from the command line."""
    fields: dict[str, object] = {}
    if args.codex_home is not None:
        fields["env"] = {"CODEX_HOME": args.codex_home}
    if args.codex_bin is not None:
        fields["codex_bin"] = args.codex_bin
    if args.cwd is not None:
        fields["cwd"] = args.cwd
    if args.client_name is not None:
        fields["client_name"] = args.client_name
    return CodexConfig(**fields)  # type: ignore[arg-type]


async def _serve(args: argparse.Namespace) -> None:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows' event loop: there Ctrl-C (KeyboardInterrupt) stops the worker.
        if task is not None:
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, task.cancel)

    def ready(identity: str) -> None:
        print(
            f"openai_codex.temporal worker {identity} polling {args.task_queue}",
            flush=True,
        )

    with contextlib.suppress(asyncio.CancelledError):
        await run_worker(
            args.address,
            args.task_queue,
            namespace=args.namespace,
            config=codex_config(args),
            max_concurrent_turns=args.max_concurrent_turns,
            workflows=not args.no_workflows,
            identity=args.identity,
            workspace_root=args.workspace_root,
            heartbeat_every_s=args.heartbeat_every,
            on_ready=ready,
            store=None if args.thread_store is None else open_store(args.thread_store),
            checkpoint_every_s=args.checkpoint_every or None,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the process's exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format=f"%(asctime)s {args.identity or 'worker'} %(name)s %(levelname)s %(message)s",
    )
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
