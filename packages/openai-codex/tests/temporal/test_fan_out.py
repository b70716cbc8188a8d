"""The fan-out workflow: bounded concurrency, every task's outcome recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.temporal import (
    CodexFanOutWorkflow,
    FanOutInput,
    FanOutResult,
    RetrySettings,
    TaskSpec,
    connect,
)
from openai_codex.testing import OfflineModel, RecordedRequest, Reply

from ._support import running_worker, unique

pytestmark = pytest.mark.anyio


async def test_fan_out_records_each_task_and_bounds_concurrency(
    temporal_address: str, tmp_path: Path
) -> None:
    client = await connect(temporal_address)
    queue = unique("fan-out")

    def reply(request: RecordedRequest) -> Reply:
        if request.last_user_text == "task 2":
            return Reply.error(400, message="task 2 is refused")
        return Reply.text(f"done: {request.last_user_text}", deltas=3, delay=0.05)

    with OfflineModel(default=reply) as model:
        config = model.codex_config(codex_home=tmp_path / "home", cwd=str(tmp_path))
        async with running_worker(client, queue, config, max_concurrent_turns=4):
            result = await client.execute_workflow(
                CodexFanOutWorkflow.run,
                FanOutInput(
                    tasks=[TaskSpec(key=f"k{i}", prompt=f"task {i}") for i in range(5)],
                    max_concurrent=2,
                    task_queue=queue,
                    retry=RetrySettings(heartbeat_timeout_s=5.0, maximum_attempts=1),
                ),
                id=unique("fan-out"),
                task_queue=queue,
                result_type=FanOutResult,
            )
    assert [outcome.key for outcome in result.outcomes] == ["k0", "k1", "k2", "k3", "k4"]
    assert (result.completed, result.failed) == (4, 1)
    failed = result.outcomes[2]
    assert not failed.ok
    assert failed.result is not None
    assert failed.result.status == "failed"
    assert "task 2 is refused" in (failed.error or "")
    for i in (0, 1, 3, 4):
        outcome = result.outcomes[i]
        assert outcome.ok
        assert outcome.result is not None
        assert outcome.result.final_response == f"done: task {i}"
    threads = {o.result.thread_id for o in result.outcomes if o.result is not None}
    assert len(threads) == 5
    # Never more than two activities at once (their own start and end times).
    spans = [(o.result.started_at, o.result.finished_at) for o in result.outcomes if o.result]
    assert max(sum(s <= t < e for s, e in spans) for t, _ in spans) <= 2


def test_fan_out_input_refuses_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="'a' appears twice"):
        FanOutInput(tasks=[TaskSpec(key="a", prompt="x"), TaskSpec(key="a", prompt="y")])
