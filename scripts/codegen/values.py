"""What a field holds: the concrete variant of a union, and which aliases behave as strings.

Every union wrapper ``X`` (a tagged or smart union, or an alias of a few model references)
gets a type alias ``AnyX``: the annotated union of its variants. Fields of other models use
the alias, so a validated value hands out the variant itself (``event.payload.item`` is an
``AgentMessageThreadItem``), while ``X.model_validate(data)`` still returns the wrapper.
"""

from __future__ import annotations

import re

from .spec import ClassSpec

#: string aliases that name a file-system path (``CodexPath``: ``os.PathLike`` as well)
PATH_ALIASES = frozenset({"AbsolutePathBuf", "LegacyAppPathString"})

_TOKEN = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def alias_name(union: str) -> str:
    return "Any" + union


def is_reference_union(spec: ClassSpec, classes: dict[str, ClassSpec]) -> bool:
    """An alias whose value is one of a few models (``A | B | None``)."""
    if spec.kind != "root":
        return False
    parts = [p.strip() for p in spec.root.split(" | ")]
    models = [p for p in parts if p in classes and classes[p].kind != "enum"]
    return len(models) >= 1 and len(parts) >= 2 and all(p in models or p == "None" for p in parts)


def union_names(classes: dict[str, ClassSpec]) -> set[str]:
    """Every class that gets an ``Any<Name>`` alias."""
    names = {n for n, s in classes.items() if s.kind == "union"}
    names |= {n for n, s in classes.items() if is_reference_union(s, classes)}
    for n in names:
        if alias_name(n) in classes:
            raise SystemExit(f"the alias {alias_name(n)} of {n} collides with a schema name")
    return names


def unwrap_unions(expr: str, unions: set[str]) -> str:
    """A field's type with every union wrapper replaced by its variants' alias."""
    return _TOKEN.sub(lambda m: alias_name(m[0]) if m[0] in unions else m[0], expr)


def alias_expr(spec: ClassSpec, unions: set[str]) -> str:
    """The right-hand side of ``AnyX: TypeAlias = ...`` (the wrapper's ``root`` annotation)."""
    if spec.kind == "root":
        return unwrap_unions(spec.root, unions)
    return ""  # tagged and smart unions: emit_unions renders it


def base_of_alias(spec: ClassSpec) -> str | None:
    """``CodexPath`` / ``CodexStr`` for string aliases, else None."""
    if spec.kind != "root" or spec.root != "str":
        return None
    return "CodexPath" if spec.name in PATH_ALIASES else "CodexStr"


def variant_names(classes: dict[str, ClassSpec], unions: set[str]) -> set[str]:
    """Models that are a member of some union (they get ``CodexVariant``'s ``.root``)."""
    out: set[str] = set()
    for name in unions:
        spec = classes[name]
        arms = spec.variants if spec.kind == "union" else spec.root.split(" | ")
        for arm in (a.strip() for a in arms):
            target = classes.get(arm)
            has_root = target is not None and any(f.name == "root" for f in target.fields)
            if target is not None and target.kind == "model" and not has_root:
                out.add(arm)
    return out
