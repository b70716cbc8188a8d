"""A Codex turn as a Temporal activity, driven by CodexTaskWorkflow on a real local server."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.temporal import (
    CodexTaskInput,
    CodexTaskWorkflow,
    CodexTurnResult,
    TaskSpec,
    connect,
)
from openai_codex.testing import OfflineModel, Reply

from ._support import running_worker, unique

pytestmark = pytest.mark.anyio


async def test_a_task_runs_its_turn_on_the_worker(temporal_address: str, tmp_path: Path) -> None:
    client = await connect(temporal_address)
    queue = unique("turns")
    with OfflineModel() as model:
        model.enqueue(Reply.text("Four.", usage=None))
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
        assert result.usage.output_tokens == 1
        assert [item.type for item in result.items][-1] == "agentMessage"
        assert model.requests[0].last_user_text == "What is 2 + 2?"
        assert model.requests[0].thread_id == result.thread_id
