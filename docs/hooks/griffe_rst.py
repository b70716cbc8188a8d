"""Griffe extension for the site: reST roles in docstrings render as code.

The packages' docstrings use a few reST roles (``:class:`X```, ``:func:`f```,
``:meth:`C.m```, ``:exc:``, ``:attr:``, ``:data:``, ``:mod:``, with ``~`` for the short name),
which Markdown would show literally. They become code spans with the name they show
(`` `X` ``). Double-backtick literals are already code spans in Markdown.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|exc|attr|data|mod|obj|const):`(~?)([^`]+)`")


def _shown(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    name = target.rsplit(".", 1)[-1] if short else target
    return f"`{name}`"


def convert(text: str) -> str:
    """``text`` with its reST roles turned into Markdown code spans."""
    return ROLE.sub(_shown, text)


class RstRolesAsCode(griffe.Extension):
    """Rewrite every loaded object's docstring (see the module docstring)."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        docstring = getattr(obj, "docstring", None)
        if docstring is not None and ":" in docstring.value:
            docstring.value = convert(docstring.value)
