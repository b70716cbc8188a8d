"""Temporal workers with separate CODEX_HOMEs and a shared thread store: a turn retried on
another worker restores the thread from the store and continues the conversation."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import anyio
import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from temporalio.client import WorkflowFailureError

from openai_codex.stores import DirectoryStore, StoredThread
from openai_codex.temporal import (
    CodexTaskInput,
    CodexTaskWorkflow,
    CodexTurnResult,
    RetrySettings,
    TaskSpec,
    connect,
)
from openai_codex.temporal.__main__ import parse_args
from openai_codex.testing import OfflineModel, Reply

from ._support import running_worker, unique, worker_process
from .test_retries import reported_progress

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(240)]


async def test_a_retry_on_a_worker_with_another_home_restores_the_thread(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    workflows_queue, turns_queue = unique("workflows"), unique("turns")
    store_dir = tmp_path / "store"
    home_a, home_b = tmp_path / "home-a", tmp_path / "home-b"
    with OfflineModel() as model:
        # turn 1 completes on worker A; turn 2's first model call never ends
        model.enqueue(Reply.text("Planned."), Reply.hang(partial_text="Applying", deltas=1))
        config_b = model.codex_config(codex_home=home_b, cwd=str(tmp_path))
        model.codex_home(home_a)
        workflows_config = model.codex_config(codex_home=tmp_path / "home-w", cwd=str(tmp_path))
        async with running_worker(client, workflows_queue, workflows_config, identity="wf"):
            with worker_process(
                temporal_address,
                turns_queue,
                home_a,
                "worker-a",
                cwd=tmp_path,
                extra_args=("--thread-store", str(store_dir)),
            ) as worker_a:
                handle = await client.start_workflow(
                    CodexTaskWorkflow.run,
                    CodexTaskInput(
                        task=TaskSpec(key="t", prompt="Plan the fix", followups=["Apply the fix"]),
                        task_queue=turns_queue,
                        retry=RetrySettings(
                            heartbeat_timeout_s=4.0, initial_interval_s=0.2, maximum_attempts=10
                        ),
                    ),
                    id=unique("task"),
                    task_queue=workflows_queue,
                    result_type=CodexTurnResult,
                )
                await anyio.to_thread.run_sync(lambda: model.wait_for_requests(2, timeout=60))
                assert model.requests[1].last_user_text == "Apply the fix"
                progress = await reported_progress(client, handle.id)
                thread_id = progress.thread_id
                assert thread_id is not None
                # turn 1 was checkpointed: the store has the thread, home B does not
                assert await DirectoryStore(store_dir).info(thread_id) is not None
                os.kill(worker_a.pid, signal.SIGKILL)
            async with running_worker(
                client,
                turns_queue,
                config_b,
                identity="worker-b",
                store=DirectoryStore(store_dir),
            ):
                with anyio.fail_after(120):
                    result = await handle.result()
    assert result.status == "completed"
    assert result.worker == "worker-b"
    assert result.attempt >= 2
    # the attempt that first ran on worker B restored the thread (a later attempt there,
    # after a heartbeat timeout on a loaded machine, finds it already in place)
    assert result.restored or result.attempt > 2
    assert result.checkpointed
    assert result.turns == 2
    assert result.thread_id == thread_id
    assert result.final_response == "Offline model reply to: Apply the fix"
    # worker B's model call carries the turn worker A ran
    last = model.requests[-1]
    prompts = [t for t in last.user_texts if not t.startswith("<")]  # not the context blocks
    assert prompts[0] == "Plan the fix"
    # an attempt cut short on B (a heartbeat timeout on a loaded machine) leaves its prompt
    # in the thread before the one that completed
    assert set(prompts[1:]) == {"Apply the fix"}
    assert "Planned." in str(last.input)
    assert list(home_b.glob("sessions/**/*.jsonl"))


class SignallingStore(DirectoryStore):
    """A directory store that also tells the test when a save has completed."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.saved = anyio.Event()

    async def save(self, record: StoredThread, data: bytes, *, offset: int = 0) -> None:
        await super().save(record, data, offset=offset)
        self.saved.set()


async def test_a_long_turn_is_checkpointed_while_it_runs(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("checkpoints")
    store = SignallingStore(tmp_path / "store")
    with OfflineModel() as model:
        model.enqueue(Reply.hang(partial_text="Working", deltas=1))
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config, store=store, checkpoint_every_s=0.3):
            handle = await client.start_workflow(
                CodexTaskWorkflow.run,
                CodexTaskInput(task=TaskSpec(key="t", prompt="A long job"), task_queue=queue),
                id=unique("task"),
                task_queue=queue,
                result_type=CodexTurnResult,
            )
            await anyio.to_thread.run_sync(lambda: model.wait_for_requests(1, timeout=60))
            thread_id = model.requests[0].thread_id
            assert thread_id is not None
            with anyio.fail_after(60):
                await store.saved.wait()  # a periodic checkpoint, the turn still running
            _, data = await store.load(thread_id)
            assert b"A long job" in data  # the running turn's prompt is in the checkpoint
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()


def test_the_worker_command_line_takes_a_thread_store() -> None:
    args = parse_args(["worker", "--task-queue", "q", "--thread-store", "/srv/threads"])
    assert args.thread_store == "/srv/threads"
    assert args.checkpoint_every == 30.0
    with pytest.raises(SystemExit):
        parse_args(["worker", "--task-queue", "q", "--checkpoint-every", "-1"])
