"""scripts/check_docs_coverage.py reads a site inventory and the modules' ``__all__``."""

from __future__ import annotations

import importlib.util
import zlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(path: str = "scripts/check_docs_coverage.py") -> ModuleType:
    spec = importlib.util.spec_from_file_location(Path(path).stem, ROOT / path)
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
    assert script.exported(source, "m") == ["Codex", "missing", "__version__"]
    source.write_text("X = 1\n")
    assert script.exported(source, "m") == []


def test_a_computed_all_is_read_by_importing_the_module() -> None:
    """``openai_codex.api``'s ``__all__`` is ``sorted(...)``; the check imports it."""
    import openai_codex.api

    script = _script()
    path = ROOT / "packages/openai-codex/src/openai_codex/api.py"
    names = script.exported(path, "openai_codex.api")
    assert names == openai_codex.api.__all__
    assert "start_chatgpt_login" in names
    # a re-export counts as documented where the same object is documented
    documented = {"openai_codex.Codex", "openai_codex.Thread.run"}
    assert script._documented_elsewhere("openai_codex.api", "Codex", documented)
    assert not script._documented_elsewhere("openai_codex.api", "Thread", documented)


def test_guide_pages_come_from_the_navigation() -> None:
    pytest.importorskip("yaml")
    pages = _script().guide_pages()
    assert "getting-started.md" in pages
    assert "low-level-client.md" in pages
    assert "concepts/errors.md" in pages
    assert "api-reference.md" not in pages
    assert "changelog.md" not in pages


def test_docstrings_become_markdown_for_the_site() -> None:
    hooks = _script("docs/hooks/griffe_rst.py")
    assert hooks.convert("Use :class:`~a.b.Codex` or :func:`run`.") == "Use `Codex` or `run`."
    text = "Intro (asyncio or trio)::\n\n    with Codex() as codex:\n        pass\n\nAfter."
    assert hooks.literal_blocks(text) == (
        "Intro (asyncio or trio):\n\n```python\nwith Codex() as codex:\n    pass\n```\n\nAfter."
    )
    assert hooks.literal_blocks("::\n\n    x = 1\n") == "```python\nx = 1\n```\n"
    assert hooks.literal_blocks("a::b stays") == "a::b stays"
    options = (
        "Run it.\n\nKeyword arguments:\n\n- ``cwd``: the directory\n- ``gone``: not in the"
        " signature\n- ``model``: the model slug"
    )
    assert hooks.option_table(options, {"cwd", "model"}) == (
        "Run it.\n\nOther keyword arguments:\n\n- ``gone``: not in the signature\n\n"
        "Args:\n    cwd: the directory\n    model: the model slug"
    )
    assert hooks.option_table("No table.", {"cwd"}) == "No table."
    generated = "Run it.\n\nArguments:\n\n- ``input``: what to send"
    assert hooks.option_table(generated, {"input"}) == "Run it.\n\nArgs:\n    input: what to send"
