"""Integration: stage and build all three packages into a temp dir, then inspect the artifacts."""

from __future__ import annotations

import email.parser
import hashlib
import json
import shutil
import subprocess
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.requirements import Requirement

StageCli = Callable[..., subprocess.CompletedProcess[str]]
RUNTIME = "openai-codex-cli-bin"
PACKAGES = ["openai-codex-types", "openai-codex-transport", "openai-codex"]


def _metadata(path: Path) -> Any:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
            text = zf.read(name).decode()
    else:
        with tarfile.open(path) as tf:
            member = tf.extractfile(f"{path.name.removesuffix('.tar.gz')}/PKG-INFO")
            assert member is not None
            text = member.read().decode()
    return email.parser.Parser().parsestr(text)


def _members(path: Path) -> list[str]:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()
    with tarfile.open(path) as tf:
        return [n.split("/", 1)[1] for n in tf.getnames() if "/" in n]


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_six_artifacts_with_the_staged_version(staged: Any) -> None:
    for package in PACKAGES:
        module = package.replace("-", "_")
        names = [p.name for p in staged.artifacts(package)]
        assert names == [
            f"{module}-{staged.version}-py3-none-any.whl",
            f"{module}-{staged.version}.tar.gz",
        ]
        for path in staged.artifacts(package):
            meta = _metadata(path)
            assert meta["Name"] == package
            assert meta["Version"] == staged.version
            assert meta["Requires-Python"] == ">=3.10"
    if staged.stdout:
        assert f"prerelease {staged.version}" in staged.stdout


def test_facade_pins_its_siblings_to_the_version_and_keeps_the_runtime_pin(
    staged: Any, stage_sdk: ModuleType
) -> None:
    facade_source = (staged.out / "packages" / "openai-codex" / "pyproject.toml").read_text()
    manifest = json.loads((staged.out / "stage.json").read_text())
    runtime = manifest["runtime_pin"]
    assert runtime.startswith(f"{RUNTIME}==")
    for path in staged.artifacts("openai-codex"):
        requires = _metadata(path).get_all("Requires-Dist")
        assert f"openai-codex-types=={staged.version}" in requires
        assert f"openai-codex-transport=={staged.version}" in requires
        assert (
            f"openai-codex-transport[websockets]=={staged.version}; extra == 'websockets'"
            in requires
        )
        assert [r for r in requires if r.startswith(RUNTIME)] == [runtime]
        assert not [r for r in requires if "0.0.0" in r]
    assert f'"{runtime}"' in facade_source
    for leaf in ("openai-codex-types", "openai-codex-transport"):
        for path in staged.artifacts(leaf):
            requires = _metadata(path).get_all("Requires-Dist") or []
            assert not [r for r in requires if r.startswith(("openai-codex", RUNTIME))], requires
    only_pydantic = _metadata(staged.wheel("openai-codex-types")).get_all("Requires-Dist")
    assert [Requirement(r).name for r in only_pydantic] == ["pydantic"]


def test_py_typed_present_and_no_tests_or_caches_inside(staged: Any) -> None:
    for package in PACKAGES:
        module = package.replace("-", "_")
        wheel = _members(staged.wheel(package))
        sdist = _members(staged.sdist(package))
        assert f"{module}/py.typed" in wheel
        assert f"src/{module}/py.typed" in sdist
        assert f"{module}/__init__.py" in wheel
        assert "pyproject.toml" in sdist
        assert "PKG-INFO" in sdist
        for member in wheel + sdist:
            parts = member.split("/")
            assert "tests" not in parts, member
            assert "__pycache__" not in parts, member
            assert not member.endswith((".pyc", ".pyo")), member
            assert not parts[-1].startswith("test_"), member
        top_levels = {m.split("/", 1)[0] for m in wheel}
        assert top_levels == {module, f"{module}-{staged.version}.dist-info"}


def test_manifest_records_every_artifact_with_its_hash(staged: Any, stage_sdk: ModuleType) -> None:
    manifest = json.loads((staged.out / "stage.json").read_text())
    assert manifest["version"] == staged.version
    assert manifest["prerelease"] is stage_sdk.is_prerelease(staged.version)
    assert manifest["publish_order"] == PACKAGES
    assert manifest["source_date_epoch"] == staged.epoch
    for package in PACKAGES:
        entries = manifest["artifacts"][package]
        assert len(entries) == 2
        for entry in entries:
            data = (staged.out / entry["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_restaging_over_an_earlier_staging_is_byte_identical_and_leaves_the_source_alone(
    staged: Any, snapshot: Path, stage_cli: StageCli, tmp_path: Path
) -> None:
    pytest.importorskip("build", reason="restaging needs 'build' (nox -s stage installs it)")
    before = _tree_digest(snapshot)
    out = tmp_path / "again"
    shutil.copytree(staged.out, out)  # an earlier staging: stage_sdk replaces it
    (out / "dist" / "openai-codex" / "stale-0.0.1-py3-none-any.whl").write_bytes(b"old")
    proc = stage_cli(
        "--sdk-version",
        staged.version,
        "--packages-dir",
        str(snapshot),
        "--out",
        str(out),
        "--no-check",
        epoch=staged.epoch,
    )
    assert proc.returncode == 0, proc.stderr
    assert "6 artifacts built;" in proc.stdout
    for package in PACKAGES:
        first = [(p.name, p.read_bytes()) for p in staged.artifacts(package)]
        second = [(p.name, p.read_bytes()) for p in sorted((out / "dist" / package).iterdir())]
        assert first == second, f"{package}: artifacts differ between two stagings"
    assert _tree_digest(snapshot) == before
    assert "0.0.0-dev" in (snapshot / "openai-codex" / "pyproject.toml").read_text()


def _rezip(source: Path, target: Path, extra: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        for name, data in extra.items():
            zout.writestr(name, data)


def test_the_artifact_check_catches_tests_caches_and_wrong_versions(
    staged: Any, stage_sdk: ModuleType, tmp_path: Path
) -> None:
    manifest = json.loads((staged.out / "stage.json").read_text())
    pin = manifest["runtime_pin"]
    good = staged.wheel("openai-codex")
    assert stage_sdk.check_artifact(good, "openai-codex", staged.version, pin) == []
    assert (
        stage_sdk.check_artifact(staged.sdist("openai-codex"), "openai-codex", staged.version, pin)
        == []
    )

    bad = tmp_path / good.name
    _rezip(
        good,
        bad,
        {
            "openai_codex/tests/test_thing.py": b"",
            "openai_codex/__pycache__/x.cpython-311.pyc": b"",
        },
    )
    problems = stage_sdk.check_artifact(bad, "openai-codex", staged.version, pin)
    assert any("openai_codex/tests/test_thing.py" in p for p in problems), problems
    assert any("__pycache__/x.cpython-311.pyc" in p for p in problems), problems

    wrong = stage_sdk.check_artifact(good, "openai-codex", "9.9.9", pin)
    assert any(f"Version is '{staged.version}', expected '9.9.9'" in p for p in wrong), wrong
    assert any("must pin openai-codex-types==9.9.9" in p for p in wrong), wrong

    other_pin = pin.rsplit("==", 1)[0] + "==0.0.1"
    assert any(
        "expected exactly the runtime pin" in p
        for p in stage_sdk.check_artifact(good, "openai-codex", staged.version, other_pin)
    )

    untyped = tmp_path / "untyped" / good.name
    untyped.parent.mkdir()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(untyped, "w") as zout:
        for item in zin.infolist():
            if not item.filename.endswith("py.typed"):
                zout.writestr(item, zin.read(item.filename))
    assert any(
        "openai_codex/py.typed is missing" in p
        for p in stage_sdk.check_artifact(untyped, "openai-codex", staged.version, pin)
    )


@pytest.mark.parametrize("tool", ["twine", "check_wheel_contents"])
def test_the_external_checkers_pass_on_the_staging(staged: Any, tool: str) -> None:
    # stage_sdk already ran them (the staging succeeded); run them again visibly.
    import sys

    pytest.importorskip(tool, reason=f"{tool} is not installed (nox -s stage installs it)")

    files = [str(p) for p in staged.out.glob("dist/*/*")]
    if tool == "twine":
        argv = [sys.executable, "-m", "twine", "check", "--strict", *files]
    else:
        argv = [
            sys.executable,
            "-m",
            "check_wheel_contents",
            *[f for f in files if f.endswith(".whl")],
        ]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if tool == "twine":
        assert proc.stdout.count("PASSED") == 6
