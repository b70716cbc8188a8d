"""Turning schema definitions into ClassSpecs (models, enums, unions, aliases)."""

from __future__ import annotations

import json
from typing import Any

from .naming import field_name, member_name, pascal
from .shapes import all_str, common_tag, dedupe, is_inline_object, is_str_enum, mentions_class
from .spec import ClassSpec, FieldSpec

# Open string definitions the published SDK exposes as enums; the schema only says "a non-empty
# string", so the known values are listed here and any other string still parses.
ENUM_OVERLAYS: dict[str, list[str]] = {
    "ReasoningEffort": ["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"],
    "ThreadSource": ["user", "subagent", "memory_consolidation"],
}


class Builder:
    """Turns schema definitions into ClassSpecs."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.classes: dict[str, ClassSpec] = {}
        self.order: list[str] = []

    # -- public -----------------------------------------------------------------------------

    def build(self) -> dict[str, ClassSpec]:
        for name in self.defs:
            self.define(name, self.defs[name], owner=name)
        return self.classes

    # -- helpers ----------------------------------------------------------------------------

    def _unique(self, name: str, owner: str) -> str:
        candidate = name
        if candidate in self.defs and candidate != owner:
            candidate = name + "Variant"
        n = 2
        base = candidate
        while candidate in self.classes or (candidate in self.defs and candidate != owner):
            candidate = f"{base}{n}"
            n += 1
        return candidate

    def _add(self, spec: ClassSpec) -> ClassSpec:
        if spec.name in self.classes:
            raise SystemExit(f"duplicate class {spec.name}")
        self.classes[spec.name] = spec
        self.order.append(spec.name)
        return spec

    # -- definitions ------------------------------------------------------------------------

    def define(self, name: str, s: Any, owner: str) -> ClassSpec:
        doc = s.get("description") if isinstance(s, dict) else None
        if not isinstance(s, dict):
            return self._add(ClassSpec(name, "root", owner, root="Any"))
        if name in ENUM_OVERLAYS and s.get("type") == "string" and "enum" not in s:
            return self._enum(name, ENUM_OVERLAYS[name], owner, doc)
        if "oneOf" in s and s.get("properties") and common_tag(s["oneOf"]):
            return self._merged_union(name, s, owner, doc)
        if ("oneOf" in s or "anyOf" in s) and s.get("properties"):
            return self._model(name, s, owner, doc)
        if "oneOf" in s or "anyOf" in s:
            return self._union(name, s, owner, doc)
        if "enum" in s and all_str(s["enum"]):
            return self._enum(name, s["enum"], owner, doc)
        if "properties" in s or _empty_object(s):
            # an object without properties (an empty response) is a model without fields,
            # as the published SDK has it (unknown fields are still kept)
            return self._model(name, s, owner, doc)
        spec = ClassSpec(name, "root", owner, doc=doc)
        spec.root = self.type_of(s, spec, name)
        return self._add(spec)

    def _enum(self, name: str, values: list[str], owner: str, doc: str | None) -> ClassSpec:
        taken: set[str] = set()
        members = [(member_name(v, taken), v) for v in values]
        return self._add(ClassSpec(name, "enum", owner, doc=doc, members=members))

    def _model(self, name: str, s: dict[str, Any], owner: str, doc: str | None) -> ClassSpec:
        spec = self._add(ClassSpec(name, "model", owner, doc=doc))
        required = set(s.get("required", []))
        taken: set[str] = set()
        properties = dict(s.get("properties", {}))
        # an object with shared properties plus "one of these property sets" (ImageUserInput:
        # `url` or `fileId`): the alternatives' properties become optional fields
        for alt in s.get("anyOf") or s.get("oneOf") or []:
            if isinstance(alt, dict):
                for wire, ps in alt.get("properties", {}).items():
                    properties.setdefault(wire, ps)
        for wire, ps in properties.items():
            fname = field_name(wire, taken)
            ptype = self.type_of(ps, spec, pascal(wire))
            is_req = wire in required
            fs = FieldSpec(fname, wire, ptype, is_req)
            if isinstance(ps, dict):
                fs.description = ps.get("description")
                if "default" in ps and not is_req:
                    fs.default = ps["default"]
                    fs.has_default = True
                    if ps["default"] is not None and mentions_class(ptype):
                        fs.validate_default = True
            spec.fields.append(fs)
        return spec

    def _variant_name(self, union: str, v: dict[str, Any], tag_value: str | None) -> str:
        title = v.get("title")
        if title:
            name = pascal(title)
            if union == "ServerNotification" and name.endswith("Notification"):
                # the published SDK's names: ErrorServerNotification, TurnCompletedServerNotification
                name = name[: -len("Notification")] + union
            if name in self.defs and name != union:
                # e.g. ServerNotification's "ErrorNotification" member vs the payload definition
                for suffix in ("Notification", "Request", "Response"):
                    if name.endswith(suffix) and union.endswith(suffix):
                        name = name[: -len(suffix)] + union
                        break
                else:
                    name = name + union
            return self._unique(name, union)
        if tag_value is not None:
            return self._unique(pascal(tag_value) + union, union)
        return self._unique(union + "Variant", union)

    def _union(self, name: str, s: dict[str, Any], owner: str, doc: str | None) -> ClassSpec:
        arms: list[Any] = s.get("oneOf") or s.get("anyOf") or []
        nonnull = [a for a in arms if a != {"type": "null"}]
        nullable = len(nonnull) != len(arms)
        str_enums = [a for a in nonnull if is_str_enum(a)]
        objects = [a for a in nonnull if is_inline_object(a)]
        others = [a for a in nonnull if a not in str_enums and a not in objects]
        # all plain string values: one open enum
        if str_enums and not objects and not others:
            values = [v for a in str_enums for v in a["enum"]]
            return self._enum(name, values, owner, doc)
        if not objects:
            # unions of references and primitives: a plain (smart) union
            spec = self._add(ClassSpec(name, "root", owner, doc=doc))
            parts = [self.type_of(a, spec, name) for a in nonnull]
            spec.root = " | ".join(dedupe(parts + (["None"] if nullable else [])))
            return spec
        # a union with object members: tagged (internally or externally) + fallback
        spec = self._add(ClassSpec(name, "union", owner, doc=doc))
        tag_field = common_tag(objects)
        spec.tag_field = tag_field
        if str_enums:
            values = [v for a in str_enums for v in a["enum"]]
            value_name = self._unique(name + "Value", owner)
            self._enum(value_name, values, owner, None).value_of = name
            spec.value_tag = value_name
            spec.variants.append(value_name)
            spec.deps.add(value_name)
        for arm in objects:
            tag_value = arm["properties"][tag_field]["enum"][0] if tag_field else None
            vname = self._variant_name(name, arm, tag_value)
            self._model(vname, arm, owner, arm.get("description"))
            spec.variants.append(vname)
            if tag_field:
                assert tag_value is not None
                spec.by_value[tag_value] = vname
            else:
                keys = arm.get("required") or list(arm.get("properties", {}))
                if len(keys) == 1 and keys[0] not in spec.by_key:
                    spec.by_key[keys[0]] = vname
                else:
                    spec.smart = True  # no tag: pydantic's smart union picks the best match
        for arm in others:
            if arm.get("type") == ["string", "object"]:
                continue  # a catch-all member: the fallback and the open enum cover it
            raise SystemExit(f"{name}: unsupported union member {json.dumps(arm)[:200]}")
        fallback = self._unique("Unknown" + name, owner)
        unknown = ClassSpec(fallback, "unknown", owner, doc=f"A {name} this version does not know.")
        if tag_field and spec.variants:
            # the tag's attribute name, for the type checkers' view of the unknown member
            tags = [f.name for f in self.classes[spec.by_value[next(iter(spec.by_value))]].fields]
            wires = [f.wire for f in self.classes[spec.by_value[next(iter(spec.by_value))]].fields]
            unknown.tag_field = tags[wires.index(tag_field)]
        self._add(unknown)
        spec.fallback = fallback
        if nullable:
            spec.extra_arms.append("None")
        return spec

    def _merged_union(self, name: str, s: dict[str, Any], owner: str, doc: str | None) -> ClassSpec:
        base_props = s.get("properties", {})
        base_req = list(s.get("required", []))
        arms = []
        for arm in s["oneOf"]:
            merged = dict(arm)
            merged["properties"] = {**base_props, **arm.get("properties", {})}
            merged["required"] = sorted(set(base_req) | set(arm.get("required", [])))
            merged.setdefault("type", "object")
            arms.append(merged)
        return self._union(name, {"oneOf": arms}, owner, doc)

    # -- types ------------------------------------------------------------------------------

    def type_of(self, s: Any, ctx: ClassSpec, hint: str) -> str:
        if s is True or s == {} or s is None:
            return "Any"
        if not isinstance(s, dict):
            return "Any"
        if "$ref" in s:
            ctx.deps.add(s["$ref"])
            return str(s["$ref"])
        if "allOf" in s:
            parts = s["allOf"]
            if len(parts) == 1:
                return self.type_of(parts[0], ctx, hint)
            raise SystemExit(f"allOf with {len(parts)} parts in {ctx.name}")
        if "oneOf" in s or "anyOf" in s:
            arms: list[Any] = s.get("oneOf") or s.get("anyOf") or []
            nonnull = [a for a in arms if a != {"type": "null"}]
            nullable = len(nonnull) != len(arms)
            simple = all(
                isinstance(a, dict)
                and ("$ref" in a or (a.get("type") not in ("object", None) and "enum" not in a))
                for a in nonnull
            )
            if simple:
                parts = [self.type_of(a, ctx, hint) for a in nonnull]
            else:
                inner = self._inline_name(ctx, hint, s)
                self.define(inner, {k: v for k, v in s.items() if k != "description"}, ctx.owner)
                ctx.deps.add(inner)
                parts = [inner]
            return " | ".join(dedupe(parts + (["None"] if nullable else [])))
        if "enum" in s:
            values = s["enum"]
            if not all_str(values):
                return "Any"
            if len(values) == 1:
                return f"Literal[{json.dumps(values[0])}]"
            inner = self._inline_name(ctx, hint, s)
            self._enum(inner, values, ctx.owner, s.get("description"))
            ctx.deps.add(inner)
            return inner
        t = s.get("type")
        if isinstance(t, list):
            parts = [self.type_of({**s, "type": one}, ctx, hint) for one in t]
            return " | ".join(dedupe(parts))
        if t == "string":
            return "str"
        if t == "integer":
            return "int"
        if t == "number":
            return "float"
        if t == "boolean":
            return "bool"
        if t == "null":
            return "None"
        if t == "array":
            items = s.get("items")
            if isinstance(items, list):
                return "list[Any]"
            singular = hint[:-1] if hint.endswith("s") and len(hint) > 1 else hint + "Item"
            return f"list[{self.type_of(items, ctx, singular)}]"
        if t == "object" or "properties" in s:
            if s.get("properties"):
                inner = self._inline_name(ctx, hint, s)
                self._model(inner, s, ctx.owner, s.get("description"))
                ctx.deps.add(inner)
                return inner
            ap = s.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                return f"dict[str, {self.type_of(ap, ctx, hint + 'Value')}]"
            return "dict[str, Any]"
        return "Any"

    def _inline_name(self, ctx: ClassSpec, hint: str, s: dict[str, Any]) -> str:
        for candidate in (s.get("title"), hint):
            if (
                candidate
                and pascal(candidate) not in self.classes
                and pascal(candidate) not in self.defs
            ):
                return pascal(candidate)
        return self._unique(ctx.name + hint, ctx.owner)


def _empty_object(s: dict[str, Any]) -> bool:
    """``{"type": "object"}`` with neither properties nor a schema for extra keys."""
    extra = s.get("additionalProperties")
    return s.get("type") == "object" and not (isinstance(extra, dict) and extra)
