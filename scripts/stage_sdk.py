"""Stage, build and check the three openai-codex packages for a release.

    python scripts/stage_sdk.py --sdk-version 0.1.0b2 --out stage
    python scripts/stage_sdk.py --from-tag python-v0.1.0b2 --out stage
    python scripts/stage_sdk.py --from-tag python-v0.1.0b2 --validate-only   # GITHUB_OUTPUT lines

The source tree is a template: every package's version is ``0.0.0-dev`` and the facade pins its
siblings at ``==0.0.0-dev``. This script validates the requested version first, then copies each
package into ``OUT/packages/<name>`` (the source tree is never modified), writes the version into
the staged ``pyproject.toml`` and pins the facade to ``openai-codex-types==X`` and
``openai-codex-transport==X`` (the reviewed runtime pin is kept as it is), builds an sdist and a
wheel of each into ``OUT/dist/<name>/`` with ``python -m build``, and checks what it built:
``twine check --strict``, ``check-wheel-contents``, the metadata of every artifact (version X,
the right pins), ``py.typed`` present, no tests or caches inside. ``OUT/stage.json`` records the
result. With ``SOURCE_DATE_EPOCH`` set, two stagings produce byte-identical wheels.

Needs Python >= 3.11, ``packaging`` and ``build``; the checks need ``twine`` and
``check-wheel-contents`` (``nox -s stage`` installs all of them). Every refusal is one line on
stderr and a non-zero exit: 2 for a bad request (version, tag, pins, out dir), 1 for a failed
build or check.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import tomllib  # type: ignore[import-not-found,unused-ignore]  # mypy runs as 3.10
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    sys.exit("stage-sdk: error: Python >= 3.11 is required (tomllib); run it with a newer Python")

try:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit(
        "stage-sdk: error: the 'packaging' package is missing; run `nox -s stage` or pip install packaging"
    )

ROOT = Path(__file__).resolve().parent.parent
TAG_PREFIX = "python-v"
TEMPLATE_VERSION = "0.0.0-dev"
RUNTIME = "openai-codex-cli-bin"
TYPES = "openai-codex-types"
TRANSPORT = "openai-codex-transport"
FACADE = "openai-codex"
# Publication order: the facade depends on the other two.
PACKAGES: tuple[str, ...] = (TYPES, TRANSPORT, FACADE)
INTERNAL = frozenset(PACKAGES)
MANIFEST = "stage.json"

# Never copied into the staging directory, and never allowed inside an artifact.
IGNORED_DIRS = frozenset(
    {
        "tests",
        "__pycache__",
        ".venv",
        "venv",
        ".nox",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
        ".git",
    }
)
IGNORED_SUFFIXES = (".pyc", ".pyo", ".egg-info", ".orig", ".rej", ".swp")


class StageError(Exception):
    """A refusal or failure, reported as one line; ``exit_code`` 2 = bad request, 1 = failure."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --------------------------------------------------------------------------------------------
# Validation


def validate_version(raw: str) -> str:
    """Return ``raw`` if it is a normalised, publishable PEP 440 version; raise StageError."""
    text = raw.strip()
    if not text:
        raise StageError("the version is empty; pass e.g. --sdk-version 0.1.0b2")
    if text.lower() in {TEMPLATE_VERSION, "0.0.0.dev0"}:
        raise StageError(
            f"{text!r} is the source template version; pass the release version, e.g. 0.1.0b2"
        )
    try:
        parsed = Version(text)
    except InvalidVersion:
        raise StageError(
            f"{raw!r} is not a valid PEP 440 version; use e.g. 0.1.0, 0.1.0b2, 0.1.0rc1 or 0.1.0.post1"
        ) from None
    if parsed == Version(TEMPLATE_VERSION):
        raise StageError(
            f"{text!r} is the source template version; pass the release version, e.g. 0.1.0b2"
        )
    if parsed.local is not None:
        raise StageError(
            f"{text!r} has a local version label (+{parsed.local}); PyPI refuses those, drop it"
        )
    if str(parsed) != text:
        raise StageError(f"{raw!r} is not normalised PEP 440; use {str(parsed)!r}")
    return text


def version_from_tag(tag: str) -> str:
    """The validated version of a ``python-vX`` tag; raise StageError."""
    name = tag.strip()
    if not name.startswith(TAG_PREFIX):
        raise StageError(f"tag {tag!r} must start with {TAG_PREFIX!r}, e.g. {TAG_PREFIX}0.1.0b2")
    version = name[len(TAG_PREFIX) :]
    if not version:
        raise StageError(
            f"tag {tag!r} has no version after {TAG_PREFIX!r}, e.g. {TAG_PREFIX}0.1.0b2"
        )
    try:
        return validate_version(version)
    except StageError as exc:
        raise StageError(f"tag {tag!r}: {exc}") from None


def is_prerelease(version: str) -> bool:
    """True for alpha, beta, release-candidate and dev versions (pip skips them by default)."""
    return Version(version).is_prerelease


def _requirements(project: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(extra or None, requirement string) for every dependency of a [project] table."""
    out: list[tuple[str | None, str]] = [(None, dep) for dep in project.get("dependencies", [])]
    for extra, deps in project.get("optional-dependencies", {}).items():
        out.extend((extra, dep) for dep in deps)
    return out


def _parse_requirement(text: str, where: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise StageError(f"{where}: {text!r} is not a valid requirement ({exc})") from None


def runtime_pin(facade_project: dict[str, Any], where: str = "openai-codex pyproject.toml") -> str:
    """The facade's one reviewed ``openai-codex-cli-bin==V`` requirement, validated."""
    pins = [
        dep
        for dep in facade_project.get("dependencies", [])
        if canonicalize_name(_parse_requirement(dep, where).name) == RUNTIME
    ]
    if len(pins) != 1:
        raise StageError(
            f"{where} must declare exactly one {RUNTIME}== pin in [project].dependencies, found {len(pins)}"
        )
    req = _parse_requirement(pins[0], where)
    specs = list(req.specifier)
    if (
        len(specs) != 1
        or specs[0].operator != "=="
        or "*" in specs[0].version
        or req.extras
        or req.marker is not None
    ):
        raise StageError(
            f"{where}: the runtime requirement {pins[0]!r} must be an exact pin, {RUNTIME}==<version>"
        )
    for extra, dep in _requirements(facade_project):
        if extra is not None and canonicalize_name(_parse_requirement(dep, where).name) == RUNTIME:
            raise StageError(f"{where}: {RUNTIME} must only be pinned in [project].dependencies")
    pin: str = pins[0]
    return pin


# --------------------------------------------------------------------------------------------
# Rewriting a staged pyproject.toml (a minimal text edit, verified by re-parsing)


def pin_internal(requirement: str, version: str) -> str:
    """``requirement`` with its version specifier replaced by ``==version`` (extras, marker kept)."""
    req = Requirement(requirement)
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    marker = f"; {req.marker}" if req.marker is not None else ""
    return f"{req.name}{extras}=={version}{marker}"


def _section_spans(text: str) -> list[tuple[str, int, int]]:
    """(header, start, end) of each ``[table]`` section; the preamble has header ``""``."""
    headers = list(
        re.finditer(r"(?m)^[ \t]*\[{1,2}[ \t]*([^\]\n]+?)[ \t]*\]{1,2}[ \t]*(?:#.*)?$", text)
    )
    spans: list[tuple[str, int, int]] = []
    starts = [0, *[m.start() for m in headers]]
    names = ["", *[m.group(1) for m in headers]]
    for i, (name, start) in enumerate(zip(names, starts, strict=True)):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        spans.append((name.replace(" ", ""), start, end))
    return spans


def _replace_in_sections(
    text: str,
    sections: Iterable[str],
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
) -> tuple[str, int]:
    wanted = set(sections)
    out: list[str] = []
    count = 0
    for name, start, end in _section_spans(text):
        chunk = text[start:end]
        if name in wanted:
            chunk, n = pattern.subn(repl, chunk)
            count += n
        out.append(chunk)
    return "".join(out), count


def _literal(value: str) -> Callable[[re.Match[str]], str]:
    """A substitution writing ``value`` as a TOML basic string (JSON string syntax is valid TOML)."""
    quoted = json.dumps(value)
    return lambda _match: quoted


def rewrite_pyproject(text: str, version: str, where: str = "pyproject.toml") -> str:
    """Write ``version`` into [project].version and pin every sibling package to ``==version``.

    The edit touches only those string literals; the result is re-parsed and compared with the
    expected data, so anything unexpected (an inline table, a multi-line string, a missed pin) is
    refused rather than silently staged.
    """
    data = tomllib.loads(text)
    project = data.get("project")
    if not isinstance(project, dict) or not isinstance(project.get("version"), str):
        raise StageError(f"{where}: [project].version must be a literal string")

    expected = json.loads(json.dumps(data))  # a deep copy
    expected["project"]["version"] = version
    replacements: dict[str, str] = {}
    deps = expected["project"].get("dependencies", [])
    for i, dep in enumerate(deps):
        if canonicalize_name(_parse_requirement(dep, where).name) in INTERNAL:
            deps[i] = replacements[dep] = pin_internal(dep, version)
    for extra_deps in expected["project"].get("optional-dependencies", {}).values():
        for i, dep in enumerate(extra_deps):
            if canonicalize_name(_parse_requirement(dep, where).name) in INTERNAL:
                extra_deps[i] = replacements[dep] = pin_internal(dep, version)

    old_version = re.escape(project["version"])
    version_re = re.compile(rf"(?m)^([ \t]*version[ \t]*=[ \t]*)([\"']){old_version}\2")
    new_text, n = _replace_in_sections(
        text, ["project"], version_re, lambda m: f'{m.group(1)}"{version}"'
    )
    if n != 1:
        raise StageError(f"{where}: expected one `version = ...` line in [project], found {n}")

    for old, new in replacements.items():
        dep_re = re.compile(rf"([\"']){re.escape(old)}\1")
        new_text, n = _replace_in_sections(
            new_text,
            ["project", "project.optional-dependencies"],
            dep_re,
            _literal(new),
        )
        if n < 1:
            raise StageError(f"{where}: could not find the requirement {old!r} to rewrite")

    if tomllib.loads(new_text) != expected:
        raise StageError(f"{where}: rewriting the version and pins changed more than intended")
    return new_text


# --------------------------------------------------------------------------------------------
# Staging and building


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


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in IGNORED_DIRS or n.endswith(IGNORED_SUFFIXES)}


def stage_sources(plan: Plan) -> dict[str, Path]:
    """Copy each package to OUT/packages/<name> and rewrite its pyproject.toml there."""
    for sub in ("packages", "dist"):
        shutil.rmtree(plan.out / sub, ignore_errors=True)
    (plan.out / MANIFEST).unlink(missing_ok=True)
    staged: dict[str, Path] = {}
    for name in PACKAGES:
        target = plan.out / "packages" / name
        shutil.copytree(plan.packages_dir / name, target, ignore=_ignore, symlinks=False)
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


def _run(argv: Sequence[str], what: str, cwd: Path | None = None) -> None:
    proc = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise StageError(f"{what} failed (exit {proc.returncode}): {' '.join(argv)}", exit_code=1)


def _require_module(module: str, dist: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise StageError(
            f"the '{dist}' package is missing; run `nox -s stage -- ...` or pip install {dist}"
        )


def build(plan: Plan, staged: dict[str, Path]) -> dict[str, list[Path]]:
    """``python -m build`` (sdist, then the wheel from the sdist) for each staged package."""
    _require_module("build", "build")
    artifacts: dict[str, list[Path]] = {}
    installer = ["--installer", "uv"] if shutil.which("uv") else []
    for name, source in staged.items():
        dist = plan.out / "dist" / name
        _run(
            [sys.executable, "-m", "build", *installer, "--outdir", str(dist), str(source)],
            f"building {name}",
        )
        artifacts[name] = sorted(dist.iterdir())
    return artifacts


# --------------------------------------------------------------------------------------------
# Checking the artifacts


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
    _require_module("twine", "twine")
    _require_module("check_wheel_contents", "check-wheel-contents")
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
    _run([sys.executable, "-m", "twine", "check", "--strict", *every], "twine check --strict")
    wheels = [p for p in every if p.endswith(".whl")]
    _run([sys.executable, "-m", "check_wheel_contents", *wheels], "check-wheel-contents")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(plan: Plan, artifacts: dict[str, list[Path]]) -> Path:
    manifest = {
        "version": plan.version,
        "prerelease": plan.prerelease,
        "runtime_pin": plan.runtime_pin,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "publish_order": list(PACKAGES),
        "artifacts": {
            name: [{"file": str(p.relative_to(plan.out)), "sha256": _sha256(p)} for p in paths]
            for name, paths in artifacts.items()
        },
    }
    path = plan.out / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="stage-sdk",
        description="Stage, build and check openai-codex-types, openai-codex-transport and openai-codex.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--sdk-version", metavar="X", help="the release version, e.g. 0.1.0b2")
    source.add_argument("--from-tag", metavar="TAG", help="take the version from a python-vX tag")
    parser.add_argument(
        "--out", type=Path, default=Path("stage"), help="staging directory (default: ./stage)"
    )
    parser.add_argument(
        "--packages-dir",
        type=Path,
        default=None,
        help="where the three source packages live (default: the repository's packages/)",
    )
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="validate, print version=X and prerelease=true|false (GITHUB_OUTPUT lines), stop",
    )
    parser.add_argument(
        "--no-check", action="store_true", help="build but skip the artifact checks"
    )
    return parser.parse_args(argv)


def default_packages_dir() -> Path:
    """packages/ beside this script's checkout, else under the working directory."""
    for candidate in (ROOT / "packages", Path.cwd() / "packages"):
        if (candidate / FACADE / "pyproject.toml").is_file():
            return candidate
    raise StageError(
        "cannot find the packages/ directory; run from the repository or pass --packages-dir"
    )


def run(args: argparse.Namespace) -> int:
    version = (
        version_from_tag(args.from_tag)
        if args.from_tag is not None
        else validate_version(args.sdk_version)
    )
    packages_dir = args.packages_dir if args.packages_dir is not None else default_packages_dir()
    plan = make_plan(version, packages_dir, args.out)
    if args.validate_only:
        print(f"version={plan.version}")
        print(f"prerelease={'true' if plan.prerelease else 'false'}")
        print(f"runtime_pin={plan.runtime_pin}")
        return 0
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        stamp = default_source_date_epoch(plan.packages_dir)
        if stamp is not None:
            os.environ["SOURCE_DATE_EPOCH"] = stamp
    plan.out.mkdir(parents=True, exist_ok=True)
    staged = stage_sources(plan)
    artifacts = build(plan, staged)
    if not args.no_check:
        check(plan, artifacts)
    manifest = write_manifest(plan, artifacts)
    for paths in artifacts.values():
        for path in paths:
            print(path)
    checked = "built" if args.no_check else "built and checked"
    kind = "prerelease" if plan.prerelease else "release"
    print(
        f"stage-sdk: {kind} {plan.version} ({plan.runtime_pin}): "
        f"{sum(len(p) for p in artifacts.values())} artifacts {checked}; manifest {manifest}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except StageError as exc:
        print(f"stage-sdk: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
