"""Workspaces: a git clone made once and reused by a retry, and its diff."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.temporal import Workspace, WorkspaceError
from openai_codex.temporal.workspace import prepare_workspace, workspace_diff

pytestmark = pytest.mark.anyio


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    repo = tmp_path / "origin"
    repo.mkdir()
    git("init", "--quiet", "--initial-branch", "main", cwd=repo)
    (repo / "README.md").write_text("hello\n")
    git("add", "README.md", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first", cwd=repo)
    return repo


async def test_a_clone_is_made_once_and_its_diff_includes_new_files(
    origin: Path, tmp_path: Path
) -> None:
    root = tmp_path / "workspaces"
    spec = Workspace(path="task-1", git_url=str(origin), git_ref="main")
    path = await prepare_workspace(spec, root)
    assert path == root / "task-1"
    assert (path / "README.md").read_text() == "hello\n"
    (path / "README.md").write_text("hello, world\n")
    (path / "NEW.txt").write_text("new\n")
    assert await prepare_workspace(spec, root) == path  # a retry reuses the clone as it is
    assert (path / "NEW.txt").exists()
    diff = await workspace_diff(path)
    assert diff is not None
    assert "+hello, world" in diff
    assert "+new" in diff


async def test_a_plain_directory_is_created_and_has_no_diff(tmp_path: Path) -> None:
    path = await prepare_workspace(Workspace(path=str(tmp_path / "plain")), tmp_path)
    assert path.is_dir()
    assert await workspace_diff(path) is None


async def test_a_clone_that_fails_says_why(tmp_path: Path) -> None:
    spec = Workspace(path="x", git_url=str(tmp_path / "no-such-repo"))
    with pytest.raises(WorkspaceError, match="git clone"):
        await prepare_workspace(spec, tmp_path)
