"""Finding the pinned runtime and loading the JSON schema it dumps."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from .settings import FACADE_PYPROJECT, RUNTIME_DIST


def runtime_pin() -> str:
    """The pinned runtime version, read from the facade's pyproject."""
    text = FACADE_PYPROJECT.read_text(encoding="utf-8")
    pins = re.findall(r'"openai-codex-cli-bin==([^"\s;]+)"', text)
    if len(pins) != 1:
        raise SystemExit(f"expected exactly one {RUNTIME_DIST}==X pin in {FACADE_PYPROJECT}")
    return str(pins[0])


def find_codex(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        import codex_cli_bin  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError as exc:
        raise SystemExit(
            f"{RUNTIME_DIST} is not installed; run `nox -s generate` or install the pin "
            f"({RUNTIME_DIST}=={runtime_pin()})"
        ) from exc
    return str(codex_cli_bin.bundled_codex_path())


def runtime_version(codex: str) -> str:
    out = subprocess.run(
        [codex, "--version"], check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()
    match = re.search(r"(\d+\.\d+\.\d+\S*)", out)
    if not match:
        raise SystemExit(f"cannot read a version from `{codex} --version`: {out!r}")
    return match.group(1)


def dump_schema(codex: str, out: Path, experimental: bool) -> None:
    argv = [codex, "app-server", "generate-json-schema", "--out", str(out)]
    if experimental:
        argv.append("--experimental")
    env = dict(os.environ)
    env["CODEX_HOME"] = str(out.parent / "codex-home")  # never read the user's config
    Path(env["CODEX_HOME"]).mkdir(exist_ok=True)
    subprocess.run(argv, check=True, capture_output=True, env=env, timeout=120)


def load_definitions(schema_dir: Path) -> dict[str, Any]:
    """All definitions: the top-level bundle's plus the v2 bundle's, refs reduced to names."""
    top = json.loads((schema_dir / "codex_app_server_protocol.schemas.json").read_text())
    v2 = json.loads((schema_dir / "codex_app_server_protocol.v2.schemas.json").read_text())
    defs: dict[str, Any] = {}
    for name, body in top["definitions"].items():
        if name != "v2":
            defs[name] = body
    for name, body in v2["definitions"].items():
        if name in defs and _untitled(defs[name]) != _untitled(body):
            raise SystemExit(f"definition {name} differs between the schema bundles")
        defs[name] = body
    return {name: _strip(body) for name, body in sorted(defs.items())}


def _untitled(node: Any) -> Any:
    return {k: v for k, v in _strip(node).items() if k != "title"}


def _strip(node: Any) -> Any:
    """Drop `$schema`, and turn every `$ref` into the bare definition name."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$schema":
                continue
            if key == "$ref":
                out[key] = value.rsplit("/", 1)[-1]
            elif key == "properties":
                out[key] = {k: _strip(v) for k, v in value.items()}
            else:
                out[key] = _strip(value)
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node
