"""Helpers shared by the Temporal tests: an in-process worker, unique ids."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import Any

from temporalio.client import Client

from openai_codex import CodexConfig
from openai_codex.stores import ThreadStore
from openai_codex.temporal import CodexActivities, create_worker


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@asynccontextmanager
async def running_worker(
    client: Client,
    task_queue: str,
    config: CodexConfig,
    *,
    identity: str = "in-process",
    store: ThreadStore | None = None,
    checkpoint_every_s: float | None = 30.0,
    **options: Any,
) -> AsyncIterator[CodexActivities]:
    """A worker with the Codex activities and workflows, polling while the block runs."""
    activities = CodexActivities(
        config,
        identity=identity,
        heartbeat_every_s=0.2,
        store=store,
        checkpoint_every_s=checkpoint_every_s,
    )
    worker = create_worker(client, task_queue, activities, **options)
    try:
        async with worker:
            yield activities
    finally:
        await activities.close()


@contextmanager
def worker_process(
    address: str,
    task_queue: str,
    codex_home: Path,
    identity: str,
    *,
    cwd: Path,
    extra_args: tuple[str, ...] = (),
) -> Iterator[subprocess.Popen[str]]:
    """``python -m openai_codex.temporal worker`` (activities only) in its own session;
    yields once it polls; the whole process group is killed at the end."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openai_codex.temporal",
            "worker",
            "--address",
            address,
            "--task-queue",
            task_queue,
            "--identity",
            identity,
            "--codex-home",
            str(codex_home),
            "--cwd",
            str(cwd),
            "--heartbeat-every",
            "0.2",
            "--no-workflows",
            *extra_args,
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the worker prints one line when it polls
        assert f"worker {identity} polling {task_queue}" in line, line
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
