"""Where the generator reads and writes, and the tools it pins."""

from __future__ import annotations

from pathlib import Path

# scripts/codegen/settings.py -> the repository root
ROOT = Path(__file__).resolve().parents[2]
FACADE_PYPROJECT = ROOT / "packages" / "openai-codex" / "pyproject.toml"
PACKAGE_DIR = ROOT / "packages" / "openai-codex-types" / "src" / "openai_codex_types"
OUT_DIR = PACKAGE_DIR / "_generated"
SCRIPT_NAME = "scripts/generate_types.py"
RUNTIME_DIST = "openai-codex-cli-bin"
RUFF_VERSION = "0.14.6"  # the formatter of the generated code; keep in step with noxfile.py
