"""Check that the built site documents every public name (run after ``mkdocs build``).

For every public module of the three packages (the modules the reference hook gives a
page: no ``_`` in the dotted path), each name in its ``__all__`` (but dunders such as
``__version__``) must be on the site: in its inventory (``site/objects.inv``, written by
mkdocstrings) as ``module.name``, or under another documented path that is the same object
(a re-export). A literal ``__all__`` is read from the source; a computed one (``sorted(...)``,
a module ``__getattr__``) is read by importing the module, so the docs session installs the
packages.

It also fails when a reference page shows a reST role (``:class:``) or a reST ``::`` marker as
text, and when Getting started or a page of the Concepts or Guides sections of the
navigation links to no reference entry.

    python scripts/check_docs_coverage.py [SITE_DIR]
"""

from __future__ import annotations

import ast
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))


def inventory(site: Path) -> set[str]:
    """The object names of a Sphinx-style ``objects.inv`` (version 2)."""
    raw = (site / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):  # four header lines, then the zlib-compressed body
        header_end = raw.index(b"\n", header_end) + 1
    body = zlib.decompress(raw[header_end:]).decode()
    return {line.split(" ", 1)[0] for line in body.splitlines() if line.strip()}


def exported(path: Path, module: str) -> list[str]:
    """The ``__all__`` of a module: literal in its source, else computed by importing it."""
    computed = False
    for node in ast.parse(path.read_text()).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            try:
                value = ast.literal_eval(node.value)  # type: ignore[attr-defined]
            except ValueError:
                computed = True
                break
            return [name for name in value if isinstance(name, str)]
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            computed = True  # a module __getattr__ may answer __all__ (openai_codex_types)
    if not computed:
        return []
    import importlib

    names = getattr(importlib.import_module(module), "__all__", [])
    return [name for name in names if isinstance(name, str)]


def _resolve(path: str) -> object:
    """The object at a dotted path (the longest importable module prefix, then attributes)."""
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            value = getattr(value, part)
        return value
    raise ImportError(path)


def _documented_elsewhere(module: str, name: str, documented: set[str]) -> bool:
    """``module.name`` is the same object as a documented ``other.name`` (a re-export)."""
    try:
        target = _resolve(f"{module}.{name}")
    except (ImportError, AttributeError):
        return False
    for path in documented:
        if path.rsplit(".", 1)[-1] != name:
            continue
        try:
            if _resolve(path) is target:
                return True
        except (ImportError, AttributeError):
            continue
    return False


def module_file(root: Path, top: str, module: str) -> Path:
    parts = module.split(".")[1:]
    candidate = root.joinpath(*parts)
    return candidate / "__init__.py" if candidate.is_dir() else candidate.with_suffix(".py")


def missing_names(site: Path) -> list[str]:
    from reference import PACKAGES, public_modules

    documented = inventory(site)
    missing = []
    for top, root in PACKAGES.items():
        for module in public_modules(top, root):
            for name in exported(module_file(root, top, module), module):
                if name.startswith("__"):  # __version__: dunders are not rendered
                    continue
                if f"{module}.{name}" in documented:
                    continue
                if not _documented_elsewhere(module, name, documented):
                    missing.append(f"{module}.{name}")
    return missing


def literal_roles(site: Path) -> list[str]:
    """Reference pages that show a reST role as text (docs/hooks/griffe_rst.py converts them)."""
    import re

    role = re.compile(r":(?:class|func|meth|exc|attr|data|mod):<?/?")
    return [
        str(page.relative_to(site))
        for page in sorted((site / "reference").rglob("*.html"))
        if role.search(page.read_text(errors="replace"))
    ]


def literal_markers(site: Path) -> list[str]:
    """Reference pages that show a reST ``::`` literal-block marker as text."""
    import re

    marker = re.compile(r"::</p>|::\s*\n\s*</p>|<p>::")
    return [
        str(page.relative_to(site))
        for page in sorted((site / "reference").rglob("*.html"))
        if marker.search(page.read_text(errors="replace"))
    ]


def guide_pages() -> list[str]:
    """The Markdown sources of Getting started and the Concepts and Guides sections of the nav."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    pages: list[str] = []

    def walk(entry: object) -> None:
        if isinstance(entry, str):
            pages.append(entry)
        elif isinstance(entry, list):
            for item in entry:
                walk(item)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)

    for entry in config["nav"]:
        if isinstance(entry, dict) and ({"Getting started", "Concepts", "Guides"} & set(entry)):
            walk(list(entry.values()))
    return pages


def guides_without_reference_links(site: Path) -> list[str]:
    """Guide pages whose built HTML has no link into the API reference."""
    import re

    link = re.compile(r'href="[^"]*reference/[^"]*"')
    lonely = []
    for source in guide_pages():
        html = site / source.removesuffix(".md") / "index.html"
        if not link.search(html.read_text(errors="replace")):
            lonely.append(source)
    return lonely


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    failed = False
    for problem, found in (
        ("public names are not on the site", missing_names(site)),
        ("reference pages show reST roles as text", literal_roles(site)),
        ("reference pages show a reST '::' marker as text", literal_markers(site)),
        (
            "guide pages link to no API reference entry (link the names they use, "
            "e.g. [`Codex`][openai_codex.Codex])",
            guides_without_reference_links(site),
        ),
    ):
        if found:
            failed = True
            print(f"{len(found)} {problem}:", *found[:50], sep="\n  ")
    if failed:
        return 1
    print(
        "every public name of the three packages is on the site; no reST role or '::' marker "
        "shows as text; every guide links into the reference"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
