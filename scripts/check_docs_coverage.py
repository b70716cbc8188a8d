"""Check that the built site documents every public name (run after ``mkdocs build``).

For every public module of the three packages (the modules the reference hook gives a
page: no ``_`` in the dotted path), each name in its ``__all__`` (but dunders such as ``__version__``) must be in the site's
inventory (``site/objects.inv``, written by mkdocstrings) as ``module.name``. Reads the
sources statically, so it needs none of the packages installed.

It also fails when a reference page shows a reST role (``:class:``) as text.

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


def exported(path: Path) -> list[str]:
    """The literal ``__all__`` of a module source (empty when it has none)."""
    for node in ast.parse(path.read_text()).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            try:
                value = ast.literal_eval(node.value)  # type: ignore[attr-defined]
            except ValueError:
                return []
            return [name for name in value if isinstance(name, str)]
    return []


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
            for name in exported(module_file(root, top, module)):
                if name.startswith("__"):  # __version__: dunders are not rendered
                    continue
                if f"{module}.{name}" not in documented:
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


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    missing = missing_names(site)
    if missing:
        print(f"{len(missing)} public names are not on the site:", *missing[:50], sep="\n  ")
        return 1
    raw = literal_roles(site)
    if raw:
        print(f"{len(raw)} reference pages show reST roles as text:", *raw[:20], sep="\n  ")
        return 1
    print("every public name of the three packages is on the site; no reST role shows as text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
