"""Building an sdist and a wheel of each staged package, and running the tools that do it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .common import StageError
from .staging import Plan


def run_tool(argv: Sequence[str], what: str, cwd: Path | None = None) -> None:
    proc = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise StageError(f"{what} failed (exit {proc.returncode}): {' '.join(argv)}", exit_code=1)


def require_module(module: str, dist: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise StageError(
            f"the '{dist}' package is missing; run `nox -s stage -- ...` or pip install {dist}"
        )


def build(plan: Plan, staged: dict[str, Path]) -> dict[str, list[Path]]:
    """``python -m build`` (sdist, then the wheel from the sdist) for each staged package."""
    require_module("build", "build")
    artifacts: dict[str, list[Path]] = {}
    installer = ["--installer", "uv"] if shutil.which("uv") else []
    for name, source in staged.items():
        dist = plan.out / "dist" / name
        run_tool(
            [sys.executable, "-m", "build", *installer, "--outdir", str(dist), str(source)],
            f"building {name}",
        )
        artifacts[name] = sorted(dist.iterdir())
    return artifacts
