"""Release-test fixtures: scripts/release_tools (as `stage_sdk`), a packages/ snapshot, a staging.

The integration tests stage from a snapshot of packages/ (taken once per session), so edits made
while the tests run cannot change what is built between two stagings.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "stage_sdk.py"
PACKAGE = ROOT / "scripts" / "release_tools"
PACKAGE_NAME = "release_tools"
VERSION = "0.1.0b2"
EPOCH = "1700000000"


def _load_stage_sdk() -> ModuleType:
    """The release_tools package (scripts/stage_sdk.py's implementation), imported from its path."""
    if importlib.util.find_spec("tomllib") is None:  # Python 3.10
        pytest.skip("stage_sdk needs Python >= 3.11 (tomllib); releases are staged on 3.12")
    pytest.importorskip("packaging", reason="stage_sdk needs the 'packaging' package")
    if PACKAGE_NAME in sys.modules:
        return sys.modules[PACKAGE_NAME]
    spec = importlib.util.spec_from_file_location(
        PACKAGE_NAME, PACKAGE / "__init__.py", submodule_search_locations=[str(PACKAGE)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE_NAME] = module  # its relative imports and dataclasses look it up here
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(PACKAGE_NAME, None)
        raise
    return module


@pytest.fixture(scope="session")
def stage_sdk() -> ModuleType:
    """scripts/release_tools (behind scripts/stage_sdk.py), imported as a package."""
    return _load_stage_sdk()


def _need_build_tools() -> None:
    for module, dist in [
        ("build", "build"),
        ("twine", "twine"),
        ("check_wheel_contents", "check-wheel-contents"),
    ]:
        pytest.importorskip(module, reason=f"staging needs '{dist}' (nox -s stage installs it)")


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory, stage_sdk: ModuleType) -> Path:
    """A copy of packages/ (without tests and caches) to stage from."""
    target = tmp_path_factory.mktemp("snapshot") / "packages"
    target.mkdir()
    for name in stage_sdk.PACKAGES:
        shutil.copytree(ROOT / "packages" / name, target / name, ignore=stage_sdk.copy_ignore)
    return target


@dataclass(frozen=True)
class Staging:
    out: Path
    version: str
    epoch: str | None
    stdout: str  # empty for a staging made elsewhere (STAGE_SDK_OUT)

    def artifacts(self, package: str) -> list[Path]:
        return sorted((self.out / "dist" / package).iterdir())

    def wheel(self, package: str) -> Path:
        (wheel,) = [p for p in self.artifacts(package) if p.suffix == ".whl"]
        return wheel

    def sdist(self, package: str) -> Path:
        (sdist,) = [p for p in self.artifacts(package) if p.name.endswith(".tar.gz")]
        return sdist


def run_stage(
    *args: str, cwd: Path = ROOT, epoch: str | None = EPOCH
) -> subprocess.CompletedProcess[str]:
    """Run scripts/stage_sdk.py in a subprocess (as `nox -s stage` and the release workflow do)."""
    env = os.environ.copy()
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )


@pytest.fixture(scope="session")
def stage_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_stage: scripts/stage_sdk.py in a subprocess."""
    return run_stage


@pytest.fixture(scope="session")
def staged(tmp_path_factory: pytest.TempPathFactory, snapshot: Path) -> Staging:
    """One checked staging, built from the snapshot with SOURCE_DATE_EPOCH set.

    With STAGE_SDK_OUT=DIR (the release workflow sets it), the tests inspect and install that
    existing staging instead, so the artifacts about to be published are the ones tested.
    """
    existing = os.environ.get("STAGE_SDK_OUT")
    if existing:
        out = Path(existing).resolve()
        manifest = json.loads((out / "stage.json").read_text())
        return Staging(
            out=out, version=manifest["version"], epoch=manifest["source_date_epoch"], stdout=""
        )
    _need_build_tools()
    out = tmp_path_factory.mktemp("stage") / "out"
    proc = run_stage("--sdk-version", VERSION, "--packages-dir", str(snapshot), "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Staging(out=out, version=VERSION, epoch=EPOCH, stdout=proc.stdout)


@pytest.fixture(scope="session")
def uv() -> str:
    """The uv executable (the smoke tests build their venvs with it, from its cache)."""
    found = shutil.which("uv")
    if found is None:
        pytest.skip("uv is not on PATH; the install smoke tests need it (pip install uv)")
    return found
