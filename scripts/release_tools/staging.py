"""Planning a staging (checking the sources and the out dir) and copying the packages into it."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib  # type: ignore[import-not-found,unused-ignore]  # mypy runs as 3.10
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .common import (
    FACADE,
    IGNORED_DIRS,
    IGNORED_SUFFIXES,
    MANIFEST,
    PACKAGES,
    TRANSPORT,
    TYPES,
    StageError,
)
from .pyproject import rewrite_pyproject
from .validation import is_prerelease, runtime_pin


@dataclass(frozen=True)
class Plan:
    version: str
    runtime_pin: str
    packages_dir: Path
    out: Path

    @property
    def prerelease(self) -> bool:
        return is_prerelease(self.version)


def read_project(package_dir: Path) -> dict[str, Any]:
    path = package_dir / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StageError(f"{path} is missing; is --packages-dir right?") from None
    except tomllib.TOMLDecodeError as exc:
        raise StageError(f"{path} is not valid TOML ({exc})") from None
    project = data.get("project")
    if not isinstance(project, dict):
        raise StageError(f"{path} has no [project] table")
    return project


def make_plan(version: str, packages_dir: Path, out: Path) -> Plan:
    """Check the source packages and the out dir; nothing is written."""
    for name in PACKAGES:
        project = read_project(packages_dir / name)
        if project.get("name") != name:
            raise StageError(
                f"{packages_dir / name / 'pyproject.toml'}: [project].name is {project.get('name')!r}, expected {name!r}"
            )
        if "version" in project.get("dynamic", []):
            raise StageError(
                f"{name}: the version must be a literal in pyproject.toml, not dynamic"
            )
    facade = read_project(packages_dir / FACADE)
    pin = runtime_pin(facade, f"{FACADE}/pyproject.toml")
    declared = {canonicalize_name(Requirement(dep).name) for dep in facade.get("dependencies", [])}
    for sibling in (TYPES, TRANSPORT):
        if sibling not in declared:
            raise StageError(
                f"{FACADE}/pyproject.toml must depend on {sibling} in [project].dependencies"
            )
    if out.exists() and not out.is_dir():
        raise StageError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise StageError(
            f"--out {out} is not empty and holds no earlier staging; pick an empty or new directory"
        )
    resolved_out = out.resolve()
    if resolved_out == packages_dir.resolve() or packages_dir.resolve() in resolved_out.parents:
        raise StageError(f"--out {out} must not be inside the packages directory {packages_dir}")
    return Plan(version=version, runtime_pin=pin, packages_dir=packages_dir, out=out)


def copy_ignore(directory: str, names: list[str]) -> set[str]:
    """``shutil.copytree``'s ignore: tests, caches, build output and editor leftovers."""
    return {n for n in names if n in IGNORED_DIRS or n.endswith(IGNORED_SUFFIXES)}


def stage_sources(plan: Plan) -> dict[str, Path]:
    """Copy each package to OUT/packages/<name> and rewrite its pyproject.toml there."""
    for sub in ("packages", "dist"):
        shutil.rmtree(plan.out / sub, ignore_errors=True)
    (plan.out / MANIFEST).unlink(missing_ok=True)
    staged: dict[str, Path] = {}
    for name in PACKAGES:
        target = plan.out / "packages" / name
        shutil.copytree(plan.packages_dir / name, target, ignore=copy_ignore, symlinks=False)
        pyproject = target / "pyproject.toml"
        text = pyproject.read_text(encoding="utf-8")
        pyproject.write_text(
            rewrite_pyproject(text, plan.version, f"{name}/pyproject.toml"), encoding="utf-8"
        )
        staged[name] = target
    return staged


def default_source_date_epoch(repo: Path) -> str | None:
    """The commit time of HEAD (so a local staging is reproducible too), or None outside git."""
    git = shutil.which("git")
    if git is None:
        return None
    proc = subprocess.run(
        [git, "-C", str(repo), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    stamp = proc.stdout.strip()
    return stamp if proc.returncode == 0 and stamp.isdigit() else None
