"""Helpers shared by the openai-codex-types tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SESSION = FIXTURES / "runtime-0.163.0-session.jsonl"


def codex_binary() -> str:
    import codex_cli_bin  # type: ignore[import-not-found, import-untyped, unused-ignore]

    return str(codex_cli_bin.bundled_codex_path())


@cache
def runtime_schema(tmp_root: str, experimental: bool) -> dict[str, Any]:
    """The top-level schema bundle (definitions, v2 ones inlined by name) the runtime prints."""
    out = Path(tmp_root) / ("experimental" if experimental else "stable")
    home = Path(tmp_root) / "home"
    home.mkdir(exist_ok=True)
    argv = [codex_binary(), "app-server", "generate-json-schema", "--out", str(out)]
    if experimental:
        argv.append("--experimental")
    subprocess.run(
        argv,
        check=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "CODEX_HOME": str(home)},
    )
    top = json.loads((out / "codex_app_server_protocol.schemas.json").read_text())
    defs: dict[str, Any] = dict(top["definitions"])
    defs.update(defs.pop("v2"))
    return defs


def methods(defs: dict[str, Any], union: str) -> dict[str, Any]:
    """method -> params schema of one of the schema's method unions."""
    return {
        arm["properties"]["method"]["enum"][0]: arm["properties"].get("params")
        for arm in defs[union]["oneOf"]
    }


def session_lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SESSION.read_text().splitlines() if line.strip()]


def run_python(code: str, python: str = sys.executable) -> str:
    return subprocess.run(
        [python, "-c", code], check=True, capture_output=True, text=True, timeout=120
    ).stdout
