"""MkDocs hook: the API reference pages, generated at build time from the packages' sources.

- One page per public module of the three packages. A module is public when no part of its
  dotted path starts with ``_``; a new public module (``openai_codex/api.py``, a new
  ``openai_codex/x/__init__.py``) gets its page and its nav entry with no edit anywhere.
- The generated protocol models of ``openai_codex_types`` (~1,400 classes) are grouped by the
  method namespace that uses them (``thread/*``, ``turn/*``, ``fs/*``, ...), read from the
  generated registry; models no method names directly go to "Shared models" pages by first
  letter, and the JSON-RPC envelope unions to one "Envelopes" page. Model pages render lighter
  (no signatures, no source) so the build stays fast.

An "Argument types" page lists the values of the type aliases that public signatures use but
that live in private modules (``approval_mode: ApprovalModeArg``, ``sandbox: SandboxArg``, ...):
each gets an anchor with its canonical path, so the names in signatures link there. The values
are read from the sources (the ``Literal`` strings and the enums' members), not written twice.

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


# the names the types package defines itself (the rest is generated): RUNTIME_VERSION and its
# _BASE_NAMES, read from its __init__.py so a new base class is documented with no edit here
def _types_own() -> tuple[str, ...]:
    source = (PACKAGES["openai_codex_types"] / "__init__.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "_BASE_NAMES" for target in node.targets
        ):
            names = sorted(
                sub.value
                for sub in ast.walk(node.value)
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
            )
            return ("RUNTIME_VERSION", *names)
    raise ValueError("openai_codex_types/__init__.py: no _BASE_NAMES")


TYPES_OWN = _types_own()
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


def _helpers_module() -> str:
    """The module ``openai_codex.api`` takes its helpers from (its ``__getattr__`` imports it)."""
    source = (PACKAGES["openai_codex"] / "api.py").read_text()
    found = re.search(r"from \.(\S+) import published_names", source)
    if found is None:
        raise ValueError("openai_codex/api.py: no 'from .X import published_names'")
    return f"openai_codex.{found.group(1)}.published_names"


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
    if name == "openai_codex.api":
        # names the module resolves on first access (its __all__ is computed): the helpers
        helpers = _literal_assignments(PACKAGES["openai_codex"] / "api.py")["_HELPERS"]
        lines += ["", "## Helpers of the published module", ""]
        for helper in helpers:
            lines += [
                f"::: {_helpers_module()}.{helper}",
                "    options:",
                "      show_root_full_path: false",
                "      heading_level: 3",
                "",
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


SRC = PACKAGES["openai_codex"]
# the aliases public signatures use, by canonical path (module under openai_codex, name), and
# the keyword they type
ALIASES = (
    ("openai_codex._core.threads.presets", "ApprovalModeArg", "approval_mode="),
    ("openai_codex._core.threads.presets", "SandboxArg", "sandbox="),
    ("openai_codex._core.threads.option_methods", "ReasoningEffortArg", "effort="),
    ("openai_codex._core.threads.option_methods", "ReasoningSummaryArg", "summary="),
    ("openai_codex._core.threads.option_methods", "PersonalityArg", "personality="),
    ("openai_codex._core.threads.option_methods", "ThreadSourceArg", "thread_source="),
    ("openai_codex._core.threads.option_methods", "ThreadStartSourceArg", "session_start_source="),
    ("openai_codex._core.host.control", "ToolsArg", "tools="),
)
# where the enums an alias names are documented, and the file their members are read from;
# any other name is looked up among the generated enums of openai_codex_types
ENUMS = {
    "ApprovalMode": (
        "openai_codex.ApprovalMode",
        SRC / "_core" / "threads" / "presets.py",
        "ApprovalMode",
    ),
    "Sandbox": ("openai_codex.Sandbox", SRC / "_core" / "threads" / "presets.py", "Sandbox"),
    "ReasoningSummaryValue": (
        "openai_codex_types.ReasoningSummary",
        GENERATED / "_reasoning_summary.py",
        "ReasoningSummary",
    ),
    # the published model, documented nowhere else: rendered on this page
    "ReasoningSummary": ("openai_codex._core.published_models.ReasoningSummary", None, "render"),
    "Tool": ("openai_codex.tools.Tool", None, ""),
    "ToolSet": ("openai_codex.tools.ToolSet", None, ""),
}


def _enum_source(name: str) -> tuple[str, Path | None, str] | None:
    if name in ENUMS:
        return ENUMS[name]
    module = _literal_assignments(GENERATED / "_index.py")["MODULE_OF"].get(name)
    if module is None:
        return None
    return f"openai_codex_types.{name}", GENERATED / f"{module}.py", name


def _module_path(dotted: str) -> Path:
    parts = dotted.split(".")[1:]
    candidate = SRC.joinpath(*parts)
    return candidate / "__init__.py" if candidate.is_dir() else candidate.with_suffix(".py")


def _enum_members(path: Path, name: str) -> list[tuple[str, str]]:
    """``(member, value)`` of a ``str`` enum class in a source file."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            members = []
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and isinstance(stmt.targets[0], ast.Name)
                    and isinstance(stmt.value, ast.Constant)
                    and isinstance(stmt.value.value, str)
                ):
                    members.append((stmt.targets[0].id, stmt.value.value))
            return members
    raise ValueError(f"no class {name} in {path}")


def _alias(path: Path, name: str) -> tuple[ast.expr, str]:
    """The value of ``name: TypeAlias = ...`` in a source file, and its ``#:`` comment."""
    source = path.read_text()
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            comment = []
            row = node.lineno - 2
            while row >= 0 and lines[row].lstrip().startswith("#:"):
                comment.insert(0, lines[row].lstrip()[2:].strip())
                row -= 1
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                value = ast.parse(value.value, mode="eval").body  # a string annotation
            return value, " ".join(comment)
    raise ValueError(f"no alias {name} in {path}")


def argument_types_page() -> str:
    """The Markdown of the "Argument types" page (see the module docstring)."""
    out = [
        "# Argument types",
        "",
        "Some keyword arguments take an enum member or a plain string; their type in the",
        "signatures is one of the aliases below, and each lists what it accepts.",
        "",
    ]
    for module, name, keyword in ALIASES:
        value, comment = _alias(_module_path(module), name)
        strings = [
            node.value
            for node in ast.walk(value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        names = [node.id for node in ast.walk(value) if isinstance(node, ast.Name)]
        out += [f"[](){{#{module}.{name}}}", f"## `{name}`", ""]
        text = comment[:1].upper() + comment[1:] if comment else f"What ``{keyword}`` takes."
        out += [text.rstrip(".") + ".", ""]
        out += [f"`{name} = {ast.unparse(value)}`", ""]
        if strings:
            out += ["Strings accepted: " + ", ".join(f'`"{s}"`' for s in strings) + ".", ""]
        for enum in names:
            found = _enum_source(enum)
            if found is None:
                continue
            target, path, cls = found
            if path is None and cls == "render":
                out += [f"::: {target}", "    options:", "      heading_level: 3"]
                out += ["      show_root_full_path: false", ""]
                continue
            if path is None:
                out += [f"- [`{target}`][{target}]", ""]
                continue
            out += [f"[`{target.rsplit('.', 1)[-1]}`][{target}] members:", ""]
            out += ["| member | value |", "|---|---|"]
            out += [f'| `{cls}.{m}` | `"{v}"` |' for m, v in _enum_members(path, cls)]
            out += [""]
    return "\n".join(out) + "\n"


def _wrappable(name: str) -> str:
    """A dotted name that may wrap after its dots in the sidebar (a zero-width space there)."""
    return name.replace(".", ".\u200b")


def _pages() -> tuple[dict[str, str], list[Any]]:
    """src_uri -> Markdown, and the nav entries of the reference."""
    pages: dict[str, str] = {}
    nav: list[Any] = []
    for top, root in PACKAGES.items():
        section: list[Any] = []
        for name in public_modules(top, root):
            uri = f"{OUT}/{name}.md"
            pages[uri] = module_page(name)
            section.append({_wrappable(name): uri})
        if top == "openai_codex":
            uri = f"{OUT}/argument-types.md"
            pages[uri] = argument_types_page()
            section.insert(1, {"Argument types": uri})
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
