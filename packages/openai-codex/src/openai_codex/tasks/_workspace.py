"""A task's fresh workspace (a copy of its repository) and what the agent changed in it."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

from ..errors import TaskWorkspaceError as WorkspaceError
from ._results import DiffStats
from ._spec import is_git_url

__all__ = ["diff_stats", "fresh_workspace"]

_SKIP = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
_MAX_DIFF_BYTES = 2_000_000  # larger files count as changed without a line diff
GIT_TIMEOUT_S = 600.0


def _git(args: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise WorkspaceError(f"git {args[0]} took more than {GIT_TIMEOUT_S:g} s") from None
    except FileNotFoundError:
        raise WorkspaceError("git is not installed (a task's repo is a git URL)") from None
    if done.returncode != 0:
        raise WorkspaceError(f"git {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def fresh_workspace(repo: str | None, path: Path, ref: str | None = None) -> Path:
    """``path`` emptied (a leftover of an interrupted run is removed), then a copy of
    ``repo``, a clone of it when it is a git URL (``ref``: its branch or tag), or an empty
    directory when ``None``."""
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if repo is None:
        path.mkdir()
    elif is_git_url(repo):
        branch = ["--branch", ref] if ref is not None else []
        _git(["clone", "--quiet", "--depth", "1", *branch, "--", repo, str(path)])
    else:
        shutil.copytree(repo, path, symlinks=True)
    return path


def _git_diff_stats(workspace: Path) -> DiffStats:
    """The changes of a cloned workspace against its ``HEAD``, new files included."""
    _git(["add", "--all", "--intent-to-add"], cwd=workspace)
    added = deleted = changed = insertions = deletions = 0
    for line in _git(["diff", "--name-status", "HEAD"], cwd=workspace).splitlines():
        kind = line[:1]
        added += kind == "A"
        deleted += kind == "D"
        changed += kind not in ("A", "D", "")
    for line in _git(["diff", "--numstat", "HEAD"], cwd=workspace).splitlines():
        plus, minus, _ = line.split("\t", 2)
        insertions += int(plus) if plus.isdigit() else 0
        deletions += int(minus) if minus.isdigit() else 0
    return DiffStats(
        files_changed=changed,
        files_added=added,
        files_deleted=deleted,
        insertions=insertions,
        deletions=deletions,
    )


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.name in _SKIP:
                continue
            if entry.is_dir() and not entry.is_symlink():
                stack.append(entry)
            else:
                found[entry.relative_to(root).as_posix()] = entry
    return found


def _lines(path: Path) -> list[str] | None:
    try:
        if path.stat().st_size > _MAX_DIFF_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None  # binary
    return data.decode("utf-8", errors="replace").splitlines()


def diff_stats(repo: str | None, workspace: Path) -> DiffStats:
    """Files added, deleted and changed, and lines inserted and deleted, from ``repo``
    (nothing, when ``None``; its ``HEAD`` when a git URL) to ``workspace`` (``.git`` and
    caches ignored)."""
    if repo is not None and is_git_url(repo):
        return _git_diff_stats(workspace)
    before = _files(Path(repo)) if repo is not None else {}
    after = _files(workspace)
    added = [name for name in after if name not in before]
    deleted = [name for name in before if name not in after]
    changed = 0
    insertions = deletions = 0
    for name in added:
        lines = _lines(after[name])
        insertions += len(lines or [])
    for name in deleted:
        lines = _lines(before[name])
        deletions += len(lines or [])
    for name in after.keys() & before.keys():
        old, new = before[name], after[name]
        try:
            if old.read_bytes() == new.read_bytes():
                continue
        except OSError:
            continue
        changed += 1
        a, b = _lines(old), _lines(new)
        if a is None or b is None:
            continue
        for line in difflib.unified_diff(a, b, lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                insertions += 1
            elif line.startswith("-") and not line.startswith("---"):
                deletions += 1
    return DiffStats(
        files_changed=changed,
        files_added=len(added),
        files_deleted=len(deleted),
        insertions=insertions,
        deletions=deletions,
    )
