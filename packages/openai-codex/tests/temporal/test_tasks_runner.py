"""``openai_codex.tasks`` with ``temporal=``: the task set run through the fan-out workflow
on a real local Temporal server, checks run by the runner, results and resume as locally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.tasks import RESULTS_FILE, TemporalSettings, arun_tasks
from openai_codex.testing import OfflineModel, RecordedRequest, Reply

from ._support import unique

pytestmark = pytest.mark.anyio

FIX = Reply.apply_patch(update={"app.py": ("VALUE = 1", "VALUE = 2")})


def _reply(request: RecordedRequest) -> Reply:
    prompt = request.last_user_text or ""
    if request.function_call_outputs:
        return Reply.text("patched")
    if prompt.startswith("fix"):
        return FIX
    if prompt.startswith("boom"):
        return Reply.error(400, message="scripted refusal")
    return Reply.text(f"answer to {prompt}", deltas=2, delay=0.05)


async def test_task_set_on_temporal_workers(temporal_address: str, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("VALUE = 1\n")
    check = "grep -q 'VALUE = 2' app.py"
    tasks = [
        {"id": "fixed", "prompt": "fix app.py", "repo": str(repo), "check": check},
        {"id": "unfixed", "prompt": "read app.py", "repo": str(repo), "check": check},
        {"id": "refused", "prompt": "boom", "check": "true"},
        {"id": "plain", "prompt": "say hi"},
    ]
    settings = TemporalSettings(
        address=temporal_address,
        task_queue=unique("tasks"),
        max_attempts=1,
        heartbeat_timeout_s=10.0,
    )
    run = tmp_path / "run"
    with OfflineModel(default=_reply) as model:
        config = model.codex_config(codex_home=tmp_path / "home")
        summary = await arun_tasks(
            tasks, out=run, config=config, concurrency=2, progress="none", temporal=settings
        )
        assert summary.line().startswith("tasks: 4 run, 2 passed, 2 failed, 0 timed out")
        statuses = {r.id: (r.status, r.mode) for r in summary.results}
        assert statuses == {
            "fixed": ("passed", "temporal"),
            "unfixed": ("failed", "temporal"),
            "refused": ("failed", "temporal"),
            "plain": ("passed", "temporal"),
        }
        by_id = {r.id: r for r in summary.results}
        assert by_id["fixed"].diff.files_changed == 1
        assert by_id["fixed"].check_exit == 0
        assert by_id["unfixed"].check_exit == 1
        assert "scripted refusal" in (by_id["refused"].error or "")
        assert by_id["plain"].final_response == "answer to say hi"
        assert by_id["plain"].tokens.total > 0
        assert (repo / "app.py").read_text() == "VALUE = 1\n"  # workspaces are copies
        # a second run of the same directory resumes: nothing is asked of the model again
        model.clear_requests()
        again = await arun_tasks(
            tasks, out=run, config=config, concurrency=2, progress="none", temporal=settings
        )
        assert again.resumed == 4
        assert model.response_requests == []
        # a runner that died after the fan-out finished but before it wrote the results:
        # the next run finds the finished fan-out by its id and collects it, asking nothing
        (run / RESULTS_FILE).unlink()
        collected = await arun_tasks(
            tasks, out=run, config=config, concurrency=2, progress="none", temporal=settings
        )
        assert collected.resumed == 0
        assert model.response_requests == []
        assert {r.id: r.status for r in collected.results} == {
            k: status for k, (status, _) in statuses.items()
        }
    lines = [json.loads(x) for x in (run / RESULTS_FILE).read_text().splitlines() if x]
    assert sorted(line["id"] for line in lines) == ["fixed", "plain", "refused", "unfixed"]


async def test_turn_past_its_timeout_is_timed_out(temporal_address: str, tmp_path: Path) -> None:
    settings = TemporalSettings(
        address=temporal_address, task_queue=unique("tasks"), max_attempts=1
    )
    with OfflineModel(default=Reply.hang(partial_text="thinking")) as model:
        summary = await arun_tasks(
            [{"id": "stuck", "prompt": "never ends", "check": "true", "timeout": 2}],
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            progress="none",
            temporal=settings,
        )
    (result,) = summary.results
    assert result.status == "timed_out", result.error
    assert result.check_exit is None
