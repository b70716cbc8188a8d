"""MkDocs hook: the API reference pages, generated at build time from the packages' sources.

- One page per public module of the three packages. A module is public when no part of its
  dotted path starts with ``_``; a new public module (``openai_codex/api.py``, a new
  ``openai_codex/x/__init__.py``) gets its page and its nav entry with no edit anywhere.
- The generated protocol models of ``openai_codex_types`` (~1,400 classes) are grouped by the
  method namespace that uses them (``thread/*``, ``turn/*``, ``fs/*``, ...), read from the
  generated registry; models no method names directly go to "Shared models" pages by first
  letter, and the JSON-RPC envelope unions to one "Envelopes" page. Model pages render lighter
  (no signatures, no source) so the build stays fast.

The pages are listed under the nav section whose title is ``API reference`` in mkdocs.yml.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "openai_codex": ROOT / "packages" / "openai-codex" / "src" / "openai_codex",
    "openai_codex_transport": ROOT
    / "packages"
    / "openai-codex-transport"
    / "src"
    / "openai_codex_transport",
    "openai_codex_types": ROOT / "packages" / "openai-codex-types" / "src" / "openai_codex_types",
}
GENERATED = PACKAGES["openai_codex_types"] / "_generated"
NAV_TITLE = "API reference"
OUT = "reference"
# modules that are entry points, not API
SKIP = {"__main__"}
# the JSON-RPC envelopes: one class per method, the same facts as the registry
ENVELOPE_MODULES = (
    "_client_request",
    "_client_notification",
    "_server_notification",
    "_server_request",
)
SHARED_BUCKETS = ("A-C", "D-H", "I-O", "P-S", "T-Z")
# the base names the types package defines itself (the rest is generated)
TYPES_OWN = ("CodexModel", "CodexRootModel", "OpenEnum", "UnknownVariant", "is_unknown")
MODEL_OPTIONS = """    options:
      heading_level: 2
      show_root_full_path: false
      separate_signature: false
      show_signature: false
      show_bases: true
      summary: false
      inherited_members: false
"""


def public_modules(top: str, root: Path) -> list[str]:
    """Dotted names of the public modules under one package, the package first."""
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if any(part.startswith("_") or part in SKIP for part in parts):
            continue
        names.append(".".join([top, *parts]))
    return sorted(names, key=lambda name: (name != top, name))


def _literal_assignments(path: Path) -> dict[str, Any]:
    """Top-level ``NAME = <literal>`` / ``NAME: T = <literal>`` assignments of a module."""
    values: dict[str, Any] = {}
    for node in ast.parse(path.read_text()).body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


def _class_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [name for name in value if isinstance(name, str)]
    return []


def model_groups() -> dict[str, list[str]]:
    """Page title -> the generated class names it documents."""
    module_of: dict[str, str] = _literal_assignments(GENERATED / "_index.py")["MODULE_OF"]
    registry = _literal_assignments(GENERATED / "_registry.py")
    classes_in: dict[str, list[str]] = defaultdict(list)
    for name, module in module_of.items():
        classes_in[module].append(name)

    namespace_of_module: dict[str, str] = {}
    for table in (
        "CLIENT_REQUESTS",
        "CLIENT_NOTIFICATIONS",
        "SERVER_NOTIFICATIONS",
        "SERVER_REQUESTS",
    ):
        for method, value in sorted(registry.get(table, {}).items()):
            namespace = method.split("/")[0]
            for name in _class_names(value):
                module = module_of.get(name)
                if module and module not in ENVELOPE_MODULES:
                    namespace_of_module.setdefault(module, namespace)

    groups: dict[str, list[str]] = defaultdict(list)
    for module, names in sorted(classes_in.items()):
        if module in ENVELOPE_MODULES:
            groups["Envelopes"].extend(names)
        elif module in namespace_of_module:
            groups[f"{namespace_of_module[module]}/*"].extend(names)
        else:
            for name in names:
                bucket = next(b for b in SHARED_BUCKETS if b[0] <= name[0].upper() <= b[-1])
                groups[f"Shared models {bucket}"].append(name)
    return {title: sorted(names) for title, names in sorted(groups.items())}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def module_page(name: str) -> str:
    """The Markdown of one public module's page."""
    lines = [f"# `{name}`", "", f"::: {name}", "    options:", "      show_root_heading: false"]
    if name == "openai_codex_types":
        lines += ["      members:", *(f"        - {member}" for member in TYPES_OWN)]
        lines += [
            "",
            "## Generated models",
            "",
            "Every generated model is importable from `openai_codex_types` by its name. They are",
            "listed by the method namespace that uses them: see the pages under *Models*.",
        ]
    return "\n".join(lines) + "\n"


def models_page(title: str, names: list[str]) -> str:
    """The Markdown of one page of generated models."""
    intro = {
        "Envelopes": "The JSON-RPC envelopes: one class per method, holding `method` and `params`.",
    }.get(
        title,
        "Models of the methods and notifications in this namespace."
        if title.endswith("/*")
        else "Models shared by several methods.",
    )
    blocks = [f"::: openai_codex_types.{name}\n{MODEL_OPTIONS}" for name in names]
    return f"# {title}\n\n{intro} Import them from `openai_codex_types`.\n\n" + "\n".join(blocks)


def _pages() -> tuple[dict[str, str], list[Any]]:
    """src_uri -> Markdown, and the nav entries of the reference."""
    pages: dict[str, str] = {}
    nav: list[Any] = []
    for top, root in PACKAGES.items():
        section: list[Any] = []
        for name in public_modules(top, root):
            uri = f"{OUT}/{name}.md"
            pages[uri] = module_page(name)
            section.append({name: uri})
        if top == "openai_codex_types":
            models: list[Any] = []
            for title, names in model_groups().items():
                uri = f"{OUT}/openai_codex_types/models/{_slug(title)}.md"
                pages[uri] = models_page(title, names)
                models.append({title: uri})
            section.append({"Models": models})
        nav.append({top: section})
    return pages, nav


_PAGES, _NAV = _pages()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append the generated reference pages to the ``API reference`` nav section."""
    for entry in config.nav or []:
        if isinstance(entry, dict) and NAV_TITLE in entry:
            entry[NAV_TITLE] = [*entry[NAV_TITLE], *_NAV]
            return config
    raise ValueError(f"mkdocs.yml: no nav section titled {NAV_TITLE!r}")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated reference pages to the site."""
    for uri, content in _PAGES.items():
        files.append(File.generated(config, uri, content=content))
    # the runnable examples, so the guides' links to them work on the site too
    for path in sorted((ROOT / "examples").rglob("*.py")):
        uri = f"examples/{path.relative_to(ROOT / 'examples').as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """Point the guides' ``../examples/...`` links (right on GitHub) at the site's copies."""
    depth = page.file.src_uri.count("/")
    return markdown.replace("](../examples/", "](" + "../" * depth + "examples/")
