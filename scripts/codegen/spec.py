"""The intermediate representation: one ClassSpec per generated class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    value_of: str | None = None  # an enum holding a union's string members: that union
    deps: set[str] = field(default_factory=set)
    experimental: bool = False
