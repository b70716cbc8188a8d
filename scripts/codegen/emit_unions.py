"""Emitting open enums, unions (tagged, with a fallback member, or smart) and their fallbacks."""

from __future__ import annotations

import json

from .emit_common import docstring, experimental_marker
from .spec import ClassSpec
from .values import alias_name

STR_ATTRS = set(dir(str))


def emit_enum(spec: ClassSpec) -> str:
    out = [f"class {spec.name}(OpenEnum):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    if spec.value_of:  # printed as the union it stands for: CodexErrorInfo('internalServerError')
        out.append(f"    __repr_name__ = {json.dumps(spec.value_of)}\n")
    for mname, value in spec.members:
        # a member may shadow a str method (``replace``): fine at run time
        ignore = "  # type: ignore[assignment]" if mname in STR_ATTRS else ""
        out.append(f"    {mname} = {json.dumps(value)}{ignore}\n")
    return "".join(out)


def emit_unknown(spec: ClassSpec) -> str:
    """The fallback member of a union: keeps the raw data of a member this version does not know."""
    out = f'class {spec.name}(UnknownVariant):\n    """{spec.doc}"""\n'
    if spec.tag_field:
        # Type checkers see a tag no known member has, so ``item.type == "agentMessage"``
        # narrows the union to that member; at run time the attribute is the raw tag.
        out += (
            "\n    if TYPE_CHECKING:\n"
            f'        {spec.tag_field}: Literal["__unknown__"]  # at run time: the raw tag\n'
        )
    return out


def emit_wrapper(spec: ClassSpec) -> str:
    """The wrapper class of a union: ``root`` is one of its variants (``Any<Name>``)."""
    out = [f"class {spec.name}(CodexUnion):\n", docstring(spec.doc, "    ")]
    out.append(experimental_marker(spec.experimental))
    out.append(f"    root: {alias_name(spec.name)}\n")
    return "".join(out)


def smart_union_alias(spec: ClassSpec) -> str:
    """A union without a tag: pydantic's smart union picks the best match."""
    arms = [*spec.variants, spec.fallback or "Any", *spec.extra_arms]
    return f"{alias_name(spec.name)}: TypeAlias = Annotated[{' | '.join(arms)}, UNWRAP_UNION]\n"


def union_alias(spec: ClassSpec) -> str:
    return smart_union_alias(spec) if spec.smart else tagged_union_alias(spec)


def emit_discriminator(spec: ClassSpec) -> str:
    """The callable discriminator of a tagged union (by tag value or by key)."""
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
        ")\n"
    ]
    return "".join(out)


def tagged_union_alias(spec: ClassSpec) -> str:
    """``Any<Name>``: the variants (and the fallback member) routed by the discriminator."""
    disc = f"_{spec.name}_discriminator"
    arms = [f"        Annotated[{v}, Tag({json.dumps(v)})],\n" for v in spec.variants]
    arms.append(f"        Annotated[{spec.fallback}, Tag({json.dumps(spec.fallback)})],\n")
    union = "Union[\n" + "".join(arms) + "    ]"
    root = f"Annotated[\n    {union},\n    Discriminator({disc}),\n    UNWRAP_UNION,\n]"
    if spec.extra_arms:
        root = f"Optional[{root}]"
    return f"{alias_name(spec.name)}: TypeAlias = {root}\n"
