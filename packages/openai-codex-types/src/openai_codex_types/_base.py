"""Base classes shared by the generated models (hand-written, small, imported on first use).

- :class:`CodexModel`: every object in the protocol. Unknown fields are kept (``extra="allow"``),
  attributes are snake_case with the camelCase wire name as alias, both names are accepted on
  input, and dumps use the wire names. Models are built lazily (``defer_build``).
- :class:`CodexRootModel`: wrappers around unions and aliases (``.root`` holds the value).
- :class:`OpenEnum`: string enums that accept values a newer runtime may send; an unknown value
  becomes a pseudo-member whose ``.value`` is the raw string and whose ``known`` is ``False``.
- :class:`UnknownVariant`: the fallback member of every tagged union; it keeps the raw data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, RootModel, model_validator

__all__ = [
    "UNKNOWN_TAG",
    "CodexModel",
    "CodexRootModel",
    "OpenEnum",
    "UnknownVariant",
    "is_unknown",
    "union_discriminator",
]

UNKNOWN_TAG = "__unknown__"


class CodexModel(BaseModel):
    """Base of every generated protocol object."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        serialize_by_alias=True,
        defer_build=True,
        protected_namespaces=(),
    )


class CodexRootModel(RootModel[Any]):
    """Base of every generated union or alias wrapper; subclasses annotate ``root``."""

    model_config = ConfigDict(defer_build=True, serialize_by_alias=True, protected_namespaces=())

    def __repr__(self) -> str:
        root = self.root
        return f"{type(self).__name__}({(root.value if isinstance(root, Enum) else root)!r})"

    def __str__(self) -> str:
        root = self.root
        return str(root.value) if isinstance(root, Enum) else str(root)


class OpenEnum(str, Enum):
    """A string enum that keeps values it does not know instead of rejecting them."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        """False for a value this version of the package does not list."""
        return self._value_ in type(self)._value2member_map_

    def __str__(self) -> str:
        return str(self._value_)


class UnknownVariant(CodexModel):
    """A union member this version of the package does not know; ``raw`` is the wire data.

    Every field of the raw object is also reachable as an attribute (``extra="allow"``), so
    ``item.root.type`` names the new member's tag.
    """

    _raw: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(data, UnknownVariant):
            return data
        obj = handler(dict(data)) if isinstance(data, Mapping) else cls.model_construct()
        obj._raw = data
        return obj

    @property
    def raw(self) -> Any:
        """The payload exactly as it arrived (a dict for objects)."""
        return self._raw

    @property
    def known(self) -> bool:
        return False


def is_unknown(value: object) -> bool:
    """True for an unknown union member, an unknown enum value, or a wrapper holding one."""
    if isinstance(value, RootModel):
        value = value.root
    if isinstance(value, UnknownVariant):
        return True
    if isinstance(value, OpenEnum):
        return not value.known
    return False


def union_discriminator(
    *,
    field: str | None,
    by_value: Mapping[str, str],
    by_key: Mapping[str, str],
    value_tag: str | None,
    variants: frozenset[str],
    fallback: str,
) -> Callable[[Any], str]:
    """Build the callable discriminator of a generated union.

    Tags are variant class names. An object is routed by its ``field`` value (internally
    tagged unions) or by its single key (externally tagged ones); a string goes to the
    ``value_tag`` enum; a model instance goes to its own class; anything else goes to the
    ``fallback`` class, which keeps the raw data.
    """

    def discriminate(data: Any) -> str:
        if isinstance(data, dict):
            if field is not None:
                tag = data.get(field)
                if isinstance(tag, str):
                    return by_value.get(tag, fallback)
                return fallback
            for key in data:
                hit = by_key.get(key)
                if hit is not None:
                    return hit
            return fallback
        if isinstance(data, str):
            return value_tag if value_tag is not None else fallback
        name = type(data).__name__
        if name in variants:
            return name
        if isinstance(data, OpenEnum) and value_tag is not None:
            return value_tag
        return fallback

    return discriminate
