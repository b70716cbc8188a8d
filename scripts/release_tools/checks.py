"""Checking the built artifacts: metadata, pins, py.typed, no tests or caches, twine and
check-wheel-contents."""

from __future__ import annotations

import email.parser
import re
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .building import require_module, run_tool
from .common import (
    FACADE,
    IGNORED_DIRS,
    IGNORED_SUFFIXES,
    INTERNAL,
    RUNTIME,
    TEMPLATE_VERSION,
    TRANSPORT,
    TYPES,
    StageError,
)
from .staging import Plan


def _artifact_members(path: Path) -> tuple[list[str], str]:
    """(member paths, core metadata text) of a wheel or sdist."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta = [n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
            if len(meta) != 1:
                raise StageError(f"{path.name}: expected one .dist-info/METADATA", exit_code=1)
            return names, zf.read(meta[0]).decode("utf-8")
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path, "r:gz") as tf:
            names = tf.getnames()
            top = names[0].split("/", 1)[0]
            member = tf.extractfile(f"{top}/PKG-INFO")
            if member is None:
                raise StageError(f"{path.name}: PKG-INFO is missing", exit_code=1)
            # Paths relative to the sdist's top directory.
            rel = [n.split("/", 1)[1] for n in names if "/" in n]
            return rel, member.read().decode("utf-8")
    raise StageError(f"unexpected artifact {path.name}", exit_code=1)


def expected_requirements(name: str, version: str, pin: str) -> dict[str, set[str]]:
    """Requirements (without markers) that must appear in the facade's metadata, by extra."""
    if name != FACADE:
        return {}
    return {
        "": {f"{TYPES}=={version}", f"{TRANSPORT}=={version}", pin},
        "websockets": {f"{TRANSPORT}[websockets]=={version}"},
    }


def check_artifact(path: Path, name: str, version: str, pin: str) -> list[str]:
    """Every problem found in one wheel or sdist (an empty list when it is fine)."""
    problems: list[str] = []
    members, metadata_text = _artifact_members(path)
    meta = email.parser.Parser().parsestr(metadata_text)
    if meta.get("Name") != name:
        problems.append(f"{path.name}: Name is {meta.get('Name')!r}, expected {name!r}")
    if meta.get("Version") != version:
        problems.append(f"{path.name}: Version is {meta.get('Version')!r}, expected {version!r}")

    by_extra: dict[str, set[str]] = {}
    runtime_pins: list[str] = []
    for text in meta.get_all("Requires-Dist") or []:
        req = Requirement(text)
        extra = ""
        if req.marker is not None:
            found = re.search(r"extra\s*==\s*[\"']([^\"']+)[\"']", str(req.marker))
            extra = found.group(1) if found else ""
        bare = str(Requirement(str(req).split(";", 1)[0]))
        by_extra.setdefault(extra, set()).add(bare)
        canonical = canonicalize_name(req.name)
        if canonical == RUNTIME:
            runtime_pins.append(bare)
        if canonical in INTERNAL:
            specs = list(req.specifier)
            if [(s.operator, s.version) for s in specs] != [("==", version)]:
                problems.append(f"{path.name}: {text!r} must pin {req.name}=={version}")
    for extra, wanted in expected_requirements(name, version, pin).items():
        missing = {str(Requirement(w)) for w in wanted} - by_extra.get(extra, set())
        if missing:
            label = f"extra {extra!r}" if extra else "the base requirements"
            problems.append(f"{path.name}: {label} lack {sorted(missing)}")
    if name == FACADE and runtime_pins != [str(Requirement(pin))]:
        problems.append(
            f"{path.name}: expected exactly the runtime pin {pin!r}, found {runtime_pins}"
        )
    if name != FACADE and runtime_pins:
        problems.append(f"{path.name}: only the facade may depend on {RUNTIME}")
    if TEMPLATE_VERSION in metadata_text or "0.0.0.dev0" in metadata_text:
        problems.append(f"{path.name}: the metadata still mentions the template version")

    module = name.replace("-", "_")
    typed = f"{module}/py.typed" if path.suffix == ".whl" else f"src/{module}/py.typed"
    if typed not in members:
        problems.append(f"{path.name}: {typed} is missing")
    for member in members:
        parts = member.split("/")
        if any(p in IGNORED_DIRS or p.endswith(IGNORED_SUFFIXES) for p in parts[:-1]) or parts[
            -1
        ].endswith(IGNORED_SUFFIXES):
            problems.append(f"{path.name}: must not contain {member}")
        elif parts[-1].startswith("test_") or parts[-1] == "conftest.py":
            problems.append(f"{path.name}: must not contain the test file {member}")
    return problems


def check(plan: Plan, artifacts: dict[str, list[Path]]) -> None:
    require_module("twine", "twine")
    require_module("check_wheel_contents", "check-wheel-contents")
    problems: list[str] = []
    for name, paths in artifacts.items():
        kinds = sorted("wheel" if p.suffix == ".whl" else "sdist" for p in paths)
        if kinds != ["sdist", "wheel"]:
            problems.append(
                f"{name}: expected one sdist and one wheel, built {[p.name for p in paths]}"
            )
        for path in paths:
            problems.extend(check_artifact(path, name, plan.version, plan.runtime_pin))
    if problems:
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise StageError(
            f"{len(problems)} problem(s) in the built artifacts (listed above)", exit_code=1
        )
    every = [str(p) for paths in artifacts.values() for p in paths]
    run_tool([sys.executable, "-m", "twine", "check", "--strict", *every], "twine check --strict")
    wheels = [p for p in every if p.endswith(".whl")]
    run_tool([sys.executable, "-m", "check_wheel_contents", *wheels], "check-wheel-contents")
