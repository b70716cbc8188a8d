"""A task and a task set: the JSONL file or the directory, read with errors naming the place."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import TaskFileError

__all__ = ["Task", "TaskFileError", "is_git_url", "load_tasks"]

#: the file describing one task in a directory task set
TASK_FILE = "task.json"
#: a task's prompt in a directory task set, when its task.json has none
PROMPT_FILE = "prompt.md"
#: a task's files in a directory task set, when its task.json names no repository
REPO_DIR = "repo"


class Task(BaseModel):
    """One task: a prompt run in a fresh copy of ``repo`` (or an empty directory).

    - ``id``: unique in the set; names the task in results, workspaces and the report.
    - ``prompt``: what the agent is asked.
    - ``repo``: a directory copied into the task's fresh workspace (relative paths are
      relative to the task file), or a git URL (``https://...``, ``git@...``,
      ``file://...``, ``....git``) cloned into it (``ref``: the branch or tag, default the
      remote's default branch); ``None``: an empty workspace.
    - ``check``: a command run in the workspace after the turn (a shell string, or an
      argv list); exit status 0 passes. Without one, a completed turn passes.
    - ``timeout``: seconds for the turn (``None``: the run's default); past it the turn is
      interrupted and the task is ``timed_out``. ``check_timeout``: seconds for the check.
    - ``output_schema``: a JSON schema the final answer must match (the parsed JSON is in
      the result's ``output``).
    - ``goal_budget``: run the prompt as a goal with this token budget (several turns).
    - ``sandbox``: the runtime's sandbox for the turn (default ``workspace-write``).
    - ``model``: the model to use (default: the runtime's).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=128)
    prompt: str = Field(min_length=1)
    repo: str | None = None
    ref: str | None = None
    check: str | list[str] | None = None
    timeout: float | None = Field(default=None, gt=0)
    check_timeout: float = Field(default=600.0, gt=0)
    output_schema: dict[str, Any] | None = None
    goal_budget: int | None = Field(default=None, gt=0)
    sandbox: Literal["read-only", "workspace-write", "danger-full-access"] = "workspace-write"
    model: str | None = None


def is_git_url(repo: str) -> bool:
    """``repo`` names a git repository to clone (not a directory to copy)."""
    return "://" in repo or repo.startswith("git@") or repo.endswith(".git")


def _field_of(error: dict[str, Any]) -> str | None:
    loc = [str(part) for part in error.get("loc", ())]
    return ".".join(loc) if loc else None


def _task(data: object, *, path: Path, line: int | None, base: Path) -> Task:
    if not isinstance(data, dict):
        raise TaskFileError(
            f"a task is a JSON object, got {type(data).__name__}", path=path, line=line
        )
    try:
        task = Task.model_validate(data)
    except ValidationError as exc:
        # an unknown field first: a misspelt name also makes the real one "missing"
        first = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        field = _field_of(dict(first))
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(field), list(Task.model_fields), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = f"unknown field ({hint}a task has: {', '.join(Task.model_fields)})"
        elif first["type"] == "missing":
            message = "required field is missing"
        elif "input" in first:
            message += f" (got {first['input']!r})"
        raise TaskFileError(message, path=path, line=line, field=field) from None
    if task.ref is not None and (task.repo is None or not is_git_url(task.repo)):
        raise TaskFileError(
            "a ref needs a git URL in repo (a directory is copied as it is)",
            path=path,
            line=line,
            field="ref",
        )
    if task.repo is not None and not is_git_url(task.repo):
        repo = Path(task.repo)
        repo = repo if repo.is_absolute() else (base / repo)
        if not repo.is_dir():
            raise TaskFileError(
                f"repository directory {str(repo)!r} does not exist",
                path=path,
                line=line,
                field="repo",
            )
        task = task.model_copy(update={"repo": str(repo.resolve())})
    return task


_Found: TypeAlias = list[tuple[Task, Path, int | None]]


def _from_jsonl(path: Path) -> _Found:
    tasks: _Found = []
    text = path.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TaskFileError(
                f"not valid JSON ({exc.msg} at column {exc.colno})", path=path, line=number
            ) from None
        tasks.append((_task(data, path=path, line=number, base=path.parent), path, number))
    return tasks


def _from_directory(root: Path) -> _Found:
    tasks: _Found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        spec = folder / TASK_FILE
        if not spec.is_file():
            continue
        try:
            data = json.loads(spec.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TaskFileError(
                f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", path=spec
            ) from None
        if isinstance(data, dict):
            data.setdefault("id", folder.name)
            prompt = folder / PROMPT_FILE
            if "prompt" not in data and prompt.is_file():
                data["prompt"] = prompt.read_text(encoding="utf-8").strip()
            if "repo" not in data and (folder / REPO_DIR).is_dir():
                data["repo"] = REPO_DIR
        tasks.append((_task(data, path=spec, line=None, base=folder), spec, None))
    if not tasks:
        raise TaskFileError(f"no task found (expected sub-directories with {TASK_FILE})", path=root)
    return tasks


def load_tasks(source: str | Path | Iterable[Task | dict[str, Any]]) -> list[Task]:
    """The tasks of a JSONL file (one task object per line; blank lines and ``#``
    comments skipped), of a directory (one sub-directory per task with a ``task.json``,
    optionally ``prompt.md`` and a ``repo/`` folder), or of ``Task``s/dicts given directly.

    Raises :class:`TaskFileError` naming the file, the line and the field at fault.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            found = _from_directory(path)
        elif path.is_file():
            found = _from_jsonl(path)
        else:
            raise TaskFileError("no such file or directory", path=path)
    else:
        path = Path("<tasks>")
        found = []
        for number, item in enumerate(source, 1):
            task = (
                item
                if isinstance(item, Task)
                else _task(item, path=path, line=number, base=Path.cwd())
            )
            found.append((task, path, number))
    seen: dict[str, str] = {}
    for task, where, line in found:
        if task.id in seen:
            raise TaskFileError(
                f"duplicate task id {task.id!r} (first in {seen[task.id]})",
                path=where,
                line=line,
                field="id",
            )
        seen[task.id] = str(where) if line is None else f"line {line}"
    if not found:
        raise TaskFileError("the task set is empty", path=path)
    return [task for task, _, _ in found]
