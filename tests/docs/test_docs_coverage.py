"""scripts/check_docs_coverage.py reads a site inventory and the modules' ``__all__``."""

from __future__ import annotations

import importlib.util
import zlib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_docs_coverage", ROOT / "scripts/check_docs_coverage.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inventory_and_exports(tmp_path: Path) -> None:
    script = _script()
    body = "openai_codex.Codex py:class 1 reference/x/#$ -\nopenai_codex.run py:function 1 y -\n"
    header = (
        b"# Sphinx inventory version 2\n# Project: p\n# Version: 0\n"
        b"# The remainder of this file is compressed using zlib.\n"
    )
    (tmp_path / "objects.inv").write_bytes(header + zlib.compress(body.encode()))
    assert script.inventory(tmp_path) == {"openai_codex.Codex", "openai_codex.run"}
    source = tmp_path / "m.py"
    source.write_text('"""doc"""\nX = 1\n__all__ = ["Codex", "missing", "__version__"]\n')
    assert script.exported(source) == ["Codex", "missing", "__version__"]
    source.write_text("X = 1\n")
    assert script.exported(source) == []
