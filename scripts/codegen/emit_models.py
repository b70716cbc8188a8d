"""Emitting model and alias classes, their fields, and whole model modules with their imports."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from .emit_common import docstring, experimental_marker, header, py_literal
from .emit_unions import emit_discriminator, emit_enum, emit_unknown, emit_wrapper, union_alias
from .spec import ClassSpec, FieldSpec
from .values import alias_expr, alias_name, base_of_alias, unwrap_unions


def emit_field(f: FieldSpec, unions: set[str]) -> str:
    ftype = unwrap_unions(f.type, unions)
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


def emit_model(spec: ClassSpec, unions: set[str], variants: set[str]) -> str:
    base = "CodexVariant" if spec.name in variants else "CodexModel"
    out = [f"class {spec.name}({base}):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    if not spec.fields and not spec.doc and not spec.experimental:
        out.append("    pass\n")
    out.extend(emit_field(f, unions) for f in spec.fields)
    return "".join(out)


def emit_root(spec: ClassSpec, unions: set[str]) -> str:
    """An alias or a plain union of references and primitives: a root model holding the value."""
    if spec.name in unions:
        return emit_wrapper(spec)
    base = base_of_alias(spec) or "CodexRootModel"
    out = [f"class {spec.name}({base}):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    out.append(f"    root: {unwrap_unions(spec.root, unions)}\n")
    return "".join(out)


def emit_class(spec: ClassSpec, unions: set[str], variants: set[str]) -> str:
    if spec.kind == "enum":
        return emit_enum(spec)
    if spec.kind == "unknown":
        return emit_unknown(spec)
    if spec.kind == "model":
        return emit_model(spec, unions, variants)
    if spec.kind == "root":
        return emit_root(spec, unions)
    if spec.smart:
        return emit_wrapper(spec)
    return emit_discriminator(spec) + "\n\n" + emit_wrapper(spec)


def emit_module(
    mod: str,
    specs: list[ClassSpec],
    module_of_class: dict[str, str],
    version: str,
    unions: set[str],
    variants: set[str],
) -> str:
    names = {s.name for s in specs}
    text = "".join(emit_class(s, unions, variants) + "\n\n" for s in specs)
    # the variants' aliases: a union's own members live in its module, so its alias follows
    # the classes; an alias of references to other modules' models follows their imports
    local_aliases = [union_alias(s) for s in specs if s.name in unions and s.kind == "union"]
    late = [s for s in specs if s.name in unions and s.kind == "root"]
    names |= {alias_name(s.name) for s in specs if s.name in unions}
    if local_aliases:
        text += "\n" + "\n\n".join(local_aliases) + "\n\n"
    late_aliases = [
        f"{alias_name(s.name)}: TypeAlias = Annotated[{alias_expr(s, unions)}, UNWRAP_UNION]\n"
        for s in _in_order(late)
    ]
    used = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", text + "".join(late_aliases)))
    referenced: set[str] = set()
    for s in specs:
        exprs = [f.type for f in s.fields] + [s.root, *s.variants, s.fallback or ""]
        for expr in (unwrap_unions(e, unions) for e in exprs):
            referenced.update(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", expr))
    foreign = sorted(
        n
        for n in referenced
        if n in module_of_class and n not in names and module_of_class[n] != mod
    )
    typing_names = [
        n
        for n in (
            "TYPE_CHECKING",
            "Annotated",
            "Any",
            "ClassVar",
            "Literal",
            "Optional",
            "TypeAlias",
            "Union",
        )
        if n in used
    ]
    base_names = [
        n
        for n in (
            "CodexModel",
            "CodexPath",
            "CodexRootModel",
            "CodexStr",
            "CodexUnion",
            "CodexVariant",
            "UNWRAP_UNION",
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
    if base_names:
        lines.append(f"from .._base import {', '.join(base_names)}\n\n")
    if "OpenEnum" in used:
        # (its own module, without pydantic: a module of enums alone never imports pydantic)
        lines.append("from .._open_enum import OpenEnum\n\n")
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
    if late_aliases:
        lines.append("\n" + "".join(late_aliases))
    return "".join(lines)


def _in_order(specs: list[ClassSpec]) -> list[ClassSpec]:
    """Aliases of references, each after the local aliases it refers to."""
    pending = {alias_name(s.name): s for s in specs}
    done: list[ClassSpec] = []
    while pending:
        for name, s in list(pending.items()):
            needs = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", s.root))
            if not {alias_name(n) for n in needs} & (set(pending) - {name}):
                done.append(s)
                del pending[name]
                break
        else:
            raise SystemExit(f"aliases refer to each other: {sorted(pending)}")
    return done
