"""Griffe extension for the site: docstrings and signatures as a reader should see them.

- reST roles (``:class:`X```, ``:func:`f```, ``:meth:`C.m```, ``:exc:``, ``:attr:``,
  ``:data:``, ``:mod:``, with ``~`` for the short name), which Markdown would show literally,
  become code spans with the name they show (`` `X` ``). Double-backtick literals are already
  code spans in Markdown.
- reST literal blocks (a paragraph ending in ``::`` and an indented block after it) become
  fenced Python code blocks; the ``::`` becomes ``:`` (a lone ``::`` disappears).
- The option table's "Arguments:" list (``- ``name``: what it does``, written by
  ``openai_codex._core.threads.options``; "Keyword arguments:" in older docstrings) becomes a
  Google ``Args:`` section, so each method shows a
  parameters table (name, type, description, default) whose types and defaults come from the
  signature.
- Parameters whose name starts with ``_`` (the client a ``Thread`` is built with, ...) are
  dropped from signatures: users never pass them.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from griffe import Extension
except ImportError:  # the functions below are tested where griffe is not installed
    Extension = object  # type: ignore[assignment,misc]

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|exc|attr|data|mod|obj|const):`(~?)([^`]+)`")
OPTION = re.compile(r"^- ``(\w+)``: (.*)$")


def _shown(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    name = target.rsplit(".", 1)[-1] if short else target
    return f"`{name}`"


def convert(text: str) -> str:
    """``text`` with its reST roles turned into Markdown code spans."""
    return ROLE.sub(_shown, text)


def literal_blocks(text: str) -> str:
    """``text`` with its reST ``::`` literal blocks turned into fenced code blocks."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip()
        if not stripped.endswith("::"):
            out.append(line)
            i += 1
            continue
        # the block: blank lines, then lines indented deeper than the marker's line
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        marker_indent = len(line) - len(line.lstrip())
        block_indent = len(lines[j]) - len(lines[j].lstrip()) if j < len(lines) else 0
        if j >= len(lines) or block_indent <= marker_indent:
            out.append(line)
            i += 1
            continue
        end = j
        block: list[str] = []
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) >= block_indent
        ):
            block.append(lines[end][block_indent:])
            end += 1
        while block and not block[-1].strip():
            block.pop()
        lead = stripped[:-2].rstrip()
        pad = " " * marker_indent
        if lead.strip():
            out.append(lead + ":")
            out.append("")
        out += [f"{pad}```python", *(f"{pad}{b}" if b else "" for b in block), f"{pad}```", ""]
        i = end
    return "\n".join(out)


def option_table(text: str, parameters: set[str]) -> str:
    """The "Arguments:" list as a Google ``Args:`` section (names in the signature)."""
    for head in ("\nArguments:\n\n", "Keyword arguments:\n\n"):
        start = text.find(head)
        if start >= 0:
            break
    else:
        return text
    if head.startswith("\n"):
        start += 1
        head = head[1:]
    rows: list[str] = []
    rest: list[str] = []
    body = text[start + len(head) :].split("\n")
    taken = 0
    for line in body:
        found = OPTION.match(line.strip())
        if found is None:
            break
        taken += 1
        name, description = found.groups()
        if name in parameters:
            rows.append(f"    {name}: {description}")
        else:
            rest.append(line)
    if not rows:
        return text
    tail = "\n".join(body[taken:])
    section = "Args:\n" + "\n".join(rows)
    if rest:
        section = "Other keyword arguments:\n\n" + "\n".join(rest) + "\n\n" + section
    return text[:start] + section + ("\n" + tail if tail.strip() else "")


class RstRolesAsCode(Extension):
    """Rewrite every loaded object's docstring and signature (see the module docstring)."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        parameters = getattr(obj, "parameters", None)
        if parameters is not None and getattr(obj, "is_function", False):
            for name in [p.name for p in parameters if p.name.startswith("_")]:
                del parameters[name]
        docstring = getattr(obj, "docstring", None)
        if docstring is None:
            return
        value = docstring.value
        if ":" in value:
            value = convert(value)
        if "::" in value:
            value = literal_blocks(value)
        if parameters is not None and "rguments:\n\n- ``" in value:
            value = option_table(value, {p.name for p in parameters})
        docstring.value = value
