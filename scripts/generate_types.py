#!/usr/bin/env python3
"""Generate openai_codex_types from the pinned Codex runtime's JSON schema.

    python scripts/generate_types.py            # (re)write the generated package
    python scripts/generate_types.py --check    # exit 1, naming stale files, if anything differs

The runtime pin lives once, in packages/openai-codex/pyproject.toml (`openai-codex-cli-bin==X`).
This script finds the installed runtime (`codex_cli_bin`, or `--codex PATH`), checks that
`codex --version` matches the pin, runs `codex app-server generate-json-schema` twice (stable and
`--experimental`), and writes pydantic v2 models plus the method registries into
packages/openai-codex-types/src/openai_codex_types/_generated/.

Output is deterministic: the same runtime gives byte-identical files.

Shape of the output:
- every schema definition becomes a class named like the definition (objects: ``CodexModel``
  subclasses; string enums: ``OpenEnum`` subclasses; unions and aliases: ``CodexRootModel``
  subclasses whose ``root`` holds the value); union members without a definition of their own
  are named by their schema title (``AgentMessageThreadItem``);
- tagged unions get a callable discriminator and a fallback member ``Unknown<Union>`` that keeps
  the raw data of a member this version does not know;
- fields are snake_case with the camelCase wire name as alias;
- what only the ``--experimental`` schema has (definitions, fields, union members, methods) is
  included and marked experimental (``json_schema_extra={"experimental": True}`` and the
  ``EXPERIMENTAL_*`` tables in ``_registry``);
- the classes are spread over many small modules, found through a generated name -> module
  index, so importing the package builds nothing and first use imports only what it needs.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACADE_PYPROJECT = ROOT / "packages" / "openai-codex" / "pyproject.toml"
PACKAGE_DIR = ROOT / "packages" / "openai-codex-types" / "src" / "openai_codex_types"
OUT_DIR = PACKAGE_DIR / "_generated"
SCRIPT_NAME = "scripts/generate_types.py"
RUNTIME_DIST = "openai-codex-cli-bin"
RUFF_VERSION = "0.14.6"  # the formatter of the generated code; keep in step with noxfile.py

# Client request methods whose result definition does not follow a naming rule the script can
# derive (checked against codex-rs/app-server-protocol/src/protocol/common.rs).
RESULT_OVERRIDES: dict[str, str] = {
    "config/mcpServer/reload": "McpServerRefreshResponse",
    "config/value/write": "ConfigWriteResponse",
    "config/batchWrite": "ConfigWriteResponse",
    "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
    "account/logout": "LogoutAccountResponse",
    "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
}

# Open string definitions the published SDK exposes as enums; the schema only says "a non-empty
# string", so the known values are listed here and any other string still parses.
ENUM_OVERLAYS: dict[str, list[str]] = {
    "ReasoningEffort": ["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"],
    "ThreadSource": ["user", "subagent", "memory_consolidation"],
}

# The pydantic BaseModel attributes a field must not shadow.
RESERVED_FIELD_NAMES = {
    "copy",
    "dict",
    "json",
    "schema",
    "schema_json",
    "construct",
    "validate",
    "fields",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "from_orm",
    "update_forward_refs",
    "model_config",
    "model_fields",
    "model_extra",
    "model_computed_fields",
    "model_fields_set",
    "model_post_init",
    "model_dump",
    "model_dump_json",
    "model_validate",
    "model_validate_json",
    "model_copy",
    "model_construct",
    "model_json_schema",
    "model_rebuild",
    "raw",
    "known",
}
RESERVED_MEMBER_NAMES = {"mro", "name", "value", "known"}
STR_ATTRS = set(dir(str))


# --------------------------------------------------------------------------------------------
# Finding the runtime and its schema
# --------------------------------------------------------------------------------------------


def runtime_pin() -> str:
    """The pinned runtime version, read from the facade's pyproject."""
    text = FACADE_PYPROJECT.read_text(encoding="utf-8")
    pins = re.findall(r'"openai-codex-cli-bin==([^"\s;]+)"', text)
    if len(pins) != 1:
        raise SystemExit(f"expected exactly one {RUNTIME_DIST}==X pin in {FACADE_PYPROJECT}")
    return str(pins[0])


def find_codex(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        import codex_cli_bin  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError as exc:
        raise SystemExit(
            f"{RUNTIME_DIST} is not installed; run `nox -s generate` or install the pin "
            f"({RUNTIME_DIST}=={runtime_pin()})"
        ) from exc
    return str(codex_cli_bin.bundled_codex_path())


def runtime_version(codex: str) -> str:
    out = subprocess.run(
        [codex, "--version"], check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()
    match = re.search(r"(\d+\.\d+\.\d+\S*)", out)
    if not match:
        raise SystemExit(f"cannot read a version from `{codex} --version`: {out!r}")
    return match.group(1)


def dump_schema(codex: str, out: Path, experimental: bool) -> None:
    argv = [codex, "app-server", "generate-json-schema", "--out", str(out)]
    if experimental:
        argv.append("--experimental")
    env = dict(os.environ)
    env["CODEX_HOME"] = str(out.parent / "codex-home")  # never read the user's config
    Path(env["CODEX_HOME"]).mkdir(exist_ok=True)
    subprocess.run(argv, check=True, capture_output=True, env=env, timeout=120)


def load_definitions(schema_dir: Path) -> dict[str, Any]:
    """All definitions: the top-level bundle's plus the v2 bundle's, refs reduced to names."""
    top = json.loads((schema_dir / "codex_app_server_protocol.schemas.json").read_text())
    v2 = json.loads((schema_dir / "codex_app_server_protocol.v2.schemas.json").read_text())
    defs: dict[str, Any] = {}
    for name, body in top["definitions"].items():
        if name != "v2":
            defs[name] = body
    for name, body in v2["definitions"].items():
        if name in defs and _untitled(defs[name]) != _untitled(body):
            raise SystemExit(f"definition {name} differs between the schema bundles")
        defs[name] = body
    return {name: _strip(body) for name, body in sorted(defs.items())}


def _untitled(node: Any) -> Any:
    return {k: v for k, v in _strip(node).items() if k != "title"}


def _strip(node: Any) -> Any:
    """Drop `$schema`, and turn every `$ref` into the bare definition name."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$schema":
                continue
            if key == "$ref":
                out[key] = value.rsplit("/", 1)[-1]
            elif key == "properties":
                out[key] = {k: _strip(v) for k, v in value.items()}
            else:
                out[key] = _strip(value)
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


# --------------------------------------------------------------------------------------------
# Naming
# --------------------------------------------------------------------------------------------


def pascal(text: str) -> str:
    text = re.sub(r"v\d+::", "", text)  # "ApiKeyv2::LoginAccountParams" -> ApiKeyLoginAccountParams
    parts = re.split(r"[^0-9A-Za-z]+", text)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not out or out[0].isdigit():
        out = "N" + out
    return out


def snake(text: str) -> str:
    s = re.sub(r"[^0-9A-Za-z]+", "_", text)
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", s)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", s)
    return s.strip("_").lower()


def field_name(wire: str, taken: set[str]) -> str:
    name = snake(wire)
    if wire.startswith("_"):
        name = "field_" + name
    if not name:
        name = "field"
    if name[0].isdigit():
        name = "field_" + name
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def member_name(value: str, taken: set[str]) -> str:
    name = snake(value)
    if not name:
        name = "empty"
    if name[0].isdigit():
        name = "value_" + name
    if keyword.iskeyword(name) or name in RESERVED_MEMBER_NAMES:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


# --------------------------------------------------------------------------------------------
# Intermediate representation
# --------------------------------------------------------------------------------------------


@dataclass
class FieldSpec:
    name: str
    wire: str
    type: str
    required: bool
    default: Any = None
    has_default: bool = False
    description: str | None = None
    experimental: bool = False
    validate_default: bool = False


@dataclass
class ClassSpec:
    name: str
    kind: str  # "model" | "enum" | "root" | "union" | "unknown"
    owner: str  # the definition this class belongs to (itself for definitions)
    doc: str | None = None
    fields: list[FieldSpec] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)
    root: str = ""
    # unions
    variants: list[str] = field(default_factory=list)
    tag_field: str | None = None
    by_value: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    value_tag: str | None = None
    fallback: str | None = None
    extra_arms: list[str] = field(default_factory=list)
    smart: bool = False
    deps: set[str] = field(default_factory=set)
    experimental: bool = False


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
        if "oneOf" in s and s.get("properties") and _common_tag(s["oneOf"]):
            return self._merged_union(name, s, owner, doc)
        if ("oneOf" in s or "anyOf" in s) and s.get("properties"):
            return self._model(name, s, owner, doc)
        if "oneOf" in s or "anyOf" in s:
            return self._union(name, s, owner, doc)
        if "enum" in s and _all_str(s["enum"]):
            return self._enum(name, s["enum"], owner, doc)
        if "properties" in s:
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
                    if ps["default"] is not None and _mentions_class(ptype):
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
        str_enums = [a for a in nonnull if _is_str_enum(a)]
        objects = [a for a in nonnull if _is_inline_object(a)]
        others = [a for a in nonnull if a not in str_enums and a not in objects]
        # all plain string values: one open enum
        if str_enums and not objects and not others:
            values = [v for a in str_enums for v in a["enum"]]
            return self._enum(name, values, owner, doc)
        if not objects:
            # unions of references and primitives: a plain (smart) union
            spec = self._add(ClassSpec(name, "root", owner, doc=doc))
            parts = [self.type_of(a, spec, name) for a in nonnull]
            spec.root = " | ".join(_dedupe(parts + (["None"] if nullable else [])))
            return spec
        # a union with object members: tagged (internally or externally) + fallback
        spec = self._add(ClassSpec(name, "union", owner, doc=doc))
        tag_field = _common_tag(objects)
        spec.tag_field = tag_field
        if str_enums:
            values = [v for a in str_enums for v in a["enum"]]
            value_name = self._unique(name + "Value", owner)
            self._enum(value_name, values, owner, None)
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
        self._add(
            ClassSpec(fallback, "unknown", owner, doc=f"A {name} this version does not know.")
        )
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
            return " | ".join(_dedupe(parts + (["None"] if nullable else [])))
        if "enum" in s:
            values = s["enum"]
            if not _all_str(values):
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
            return " | ".join(_dedupe(parts))
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


def _all_str(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def _is_str_enum(a: Any) -> bool:
    return isinstance(a, dict) and a.get("type") == "string" and "enum" in a and _all_str(a["enum"])


def _is_inline_object(a: Any) -> bool:
    return isinstance(a, dict) and a.get("type") == "object" and "properties" in a


def _common_tag(objects: list[dict[str, Any]]) -> str | None:
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


def _mentions_class(type_expr: str) -> bool:
    bare = re.sub(r"Literal\[[^\]]*\]", "", type_expr)
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", bare))
    return bool(names - {"str", "int", "float", "bool", "None", "Any", "list", "dict"})


def _dedupe(parts: list[str]) -> list[str]:
    seen: list[str] = []
    for p in parts:
        for piece in p.split(" | "):
            if piece not in seen:
                seen.append(piece)
    if "None" in seen:
        seen.remove("None")
        seen.append("None")
    return seen


# --------------------------------------------------------------------------------------------
# Registries
# --------------------------------------------------------------------------------------------


@dataclass
class Registry:
    client_requests: dict[str, tuple[str | None, str]]
    client_notifications: dict[str, str | None]
    server_notifications: dict[str, str]
    server_requests: dict[str, tuple[str, str]]


def _method_arms(defs: dict[str, Any], root: str) -> list[tuple[str, Any]]:
    out = []
    for arm in defs[root]["oneOf"]:
        method = arm["properties"]["method"]["enum"][0]
        out.append((method, arm["properties"].get("params")))
    return out


def _params_name(params: Any) -> str | None:
    if params is None or params == {"type": "null"}:
        return None
    if "$ref" in params:
        return str(params["$ref"])
    arms = params.get("anyOf") or params.get("oneOf") or []
    refs = [a["$ref"] for a in arms if isinstance(a, dict) and "$ref" in a]
    if len(refs) == 1:
        return str(refs[0])
    raise SystemExit(f"cannot read a params type from {params}")


def _result_candidates(method: str, params: str | None) -> list[str]:
    out = []
    if params and params.endswith("Params"):
        out.append(params[: -len("Params")] + "Response")
    segs = [pascal(s) for s in method.split("/")]
    out.append("".join(segs) + "Response")
    if len(segs) >= 2:
        out.append("".join(segs[1:]) + "Response")
        out.append(segs[-1] + "".join(segs[:-1]) + "Response")
        out.append("Get" + "".join(segs[:-1]) + "Response")
    return out


def build_registry(defs: dict[str, Any]) -> Registry:
    client_requests: dict[str, tuple[str | None, str]] = {}
    missing = []
    for method, params in _method_arms(defs, "ClientRequest"):
        pname = _params_name(params)
        result = RESULT_OVERRIDES.get(method)
        if result is None:
            result = next((c for c in _result_candidates(method, pname) if c in defs), None)
        if result is None or result not in defs:
            missing.append(method)
            continue
        client_requests[method] = (pname, result)
    if missing:
        raise SystemExit(
            "no result definition found for client request(s) "
            + ", ".join(missing)
            + f"; add them to RESULT_OVERRIDES in {SCRIPT_NAME}"
        )
    client_notifications = {m: _params_name(p) for m, p in _method_arms(defs, "ClientNotification")}
    server_notifications = {}
    for method, params in _method_arms(defs, "ServerNotification"):
        pname = _params_name(params)
        if pname is None:
            raise SystemExit(f"server notification {method} has no payload type")
        server_notifications[method] = pname
    server_requests = {}
    for method, params in _method_arms(defs, "ServerRequest"):
        pname = _params_name(params)
        if pname is None or not pname.endswith("Params"):
            raise SystemExit(f"server request {method} has unexpected params {params}")
        response = pname[: -len("Params")] + "Response"
        if response not in defs:
            raise SystemExit(f"server request {method}: no {response} definition")
        server_requests[method] = (pname, response)
    return Registry(client_requests, client_notifications, server_notifications, server_requests)


# --------------------------------------------------------------------------------------------
# Module layout
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Emitting
# --------------------------------------------------------------------------------------------


def header(version: str, what: str) -> str:
    return (
        f"# Generated by {SCRIPT_NAME} from the schema of Codex runtime {version}"
        f" ({RUNTIME_DIST}=={version}).\n"
        "# DO NOT EDIT: run `nox -s generate` (or `python scripts/generate_types.py`) instead.\n"
        f'"""{what}"""\n\n'
    )


def py_literal(value: Any) -> str:
    return repr(value)


def _doc(text: str | None, indent: str) -> str:
    if not text:
        return ""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = [line.rstrip() for line in text.splitlines()]
    if len(lines) == 1:
        end = " " if lines[0].endswith('"') else ""
        return f'{indent}"""{lines[0]}{end}"""\n\n'
    # continuation lines carry the docstring's indentation, as ruff format writes them
    body = "\n".join([lines[0]] + [f"{indent}{line}" if line else "" for line in lines[1:]])
    return f'{indent}"""{body}\n{indent}"""\n\n'


def emit_class(spec: ClassSpec) -> str:
    out: list[str] = []
    if spec.kind == "enum":
        out.append(f"class {spec.name}(OpenEnum):\n")
        out.append(_doc(spec.doc, "    ") or "")
        if spec.experimental:
            out.append("    __experimental__: ClassVar[bool] = True\n")
        for mname, value in spec.members:
            # a member may shadow a str method (``replace``): fine at run time
            ignore = "  # type: ignore[assignment]" if mname in STR_ATTRS else ""
            out.append(f"    {mname} = {json.dumps(value)}{ignore}\n")
        return "".join(out)
    if spec.kind == "unknown":
        out.append(f"class {spec.name}(UnknownVariant):\n")
        out.append(f'    """{spec.doc}"""\n')
        return "".join(out)
    if spec.kind == "model":
        out.append(f"class {spec.name}(CodexModel):\n")
        out.append(_doc(spec.doc, "    "))
        if spec.experimental:
            out.append("    __experimental__: ClassVar[bool] = True\n")
        if not spec.fields and not spec.doc and not spec.experimental:
            out.append("    pass\n")
        for f in spec.fields:
            out.append(emit_field(f))
        return "".join(out)
    if spec.kind == "root":
        out.append(f"class {spec.name}(CodexRootModel):\n")
        out.append(_doc(spec.doc, "    "))
        if spec.experimental:
            out.append("    __experimental__: ClassVar[bool] = True\n")
        out.append(f"    root: {spec.root}\n")
        return "".join(out)
    if spec.smart:
        out.append(f"class {spec.name}(CodexRootModel):\n")
        out.append(_doc(spec.doc, "    "))
        if spec.experimental:
            out.append("    __experimental__: ClassVar[bool] = True\n")
        arms = [*spec.variants, spec.fallback or "Any", *spec.extra_arms]
        out.append(f"    root: {' | '.join(arms)}\n")
        return "".join(out)
    # union
    disc = f"_{spec.name}_discriminator"
    by_value = (
        "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in spec.by_value.items()) + "}"
    )
    by_key = (
        "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in spec.by_key.items()) + "}"
    )
    variants = sorted(set(spec.variants) | {spec.fallback or ""})
    out.append(
        f"{disc} = union_discriminator(\n"
        f"    field={json.dumps(spec.tag_field) if spec.tag_field else None},\n"
        f"    by_value={by_value},\n"
        f"    by_key={by_key},\n"
        f"    value_tag={json.dumps(spec.value_tag) if spec.value_tag else None},\n"
        f"    variants=frozenset({json.dumps(variants)}),\n"
        f"    fallback={json.dumps(spec.fallback)},\n"
        ")\n\n\n"
    )
    out.append(f"class {spec.name}(CodexRootModel):\n")
    out.append(_doc(spec.doc, "    "))
    if spec.experimental:
        out.append("    __experimental__: ClassVar[bool] = True\n")
    arms = [f"        Annotated[{v}, Tag({json.dumps(v)})],\n" for v in spec.variants]
    arms.append(f"        Annotated[{spec.fallback}, Tag({json.dumps(spec.fallback)})],\n")
    union = "Union[\n" + "".join(arms) + "    ]"
    root = f"Annotated[\n    {union},\n    Discriminator({disc}),\n]"
    root = root.replace("\n", "\n    ")
    if spec.extra_arms:
        root = f"Optional[{root}]"
    out.append(f"    root: {root}\n")
    return "".join(out)


def emit_field(f: FieldSpec) -> str:
    ftype = f.type
    if not f.required and "None" not in ftype.split(" | "):
        ftype += " | None"
    args = []
    if f.wire != f.name:
        args.append(f"alias={json.dumps(f.wire)}")
    description = f.description
    if f.experimental:
        description = "[EXPERIMENTAL] " + (description or "")
        args.append('json_schema_extra={"experimental": True}')
    if description:
        args.append(f"description={json.dumps(description.strip())}")
    if f.validate_default:
        args.append("validate_default=True")
    default = ""
    if not f.required:
        default = f" = {py_literal(f.default) if f.has_default else 'None'}"
    if f.validate_default:
        # a wire default of an enum or model type: pydantic validates it into that type
        return f"    {f.name}: {ftype} = Field({py_literal(f.default)}, {', '.join(args)})\n"
    if args:
        return f"    {f.name}: Annotated[{ftype}, Field({', '.join(args)})]{default}\n"
    return f"    {f.name}: {ftype}{default}\n"


def emit_module(
    mod: str, specs: list[ClassSpec], module_of_class: dict[str, str], version: str
) -> str:
    names = {s.name for s in specs}
    text = "".join(emit_class(s) + "\n\n" for s in specs)
    used = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", text))
    referenced: set[str] = set()
    for s in specs:
        exprs = [f.type for f in s.fields] + [s.root, *s.variants, s.fallback or ""]
        for expr in exprs:
            referenced.update(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", expr))
    foreign = sorted(
        n
        for n in referenced
        if n in module_of_class and n not in names and module_of_class[n] != mod
    )
    typing_names = [
        n for n in ("Annotated", "Any", "ClassVar", "Literal", "Optional", "Union") if n in used
    ]
    base_names = [
        n
        for n in (
            "CodexModel",
            "CodexRootModel",
            "OpenEnum",
            "UnknownVariant",
            "union_discriminator",
        )
        if n in used
    ]
    pyd_names = [n for n in ("Discriminator", "Field", "Tag") if n in used]
    lines = [
        header(version, f"Generated protocol models ({mod[1:]})."),
        "from __future__ import annotations\n\n",
    ]
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}\n\n")
    if pyd_names:
        lines.append(f"from pydantic import {', '.join(pyd_names)}\n\n")
    lines.append(f"from .._base import {', '.join(base_names)}\n\n")
    lines.append(f"__all__ = {json.dumps(sorted(names))}\n\n\n")
    lines.append(text.rstrip("\n") + "\n")
    if foreign:
        by_mod: dict[str, list[str]] = defaultdict(list)
        for n in foreign:
            by_mod[module_of_class[n]].append(n)
        lines.append(
            "\n\n# Imported last so that modules referring to each other load in any order;\n"
            "# the names are only needed when a model is first built.\n"
        )
        for m in sorted(by_mod):
            lines.append(f"from .{m} import (  # noqa: E402\n")
            for n in by_mod[m]:
                lines.append(f"    {n} as {n},\n")
            lines.append(")\n")
    return "".join(lines)


def generate(stable_defs: dict[str, Any], exp_defs: dict[str, Any], version: str) -> dict[str, str]:
    """All generated files: relative name -> content."""
    stable = Builder(stable_defs).build()
    builder = Builder(exp_defs)
    classes = builder.build()
    experimental_classes = sorted(n for n in classes if n not in stable)
    experimental_fields: dict[str, list[str]] = {}
    for name, spec in classes.items():
        if name not in stable:
            spec.experimental = True
            continue
        stable_wires = {f.wire for f in stable[name].fields}
        for f in spec.fields:
            if f.wire not in stable_wires:
                f.experimental = True
                experimental_fields.setdefault(name, []).append(f.wire)

    module_of_def = assign_modules(classes, exp_defs)
    module_of_class = {name: module_of_def[spec.owner] for name, spec in classes.items()}
    by_module: dict[str, list[ClassSpec]] = defaultdict(list)
    for name in builder.order:
        by_module[module_of_class[name]].append(classes[name])

    files: dict[str, str] = {}
    for mod, specs in sorted(by_module.items()):
        files[f"{mod}.py"] = emit_module(mod, specs, module_of_class, version)

    # name -> module index
    idx = [
        header(version, "Name -> module index of every generated class (read lazily)."),
        f"RUNTIME_VERSION = {json.dumps(version)}\n\n",
        "MODULE_OF: dict[str, str] = {\n",
    ]
    for name in sorted(classes):
        idx.append(f"    {json.dumps(name)}: {json.dumps(module_of_class[name])},\n")
    idx.append("}\n")
    files["_index.py"] = "".join(idx)

    # every name, for type checkers (openai_codex_types/__init__.py imports it under TYPE_CHECKING)
    allmod = [
        header(
            version, "Every generated class, for type checkers only (never imported at run time)."
        )
    ]
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in sorted(classes):
        grouped[module_of_class[name]].append(name)
    for mod in sorted(grouped):
        allmod.append(f"from .{mod} import (\n")
        allmod.extend(f"    {n} as {n},\n" for n in grouped[mod])
        allmod.append(")\n")
    allmod.append(f"\n__all__ = {json.dumps(sorted(classes), indent=4)}\n")
    files["_all.py"] = "".join(allmod)

    # registries
    stable_reg = build_registry(stable_defs)
    reg = build_registry(exp_defs)
    exp_methods = sorted(
        set(reg.client_requests) - set(stable_reg.client_requests)
        | set(reg.server_notifications) - set(stable_reg.server_notifications)
        | set(reg.server_requests) - set(stable_reg.server_requests)
    )
    for table in (reg.client_requests, reg.server_notifications, reg.server_requests):
        for value in table.values():
            for n in value if isinstance(value, tuple) else (value,):
                if n is not None and n not in classes:
                    raise SystemExit(f"registry refers to {n}, which has no class")
    r = [
        header(
            version,
            "Method registries derived from the schema's ClientRequest, ClientNotification,\nServerNotification and ServerRequest unions (class names; resolved lazily).",
        )
    ]
    r.append(f"RUNTIME_VERSION = {json.dumps(version)}\n\n")
    r.append("# client request method -> (params class or None, result class)\n")
    r.append("CLIENT_REQUESTS: dict[str, tuple[str | None, str]] = {\n")
    for m, (p, res) in sorted(reg.client_requests.items()):
        r.append(f"    {json.dumps(m)}: ({json.dumps(p) if p else 'None'}, {json.dumps(res)}),\n")
    r.append("}\n\n# client notification method -> params class or None\n")
    r.append("CLIENT_NOTIFICATIONS: dict[str, str | None] = {\n")
    for m, p in sorted(reg.client_notifications.items()):
        r.append(f"    {json.dumps(m)}: {json.dumps(p) if p else 'None'},\n")
    r.append("}\n\n# server notification method -> payload class\n")
    r.append("SERVER_NOTIFICATIONS: dict[str, str] = {\n")
    for m, p in sorted(reg.server_notifications.items()):
        r.append(f"    {json.dumps(m)}: {json.dumps(p)},\n")
    r.append("}\n\n# server request method -> (params class, response class)\n")
    r.append("SERVER_REQUESTS: dict[str, tuple[str, str]] = {\n")
    for m, (p, res) in sorted(reg.server_requests.items()):
        r.append(f"    {json.dumps(m)}: ({json.dumps(p)}, {json.dumps(res)}),\n")
    r.append("}\n\n# methods only the --experimental schema has\n")
    r.append("EXPERIMENTAL_METHODS: frozenset[str] = frozenset(\n    {\n")
    r.extend(f"        {json.dumps(m)},\n" for m in exp_methods)
    r.append("    }\n)\n\n# classes only the --experimental schema has\n")
    r.append("EXPERIMENTAL_CLASSES: frozenset[str] = frozenset(\n    {\n")
    r.extend(f"        {json.dumps(n)},\n" for n in experimental_classes)
    r.append("    }\n)\n\n# class -> wire names of its fields only the --experimental schema has\n")
    r.append("EXPERIMENTAL_FIELDS: dict[str, frozenset[str]] = {\n")
    for n, wires in sorted(experimental_fields.items()):
        r.append(f"    {json.dumps(n)}: frozenset({json.dumps(sorted(wires))}),\n")
    r.append("}\n")
    files["_registry.py"] = "".join(r)
    files["__init__.py"] = header(
        version, "Generated code; import from openai_codex_types instead."
    )
    return files


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def find_ruff() -> tuple[list[str] | None, str]:
    """The pinned ruff's argv (another version may format differently), or None and why."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    argv = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    try:
        found = subprocess.run(
            [*argv, "--version"], check=True, capture_output=True, text=True, timeout=60
        ).stdout.split()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return None, f"ruff=={RUFF_VERSION} is not installed"
    if found != RUFF_VERSION:
        return None, f"ruff {found} is installed, the generated code is formatted by {RUFF_VERSION}"
    return argv, ""


def ruff_format(ruff: list[str], directory: Path) -> None:
    subprocess.run(
        [
            *ruff,
            "format",
            "--quiet",
            "--no-force-exclude",
            "--isolated",
            "--line-length",
            "100",
            str(directory),
        ],
        check=True,
        timeout=300,
    )


def render(codex: str | None, ruff: list[str] | None) -> tuple[dict[str, str], str]:
    """All generated files (formatted when ``ruff`` is given) and the runtime version."""
    pin = runtime_pin()
    binary = find_codex(codex)
    version = runtime_version(binary)
    if version != pin:
        raise SystemExit(
            f"the runtime at {binary} is {version}, but the pin is {RUNTIME_DIST}=={pin}; "
            "install the pinned runtime (nox -s generate does)"
        )
    with tempfile.TemporaryDirectory(prefix="codex-schema-") as tmp:
        tmpdir = Path(tmp)
        dump_schema(binary, tmpdir / "stable", experimental=False)
        dump_schema(binary, tmpdir / "experimental", experimental=True)
        stable = load_definitions(tmpdir / "stable")
        experimental = load_definitions(tmpdir / "experimental")
        files = generate(stable, experimental, version)
        if ruff is None:
            return files, version
        out = tmpdir / "out"
        out.mkdir()
        for rel, content in files.items():
            (out / rel).write_text(content, encoding="utf-8")
        ruff_format(ruff, out)
        formatted = {rel: (out / rel).read_text(encoding="utf-8") for rel in files}
    return formatted, version


def same_code(committed: str, generated: str) -> bool:
    """Equal header lines and equal syntax trees: the comparison used when ruff is missing."""
    if committed.splitlines()[:2] != generated.splitlines()[:2]:
        return False
    try:
        return ast.dump(ast.parse(committed)) == ast.dump(ast.parse(generated))
    except SyntaxError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed files are stale"
    )
    parser.add_argument("--codex", help="the codex binary to use (default: the installed pin)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)

    ruff, why_not = find_ruff()
    if ruff is None and not args.check:
        raise SystemExit(f"{why_not}: install it to generate (nox -s generate does)")
    files, version = render(args.codex, ruff)
    out: Path = args.out
    existing = {p.name for p in out.glob("*.py")} if out.is_dir() else set()
    if args.check:
        if ruff is None:
            print(f"note: {why_not}; comparing code, not formatting", file=sys.stderr)
        stale = []
        for rel, content in sorted(files.items()):
            path = out / rel
            if not path.is_file():
                stale.append(rel)
                continue
            committed = path.read_text(encoding="utf-8")
            fresh = committed == content if ruff else same_code(committed, content)
            if not fresh:
                stale.append(rel)
        extra = sorted(existing - set(files))
        if stale or extra:
            for rel in stale:
                print(f"stale: {out / rel}", file=sys.stderr)
                path = out / rel
                if path.is_file():
                    diff = difflib.unified_diff(
                        path.read_text(encoding="utf-8").splitlines(),
                        files[rel].splitlines(),
                        "committed",
                        "regenerated",
                        lineterm="",
                        n=1,
                    )
                    for line in list(diff)[:20]:
                        print(f"    {line}", file=sys.stderr)
            for rel in extra:
                print(f"not generated any more: {out / rel}", file=sys.stderr)
            print(
                f"openai_codex_types is stale against runtime {version}: run `nox -s generate`",
                file=sys.stderr,
            )
            return 1
        print(f"openai_codex_types is up to date with runtime {version} ({len(files)} files)")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for rel in sorted(existing - set(files)):
        (out / rel).unlink()
    for rel, content in files.items():
        path = out / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
    print(f"wrote {len(files)} files to {out} from runtime {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
