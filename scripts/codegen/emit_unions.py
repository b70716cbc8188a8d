"""Emitting open enums, unions (tagged, with a fallback member, or smart) and their fallbacks."""

from __future__ import annotations

import json

from .emit_common import docstring, experimental_marker
from .spec import ClassSpec

STR_ATTRS = set(dir(str))


def emit_enum(spec: ClassSpec) -> str:
    out = [f"class {spec.name}(OpenEnum):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    for mname, value in spec.members:
        # a member may shadow a str method (``replace``): fine at run time
        ignore = "  # type: ignore[assignment]" if mname in STR_ATTRS else ""
        out.append(f"    {mname} = {json.dumps(value)}{ignore}\n")
    return "".join(out)


def emit_unknown(spec: ClassSpec) -> str:
    """The fallback member of a union: keeps the raw data of a member this version does not know."""
    return f'class {spec.name}(UnknownVariant):\n    """{spec.doc}"""\n'


def emit_smart_union(spec: ClassSpec) -> str:
    """A union without a tag: pydantic's smart union picks the best match."""
    out = [f"class {spec.name}(CodexRootModel):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    arms = [*spec.variants, spec.fallback or "Any", *spec.extra_arms]
    out.append(f"    root: {' | '.join(arms)}\n")
    return "".join(out)


def emit_tagged_union(spec: ClassSpec) -> str:
    """A union with a callable discriminator (by tag value or by key) and its fallback member."""
    disc = f"_{spec.name}_discriminator"
    by_value = (
        "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in spec.by_value.items()) + "}"
    )
    by_key = (
        "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in spec.by_key.items()) + "}"
    )
    variants = sorted(set(spec.variants) | {spec.fallback or ""})
    out = [
        f"{disc} = union_discriminator(\n"
        f"    field={json.dumps(spec.tag_field) if spec.tag_field else None},\n"
        f"    by_value={by_value},\n"
        f"    by_key={by_key},\n"
        f"    value_tag={json.dumps(spec.value_tag) if spec.value_tag else None},\n"
        f"    variants=frozenset({json.dumps(variants)}),\n"
        f"    fallback={json.dumps(spec.fallback)},\n"
        ")\n\n\n"
    ]
    out.append(f"class {spec.name}(CodexRootModel):\n")
    out.append(docstring(spec.doc, "    "))
    out.append(experimental_marker(spec.experimental))
    arms = [f"        Annotated[{v}, Tag({json.dumps(v)})],\n" for v in spec.variants]
    arms.append(f"        Annotated[{spec.fallback}, Tag({json.dumps(spec.fallback)})],\n")
    union = "Union[\n" + "".join(arms) + "    ]"
    root = f"Annotated[\n    {union},\n    Discriminator({disc}),\n]"
    root = root.replace("\n", "\n    ")
    if spec.extra_arms:
        root = f"Optional[{root}]"
    out.append(f"    root: {root}\n")
    return "".join(out)
