"""Task sets: JSONL and directories, and errors that name the file, the line and the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from openai_codex.tasks import Task, TaskFileError, load_tasks

from ._support import write_repo


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_jsonl_with_comments_blank_lines_and_relative_repo(tmp_path: Path) -> None:
    write_repo(tmp_path)
    path = _jsonl(
        tmp_path,
        "# a comment",
        json.dumps({"id": "a", "prompt": "do a", "repo": "repo", "check": "true"}),
        "",
        json.dumps({"id": "b", "prompt": "do b", "check": ["python3", "-c", "pass"], "timeout": 5}),
    )
    tasks = load_tasks(path)
    assert [t.id for t in tasks] == ["a", "b"]
    assert tasks[0].repo == str((tmp_path / "repo").resolve())
    assert tasks[1].repo is None
    assert tasks[1].check == ["python3", "-c", "pass"]
    assert tasks[1].timeout == 5


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('{"id": "x", "prompt": "p", "timeout": "soon"}', "timeout", "valid number"),
        ('{"id": "x"}', "prompt", "required field is missing"),
        ('{"id": "x", "prompt": "p", "retries": 3}', "retries", "unknown field"),
        ('{"id": "x y", "prompt": "p"}', "id", "should match pattern"),
        ('{"id": "x", "prompt": "p", "repo": "nowhere"}', "repo", "does not exist"),
        ('{"id": "x", "prompt": "p", "check": 5}', "check", "check"),
        ('{"id": "x", "prompt": "p", "ref": "main"}', "ref", "a ref needs a git URL"),
    ],
)
def test_bad_line_names_the_line_and_the_field(
    tmp_path: Path, line: str, field: str, message: str
) -> None:
    path = _jsonl(tmp_path, '{"id": "ok", "prompt": "fine"}', line)
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    error = info.value
    assert error.line == 2
    assert error.field is not None
    assert error.field.split(".")[0] == field
    text = str(error)
    assert f"{path}, line 2, field '{error.field}'" in text
    assert message in text


def test_invalid_json_and_non_objects(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, '{"id": "ok", "prompt": "fine"}', "", '{"id": "x", "prompt": }')
    with pytest.raises(TaskFileError, match=r"line 3: not valid JSON"):
        load_tasks(path)
    path = _jsonl(tmp_path, '["not", "an", "object"]')
    with pytest.raises(TaskFileError, match=r"line 1: a task is a JSON object, got list"):
        load_tasks(path)


def test_duplicate_ids_and_empty_sets(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, '{"id": "a", "prompt": "1"}', '{"id": "a", "prompt": "2"}')
    with pytest.raises(
        TaskFileError, match=r"line 2, field 'id': duplicate task id 'a' \(first in line 1\)"
    ):
        load_tasks(path)
    with pytest.raises(TaskFileError, match="the task set is empty"):
        load_tasks(_jsonl(tmp_path, "# nothing"))
    with pytest.raises(TaskFileError, match="no such file or directory"):
        load_tasks(tmp_path / "missing.jsonl")


def test_directory_task_set(tmp_path: Path) -> None:
    one = tmp_path / "set" / "one"
    write_repo(one)
    (one / "task.json").write_text(json.dumps({"check": "true"}))
    (one / "prompt.md").write_text("Fix app.py\n")
    two = tmp_path / "set" / "two"
    two.mkdir()
    (two / "task.json").write_text(json.dumps({"prompt": "Say hi", "id": "greet"}))
    tasks = load_tasks(tmp_path / "set")
    assert [(t.id, t.prompt) for t in tasks] == [("one", "Fix app.py"), ("greet", "Say hi")]
    assert tasks[0].repo == str((one / "repo").resolve())
    assert tasks[1].repo is None
    (two / "task.json").write_text(json.dumps({"promt": "typo"}))
    with pytest.raises(TaskFileError) as info:
        load_tasks(tmp_path / "set")
    assert info.value.path == two / "task.json"
    assert info.value.field == "promt"
    assert "did you mean 'prompt'?" in str(info.value)


def test_tasks_given_in_python() -> None:
    tasks = load_tasks([Task(id="a", prompt="x"), {"id": "b", "prompt": "y"}])
    assert [t.id for t in tasks] == ["a", "b"]
    with pytest.raises(TaskFileError, match=r"line 1, field 'prompt'"):
        load_tasks([{"id": "c"}])


def test_cli_reports_a_bad_task_file_and_exits_2(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path, '{"id": "a", "prompt": "p"}', '{"id": "b", "prompt": "p", "timeout": -1}'
    )
    done = subprocess.run(
        [sys.executable, "-m", "openai_codex.tasks", str(path), "--out", str(tmp_path / "run")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert f"{path}, line 2, field 'timeout'" in done.stderr
    assert "greater than 0" in done.stderr


def test_importing_the_runner_imports_no_extra() -> None:
    code = (
        "import sys, openai_codex\n"
        "assert 'openai_codex.tasks' not in sys.modules\n"
        "import openai_codex.tasks\n"
        "print(sorted(m for m in ('rich', 'temporalio') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
