"""A Codex turn as a Temporal activity, driven by CodexTaskWorkflow on a real local server."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.temporal import (
    CodexTaskInput,
    CodexTaskWorkflow,
    CodexTurnResult,
    TaskSpec,
    connect,
)
from openai_codex.testing import OfflineModel, Reply, Usage

from ._support import running_worker, unique

pytestmark = pytest.mark.anyio


async def test_a_task_runs_its_turn_on_the_worker(temporal_address: str, tmp_path: Path) -> None:
    client = await connect(temporal_address)
    queue = unique("turns")
    with OfflineModel() as model:
        # two model calls: a command, then the answer (the turn's usage is their sum)
        model.enqueue(
            dataclasses.replace(Reply.shell("echo hi"), usage=Usage(200, 20)),
            Reply.text("Four.", usage=Usage(300, 30)),
        )
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config, identity="worker-1"):
            result = await client.execute_workflow(
                CodexTaskWorkflow.run,
                CodexTaskInput(task=TaskSpec(key="sum", prompt="What is 2 + 2?"), task_queue=queue),
                id=unique("task"),
                task_queue=queue,
                result_type=CodexTurnResult,
            )
        assert result.status == "completed"
        assert result.final_response == "Four."
        assert result.attempt == 1
        assert not result.resumed
        assert result.worker == "worker-1"
        assert result.usage is not None
        assert result.usage.total_tokens == 220 + 330
        assert result.usage.output_tokens == 50
        assert result.thread_usage is not None
        assert result.thread_usage.total_tokens == 550
        assert [item.type for item in result.items][-1] == "agentMessage"
        assert model.requests[0].last_user_text == "What is 2 + 2?"
        assert model.requests[0].thread_id == result.thread_id


def test_the_retry_log_line_names_the_attempt_and_its_bound() -> None:
    from temporalio.common import RetryPolicy

    from openai_codex.temporal.activities import attempt_label

    info = SimpleNamespace(attempt=2, activity_id="1", retry_policy=RetryPolicy(maximum_attempts=5))
    assert attempt_label(info) == "attempt 2 of 5 of activity 1"
    unbounded = SimpleNamespace(attempt=3, activity_id="7", retry_policy=RetryPolicy())
    assert attempt_label(unbounded) == "attempt 3 of activity 7"
