"""Which generated module each definition (and the classes it owns) lives in."""

from __future__ import annotations

import re
from typing import Any

from .naming import snake
from .spec import ClassSpec

ENVELOPES = {"ClientRequest", "ClientNotification", "ServerRequest", "ServerNotification"}


def _is_entry_point(name: str) -> bool:
    return name.endswith(("Params", "Response", "Notification")) or name in ENVELOPES


def assign_modules(classes: dict[str, ClassSpec], defs: dict[str, Any]) -> dict[str, str]:
    """definition name -> module name.

    A definition referred to by exactly one other definition lives in that definition's module
    (recursively), unless it is an entry point (a method's params, result or payload) or the
    referrer is a protocol-wide envelope union. Every other definition roots its own module, so
    first use of a model imports little more than the models it needs.
    """
    graph: dict[str, set[str]] = {name: set() for name in defs}
    for spec in classes.values():
        for expr in [f.type for f in spec.fields] + [spec.root, *spec.variants]:
            for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr):
                if token in classes and classes[token].owner != spec.owner:
                    graph[spec.owner].add(classes[token].owner)
    referrers: dict[str, set[str]] = {name: set() for name in defs}
    for src, targets in graph.items():
        if src in ENVELOPES:
            continue
        for target in targets:
            referrers[target].add(src)

    def home(name: str) -> str:
        seen = {name}
        while not _is_entry_point(name) and len(referrers[name]) == 1:
            (parent,) = referrers[name]
            if parent in seen:
                break
            seen.add(parent)
            name = parent
        return name

    return {name: "_" + snake(home(name)) for name in defs}
