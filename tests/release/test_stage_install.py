"""Smoke tests: install the staged wheels into fresh venvs (uv, served from its cache).

- the three wheels plus the runtime from the registry: versions, the runtime binary, and the
  quickstart example against the offline model;
- the types wheel alone: only pydantic and its own dependencies come with it.

Two venvs in all; the runtime wheel is large, so uv links it from its cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
RUNTIME = "openai-codex-cli-bin"

# Written into each venv and run there: what is installed, and what each distribution requires.
INVENTORY = """\
import importlib.metadata as md, json, sys
print(json.dumps({
    "prefix": sys.prefix,
    "dists": {d.metadata["Name"]: {"version": d.version, "requires": d.requires or []}
              for d in md.distributions()},
}))
"""


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 100)
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert proc.returncode == 0, f"{argv[:4]} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _venv(uv: str, path: Path, *requirements: str) -> Path:
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(path)])
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([uv, "pip", "install", "--quiet", "--python", str(python), *requirements])
    return python


def _inventory(python: Path) -> dict[str, Any]:
    proc = _run([str(python), "-c", INVENTORY])
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _closure(roots: list[str], dists: dict[str, Any]) -> set[str]:
    """Canonical names reachable from ``roots`` through unconditional/marker-true requirements."""
    by_name = {str(canonicalize_name(name)): info for name, info in dists.items()}
    seen: set[str] = set()
    todo = [str(canonicalize_name(r)) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in by_name[name]["requires"]:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(str(canonicalize_name(req.name)))
    return seen


@pytest.fixture(scope="module")
def full_venv(staged: Any, uv: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = [str(staged.wheel(p)) for p in ("openai-codex-types", "openai-codex-transport")]
    wheels.append(str(staged.wheel("openai-codex")))
    return _venv(uv, tmp_path_factory.mktemp("venv-full") / "venv", *wheels)


def test_staged_wheels_install_with_the_runtime_from_the_registry(
    full_venv: Path, staged: Any, uv: str, tmp_path: Path
) -> None:
    inventory = _inventory(full_venv)
    dists = {str(canonicalize_name(k)): v for k, v in inventory["dists"].items()}
    for package in ("openai-codex-types", "openai-codex-transport", "openai-codex"):
        assert dists[package]["version"] == staged.version
    pin = json.loads((staged.out / "stage.json").read_text())["runtime_pin"]
    assert dists[RUNTIME]["version"] == pin.split("==", 1)[1]
    _run([uv, "pip", "check", "--python", str(full_venv)])

    probe = (
        "import json, codex_cli_bin, openai_codex, openai_codex_types, openai_codex_transport\n"
        "print(json.dumps({'versions': [m.__version__ for m in (openai_codex, openai_codex_types,"
        " openai_codex_transport)], 'files': [m.__file__ for m in (openai_codex,"
        " openai_codex_types, openai_codex_transport)], 'codex': str(codex_cli_bin.bundled_codex_path())}))"
    )
    facts = json.loads(_run([str(full_venv), "-c", probe], cwd=full_venv.parent).stdout)
    assert facts["versions"] == [staged.version] * 3
    prefix = Path(inventory["prefix"]).resolve()
    for file in facts["files"]:
        assert prefix in Path(file).resolve().parents, f"{file} is not from the smoke venv"
    env = {**os.environ, "CODEX_HOME": str(tmp_path)}  # never the user's CODEX_HOME
    version = _run([facts["codex"], "--version"], timeout=30, env=env).stdout
    assert pin.split("==", 1)[1] in version


def test_quickstart_runs_against_the_offline_model(full_venv: Path, tmp_path: Path) -> None:
    """examples/quickstart*.py (quickstart.py, or its _sync/_async pair), run on the wheels."""
    quickstarts = sorted(EXAMPLES.glob("quickstart*.py"))
    if not quickstarts:
        pytest.skip(
            "no examples/quickstart*.py yet; this smoke test runs the quickstart from the "
            "installed wheels once the facade's example lands"
        )
    # A safety net: even a misbehaving example cannot reach a real model from here.
    from openai_codex.testing import write_codex_home

    codex_home = write_codex_home(tmp_path / "codex-home", "http://127.0.0.1:9/v1")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "OPENAI_", "CODEX_", "VIRTUAL_ENV"))
    }
    env["CODEX_HOME"] = str(codex_home)
    for example in quickstarts:
        proc = subprocess.run(
            [str(full_venv), str(example)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, f"{example.name} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}"
        assert "completed" in proc.stdout, f"{example.name} printed:\n{proc.stdout}"


def test_types_wheel_brings_only_pydantic(
    staged: Any, uv: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    python = _venv(
        uv, tmp_path_factory.mktemp("venv-types") / "venv", str(staged.wheel("openai-codex-types"))
    )
    dists = _inventory(python)["dists"]
    installed = {str(canonicalize_name(name)) for name in dists}
    from_pydantic = _closure(["pydantic"], dists)
    assert "pydantic-core" in from_pydantic
    assert installed == {"openai-codex-types"} | from_pydantic, installed - from_pydantic
    assert _closure(["openai-codex-types"], dists) == installed
    for absent in ("anyio", "openai-codex-transport", "openai-codex", RUNTIME):
        assert absent not in installed
    probe = "import openai_codex_types; print(openai_codex_types.__version__)"
    assert _run([str(python), "-c", probe]).stdout.strip() == staged.version
