"""The ``stage-sdk`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .building import build
from .checks import check
from .common import FACADE, StageError
from .manifest import write_manifest
from .staging import default_source_date_epoch, make_plan, stage_sources
from .validation import validate_version, version_from_tag

# scripts/release_tools/cli.py -> the repository root (a checkout; meaningless when installed)
ROOT = Path(__file__).resolve().parents[2]


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
