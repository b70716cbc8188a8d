"""The pinned ruff that formats the generated code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .settings import RUFF_VERSION


def find_ruff() -> tuple[list[str] | None, str]:
    """The pinned ruff's argv (another version may format differently), or None and why."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    argv = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    try:
        found = subprocess.run(
            [*argv, "--version"], check=True, capture_output=True, text=True, timeout=60
        ).stdout.split()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return None, f"ruff=={RUFF_VERSION} is not installed"
    if found != RUFF_VERSION:
        return None, f"ruff {found} is installed, the generated code is formatted by {RUFF_VERSION}"
    return argv, ""


def ruff_format(ruff: list[str], directory: Path) -> None:
    subprocess.run(
        [
            *ruff,
            "format",
            "--quiet",
            "--no-force-exclude",
            "--isolated",
            "--line-length",
            "100",
            str(directory),
        ],
        check=True,
        timeout=300,
    )
