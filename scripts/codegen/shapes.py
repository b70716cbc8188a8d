"""Predicates on schema nodes and helpers for type expressions, used by the builder."""

from __future__ import annotations

import re
from typing import Any


def all_str(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def is_str_enum(a: Any) -> bool:
    return isinstance(a, dict) and a.get("type") == "string" and "enum" in a and all_str(a["enum"])


def is_inline_object(a: Any) -> bool:
    return isinstance(a, dict) and a.get("type") == "object" and "properties" in a


def common_tag(objects: list[dict[str, Any]]) -> str | None:
    """The property every member requires with one distinct constant value, if any."""
    candidates: set[str] | None = None
    for arm in objects:
        props = arm.get("properties", {})
        consts = {
            key
            for key, ps in props.items()
            if isinstance(ps, dict)
            and isinstance(ps.get("enum"), list)
            and len(ps["enum"]) == 1
            and key in arm.get("required", [])
        }
        candidates = consts if candidates is None else candidates & consts
    if not candidates:
        return None
    for key in sorted(candidates):
        values = [arm["properties"][key]["enum"][0] for arm in objects]
        if len(set(values)) == len(values):
            return key
    return None


def mentions_class(type_expr: str) -> bool:
    bare = re.sub(r"Literal\[[^\]]*\]", "", type_expr)
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", bare))
    return bool(names - {"str", "int", "float", "bool", "None", "Any", "list", "dict"})


def dedupe(parts: list[str]) -> list[str]:
    seen: list[str] = []
    for p in parts:
        for piece in p.split(" | "):
            if piece not in seen:
                seen.append(piece)
    if "None" in seen:
        seen.remove("None")
        seen.append("None")
    return seen
