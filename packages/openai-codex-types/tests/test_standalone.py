"""Installing only openai-codex-types into a fresh venv brings pydantic and its own
dependencies, nothing else, and parses real runtime lines there.

Uses uv (with its normal cache, so it is quick after the first run)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from codex_types_support import REPO, SESSION, run_python

ALLOWED = {
    "openai-codex-types",
    "pydantic",
    "pydantic-core",
    "typing-extensions",
    "typing-inspection",
    "annotated-types",
}

PARSE = """
import json, sys
from openai_codex_types import registry, is_unknown
lines = [json.loads(l) for l in open(sys.argv[1])]
requests = {l["msg"]["id"]: l["msg"]["method"] for l in lines
            if l["dir"] == "client" and "method" in l["msg"] and "id" in l["msg"]}
counts = {"notifications": 0, "results": 0, "unknown": 0}
for l in lines:
    m = l["msg"]
    if l["dir"] != "server":
        continue
    if "method" in m and "id" not in m:
        p = registry.parse_notification(m["method"], m["params"])
        counts["unknown"] += isinstance(p, registry.UnknownNotification)
        counts["notifications"] += 1
    elif "result" in m:
        registry.parse_result(requests[m["id"]], m["result"])
        counts["results"] += 1
print(json.dumps(counts))
"""


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed (pip install uv)")
    return uv


def test_fresh_venv_gets_only_pydantic_and_parses_runtime_lines(tmp_path: Path) -> None:
    uv = _uv()
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", str(venv)], check=True, timeout=100)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            str(REPO / "packages/openai-codex-types"),
        ],
        check=True,
        timeout=100,
    )
    listed = subprocess.run(
        [uv, "pip", "list", "--python", str(python), "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    installed = {p["name"].lower().replace("_", "-") for p in json.loads(listed)}
    assert installed == ALLOWED
    script = tmp_path / "parse.py"
    script.write_text(PARSE)
    out = subprocess.run(
        [str(python), str(script), str(SESSION)],
        check=True,
        capture_output=True,
        text=True,
        timeout=100,
    ).stdout
    counts = json.loads(out)
    assert counts["unknown"] == 0
    assert counts["notifications"] > 20
    assert counts["results"] == 4
    # nothing from the rest of the SDK is importable there
    probe = run_python(
        "import importlib.util as u; print([u.find_spec(n) is None for n in "
        "('openai_codex', 'openai_codex_transport', 'codex_cli_bin')])",
        python=str(python),
    )
    assert probe.strip() == "[True, True, True]"
