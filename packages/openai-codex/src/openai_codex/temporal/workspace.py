"""Where a turn works on the worker: a directory, or a git clone made once per workspace."""

from __future__ import annotations

import os
from pathlib import Path

import anyio

from ..errors import WorkspaceError
from .models import Workspace

GIT_TIMEOUT_S = 600.0


async def prepare_workspace(workspace: Workspace, root: Path) -> Path:
    """The workspace's directory, created (or cloned) if missing; relative paths are
    under ``root``. A directory that already holds the clone is reused as it is, so a
    retried activity continues where the last attempt left the files."""
    path = Path(workspace.path)
    if not path.is_absolute():
        path = root / path
    if workspace.git_url is None:
        path.mkdir(parents=True, exist_ok=True)
        return path
    if (path / ".git").exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.cloning-{os.getpid()}")
    args = ["git", "clone", "--quiet"]
    if workspace.git_ref is not None:
        args += ["--branch", workspace.git_ref]
    await _git([*args, "--", workspace.git_url, str(staging)])
    staging.rename(path)
    return path


async def workspace_diff(path: Path) -> str | None:
    """``git diff`` of the workspace against ``HEAD``, new files included; ``None`` when
    the directory is not a git checkout."""
    if not (path / ".git").exists():
        return None
    await _git(["git", "-C", str(path), "add", "--intent-to-add", "--all"])
    return await _git(["git", "-C", str(path), "diff", "HEAD"])


async def _git(args: list[str]) -> str:
    try:
        with anyio.fail_after(GIT_TIMEOUT_S):
            done = await anyio.run_process(args, check=False)
    except TimeoutError:
        raise WorkspaceError(f"{' '.join(args[:3])} took more than {GIT_TIMEOUT_S} s") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise WorkspaceError(f"{' '.join(args[:3])} failed ({done.returncode}): {message}")
    return done.stdout.decode(errors="replace")
