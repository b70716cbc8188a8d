"""The task-set runner on the offline model: outcomes, results, resume, concurrency."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import pytest

from openai_codex.tasks import RESULTS_FILE, ResultsFile, TaskResult, run_tasks
from openai_codex.testing import OfflineModel, RecordedRequest, Reply

from ._support import scripted, write_jsonl, write_repo

ROOT = Path(__file__).resolve().parents[4]
RUN_TIMEOUT_S = 100


def _results(run: Path) -> dict[str, dict[str, object]]:
    lines = (run / RESULTS_FILE).read_text().splitlines()
    return {r["id"]: r for r in (json.loads(line) for line in lines if line.strip())}


def test_pass_fail_timeout_and_error_each_recorded(tmp_path: Path) -> None:
    repo = write_repo(tmp_path)
    tasks = write_jsonl(
        tmp_path / "tasks.jsonl",
        [
            {
                "id": "fixed",
                "prompt": "fix app.py",
                "repo": "repo",
                "check": "grep -q 'VALUE = 2' app.py",
            },
            {
                "id": "unfixed",
                "prompt": "look at app.py",
                "repo": "repo",
                "check": "grep -q 'VALUE = 2' app.py",
            },
            {
                "id": "stuck",
                "prompt": "hang forever",
                "repo": "repo",
                "check": "true",
                "timeout": 1.5,
            },
            {"id": "refused", "prompt": "boom now", "check": "true"},
            {"id": "no-check", "prompt": "say hi"},
        ],
    )
    with OfflineModel(default=scripted) as model:
        summary = run_tasks(
            tasks,
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            concurrency=3,
            progress="none",
        )
    assert summary.line().startswith("tasks: 5 run, 2 passed, 2 failed, 1 timed out, report ")
    by_id = _results(tmp_path / "run")
    assert {k: v["status"] for k, v in by_id.items()} == {
        "fixed": "passed",
        "unfixed": "failed",
        "stuck": "timed_out",
        "refused": "failed",
        "no-check": "passed",
    }
    fixed = by_id["fixed"]
    assert fixed["passed"] is True
    assert fixed["check_exit"] == 0
    assert fixed["turns"] == 1
    assert fixed["turn_status"] == "completed"
    assert fixed["tokens"]["total"] > 0  # type: ignore[index]
    assert fixed["diff"] == {  # the workspace changed, the repository did not
        "files_changed": 1,
        "files_added": 0,
        "files_deleted": 0,
        "insertions": 1,
        "deletions": 1,
    }
    assert (repo / "app.py").read_text() == "VALUE = 1\n"
    assert Path(str(fixed["workspace"])).joinpath("app.py").read_text() == "VALUE = 2\n"
    assert by_id["unfixed"]["check_exit"] == 1
    assert by_id["unfixed"]["error"] == "the check exited 1"
    assert "did not finish within 1.5 s" in str(by_id["stuck"]["error"])
    assert by_id["stuck"]["check_exit"] is None  # no check after a timeout
    assert "scripted refusal" in str(by_id["refused"]["error"])
    assert by_id["no-check"]["final_response"] == "answer to say hi"
    assert Path(str(summary.report_path)).read_text().count('<tr data-status="') == 5


def test_concurrency_bound_is_respected(tmp_path: Path) -> None:
    tasks = [{"id": f"t{i}", "prompt": f"slow task {i}", "check": "true"} for i in range(6)]
    with OfflineModel(default=scripted) as model:
        summary = run_tasks(
            tasks,
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            concurrency=2,
            progress="none",
        )
    assert summary.passed == 6
    assert len({r.thread_id for r in summary.results}) == 6  # a thread per task
    spans = [(r.started_at, r.finished_at) for r in summary.results]
    # how many tasks were running at each task's start
    overlap = [sum(s <= t < e for s, e in spans) for t, _ in spans]
    assert max(overlap) == 2, overlap  # never more than 2, and 2 did run together


def test_results_file_ignores_a_torn_last_line(tmp_path: Path) -> None:
    results = ResultsFile(tmp_path / RESULTS_FILE)
    results.append(TaskResult(id="a", status="passed", passed=True, duration_s=1.0))
    with results.path.open("a") as file:
        file.write('{"id": "b", "status": "pas')  # a kill in the middle of a write
    assert [r.id for r in results.read()] == ["a"]
    results.append(TaskResult(id="c", status="failed", passed=False, duration_s=2.0))
    assert [r.id for r in results.read()] == ["a", "c"]


def _runner(tasks: Path, run: Path, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openai_codex.tasks",
            str(tasks),
            "--out",
            str(run),
            "--codex-home",
            str(home),
            "-j",
            "2",
            "--progress",
            "plain",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_resume_after_sigkill_skips_finished_tasks_and_loses_none(tmp_path: Path) -> None:
    count = 8
    tasks = write_jsonl(
        tmp_path / "tasks.jsonl",
        [{"id": f"t{i}", "prompt": f"slow task {i}", "check": "true"} for i in range(count)],
    )
    run, home = tmp_path / "run", tmp_path / "home"
    with OfflineModel(default=scripted) as model:
        model.codex_home(home)
        first = _runner(tasks, run, home)
        try:
            assert first.stdout is not None
            finished_lines = []
            for line in first.stdout:  # each finished task prints "[k/8] ..."
                if re.match(r"\[\d+/8\]", line):
                    finished_lines.append(line)
                if len(finished_lines) == 3:
                    break
            assert len(finished_lines) == 3, "the runner ended before 3 tasks finished"
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(first.pid, signal.SIGKILL)  # the orphaned runtime, if still there
            first.wait(timeout=30)
            if first.stdout is not None:
                first.stdout.close()
        done_before = set(_results(run))
        assert 3 <= len(done_before) < count
        model.clear_requests()
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "openai_codex.tasks",
                str(tasks),
                "--out",
                str(run),
                "--codex-home",
                str(home),
                "-j",
                "2",
                "--progress",
                "plain",
            ],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
        prompts_rerun = {r.last_user_text for r in model.response_requests}
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{len(done_before)} already done (resumed)" in second.stdout
    assert f"tasks: {count} run, {count} passed, 0 failed, 0 timed out" in second.stdout
    lines = [json.loads(x) for x in (run / RESULTS_FILE).read_text().splitlines() if x.strip()]
    ids = [line["id"] for line in lines]
    assert sorted(ids) == sorted(f"t{i}" for i in range(count))  # none lost, none twice
    for task_id in done_before:  # finished tasks were not asked of the model again
        assert f"slow task {task_id[1:]}" not in prompts_rerun


def test_demo_prints_the_summary_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "tasks" / "demo.py"),
            "--out",
            str(tmp_path),
            "--progress",
            "plain",
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    match = re.fullmatch(
        r"tasks: 10 run, (\d+) passed, (\d+) failed, 1 timed out, report (.+)", last
    )
    assert match, last
    assert (int(match[1]), int(match[2])) == (6, 3)
    assert Path(match[3]).is_file()


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_concurrency_must_be_a_positive_int(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ValueError, match="concurrency must be a positive int"):
        run_tasks([{"id": "a", "prompt": "x"}], out=tmp_path, concurrency=bad)  # type: ignore[arg-type]


def test_goal_task_counts_its_turns(tmp_path: Path) -> None:
    with OfflineModel() as model:
        model.enqueue(
            Reply.text("Drafted."),
            Reply.update_goal(),
            Reply.text("Polished and done."),
        )
        summary = run_tasks(
            [{"id": "goal", "prompt": "Draft and polish a note", "goal_budget": 50_000}],
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            progress="none",
        )
    (result,) = summary.results
    assert result.status == "passed"
    assert result.turns == 2
    assert result.final_response == "Polished and done."


def test_error_results_run_again_on_resume(tmp_path: Path) -> None:
    run = tmp_path / "run"
    ResultsFile(run / RESULTS_FILE).append(
        TaskResult(id="a", status="error", passed=False, duration_s=0.1, error="runtime died")
    )
    ResultsFile(run / RESULTS_FILE).append(
        TaskResult(id="b", status="failed", passed=False, duration_s=0.1)
    )
    with OfflineModel(default=scripted) as model:
        summary = run_tasks(
            [{"id": "a", "prompt": "say a"}, {"id": "b", "prompt": "say b"}],
            out=run,
            config=model.codex_config(codex_home=tmp_path / "home"),
            progress="none",
        )
        asked = [r.last_user_text for r in model.response_requests]
    assert asked == ["say a"]  # the error ran again, the failure was kept
    assert summary.resumed == 1
    assert [(r.id, r.status) for r in summary.results] == [("a", "passed"), ("b", "failed")]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_git_repository_is_cloned_at_its_ref(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    origin = write_repo(tmp_path / "origin")
    _git("init", "-q", "-b", "main", cwd=origin)
    _git("add", "-A", cwd=origin)
    _git("commit", "-q", "-m", "one", cwd=origin)
    _git("checkout", "-q", "-b", "release", cwd=origin)
    (origin / "notes.txt").write_text("release notes\n")
    _git("add", "-A", cwd=origin)
    _git("commit", "-q", "-m", "two", cwd=origin)
    _git("checkout", "-q", "main", cwd=origin)
    with OfflineModel(default=scripted) as model:
        summary = run_tasks(
            [
                {
                    "id": "cloned",
                    "prompt": "fix app.py",
                    "repo": origin.as_uri(),
                    "ref": "release",
                    "check": "grep -q 'VALUE = 2' app.py && test -f notes.txt",
                }
            ],
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            progress="none",
        )
    (result,) = summary.results
    assert result.status == "passed", result.error
    assert result.diff.files_changed == 1
    assert (result.diff.insertions, result.diff.deletions) == (1, 1)
    assert (origin / "app.py").read_text() == "VALUE = 1\n"


def test_structured_output_is_recorded_and_a_mismatch_fails(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "required": ["n"],
        "additionalProperties": False,
    }
    with OfflineModel(default=scripted) as model:
        summary = run_tasks(
            [
                {"id": "ok", "prompt": "json please", "output_schema": schema},
                {"id": "bad", "prompt": "prose please", "output_schema": schema},
            ],
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            progress="none",
        )
    ok, bad = summary.results
    assert (ok.status, ok.output) == ("passed", {"n": 2})
    assert bad.status == "failed"
    assert bad.thread_id is not None
    assert "the final response is not valid JSON" in (bad.error or "")


def _runtime_children() -> list[int]:
    """Child processes of this test process named like the runtime (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == os.getpid() and "codex" in name:
            found.append(int(entry.name))
    return found


def test_a_runtime_that_dies_is_replaced_and_its_tasks_run_again(tmp_path: Path) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding the runtime process needs /proc (Linux)")
    killed: list[int] = []

    def reply(request: RecordedRequest) -> Reply:
        if (request.last_user_text or "").startswith("crash") and not killed:
            for pid in _runtime_children():  # the runtime dies in the middle of this turn
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            return Reply.hang()
        return scripted(request)

    with OfflineModel(default=reply) as model:
        summary = run_tasks(
            [{"id": f"t{i}", "prompt": f"slow {i}"} for i in range(3)]
            + [{"id": "crash", "prompt": "crash the runtime"}],
            out=tmp_path / "run",
            config=model.codex_config(codex_home=tmp_path / "home"),
            concurrency=4,
            progress="none",
        )
    assert len(killed) == 1
    assert [(r.id, r.status) for r in summary.results] == [
        ("t0", "passed"),
        ("t1", "passed"),
        ("t2", "passed"),
        ("crash", "passed"),
    ]
    assert _runtime_children() == []  # the new runtime was stopped at the end too
