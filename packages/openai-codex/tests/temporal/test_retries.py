"""A frozen or killed worker: the heartbeat timeout expires, the retry completes elsewhere."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import anyio
import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")
from temporalio.client import Client

from openai_codex.temporal import (
    CodexTaskInput,
    CodexTaskWorkflow,
    CodexTurnResult,
    RetrySettings,
    TaskSpec,
    TurnProgress,
    connect,
)
from openai_codex.testing import OfflineModel, Reply

from ._support import running_worker, unique, worker_process

pytestmark = pytest.mark.anyio


async def reported_progress(client: Client, workflow_id: str) -> TurnProgress:
    """Wait until the server holds the turn activity's heartbeat with a turn id."""
    converter = client.data_converter.payload_converter
    with anyio.fail_after(60):
        while True:
            description = await client.get_workflow_handle(workflow_id).describe()
            for pending in description.raw_description.pending_activities:
                details = pending.heartbeat_details.payloads
                if details:
                    progress = converter.from_payload(details[0], TurnProgress)
                    if progress.turn_id is not None:
                        return progress
            await anyio.sleep(0.1)


@pytest.mark.parametrize("stop", [signal.SIGSTOP, signal.SIGKILL], ids=["frozen", "killed"])
async def test_a_lost_worker_times_out_and_the_retry_completes_elsewhere(
    stop: signal.Signals, temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    workflows_queue, turns_queue = unique("workflows"), unique("turns")
    home = tmp_path / "shared-home"
    with OfflineModel() as model:
        # The first attempt's model call never ends; the retry gets the default reply.
        model.enqueue(Reply.hang(partial_text="Working on it", deltas=1))
        config = model.codex_config(codex_home=home, cwd=str(tmp_path))
        async with running_worker(client, workflows_queue, config, identity="workflows"):
            with worker_process(
                temporal_address, turns_queue, home, "worker-a", cwd=tmp_path
            ) as lost:
                handle = await client.start_workflow(
                    CodexTaskWorkflow.run,
                    CodexTaskInput(
                        task=TaskSpec(key="t", prompt="Fix the build"),
                        task_queue=turns_queue,
                        retry=RetrySettings(
                            heartbeat_timeout_s=2.0, initial_interval_s=0.2, maximum_attempts=10
                        ),
                    ),
                    id=unique("task"),
                    task_queue=workflows_queue,
                    result_type=CodexTurnResult,
                )
                await anyio.to_thread.run_sync(lambda: model.wait_for_requests(1, timeout=60))
                first_thread = model.requests[0].thread_id
                progress = await reported_progress(client, handle.id)
                assert progress.thread_id == first_thread
                assert progress.turn_id is not None
                os.kill(lost.pid, stop)  # the worker stops heartbeating
                async with running_worker(client, turns_queue, config, identity="worker-b"):
                    with anyio.fail_after(60):
                        result = await handle.result()
    assert result.status == "completed"
    # A frozen worker's open polls can still take (and lose) a retry each, so the
    # attempt that completes is the second or a later one.
    assert result.attempt >= 2
    assert result.worker == "worker-b"
    assert result.final_response == "Offline model reply to: Fix the build"
    assert result.resumed
    if stop is signal.SIGSTOP:
        # The frozen worker's runtime still holds the thread: the retry forked it.
        assert result.forked_from == first_thread
        assert result.thread_id != first_thread
    else:
        # The killed worker's runtime exited with it: the retry resumed the thread itself.
        assert result.forked_from is None
        assert result.thread_id == first_thread
    # Either way the conversation so far came along.
    retry_request = model.requests[-1]
    assert retry_request.thread_id == result.thread_id
    assert retry_request.user_texts.count("Fix the build") == 2
