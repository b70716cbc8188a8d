"""Base classes shared by the generated models (hand-written, small, imported on first use).

- :class:`CodexModel`: every object in the protocol. Unknown fields are kept (``extra="allow"``),
  attributes are snake_case with the camelCase wire name as alias, both names are accepted on
  input, and dumps use the wire names. Models are built lazily (``defer_build``).
- :class:`CodexRootModel`: wrappers around unions and aliases (``.root`` holds the value);
  attribute access is forwarded to the value, so ``ThreadItem.model_validate(d).type`` works.
- :class:`CodexUnion`: the wrapper of a union. Fields of other models never hold it: they
  hold the concrete variant (``Any<Union>`` is the annotated union type they use).
- :class:`CodexVariant`: a member of a union; its ``.root`` returns itself, so code written
  for the wrappers (``item.root.text``) keeps working.
- :class:`CodexStr` / :class:`CodexPath`: string aliases compare and hash as their string;
  paths are also ``os.PathLike`` (``Path(x)``, ``os.fspath(x)``).
- :class:`OpenEnum`: string enums that accept values a newer runtime may send; an unknown value
  becomes a pseudo-member whose ``.value`` is the raw string and whose ``known`` is ``False``.
- :class:`UnknownVariant`: the fallback member of every tagged union; it keeps the raw data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, RootModel, model_validator

from ._open_enum import OpenEnum

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "UNKNOWN_TAG",
    "UNWRAP_UNION",
    "CodexModel",
    "CodexPath",
    "CodexRootModel",
    "CodexStr",
    "CodexUnion",
    "CodexVariant",
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


class CodexVariant(CodexModel):
    """Base of every model that is a member of a union (``AgentMessageThreadItem``, ...)."""

    @property
    def root(self) -> Self:
        """The object itself: a union's value is its concrete variant, and code written for
        the union wrappers (``item.root.text``) keeps working on the variant."""
        return self


class CodexRootModel(RootModel[Any]):
    """Base of every generated union or alias wrapper; subclasses annotate ``root``.

    Attributes the wrapper does not have are looked up on ``root``.
    """

    model_config = ConfigDict(defer_build=True, serialize_by_alias=True, protected_namespaces=())

    def __repr__(self) -> str:
        root = self.root
        return f"{type(self).__name__}({(root.value if isinstance(root, Enum) else root)!r})"

    def __str__(self) -> str:
        root = self.root
        return str(root.value) if isinstance(root, Enum) else str(root)

    def __getattr__(self, name: str) -> Any:
        if not TYPE_CHECKING:  # pydantic's own lookup first (private attributes)
            try:
                return super().__getattr__(name)
            except AttributeError:
                pass
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        try:
            root = self.__dict__["root"]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(root, name)


class CodexUnion(CodexRootModel):
    """Base of every generated union wrapper: ``root`` is the concrete variant.

    Fields of other models hold the variant itself, not this wrapper; validate the wrapper
    directly (``ThreadItem.model_validate(data)``) and its attributes are the variant's.
    """


def _unwrap_union(value: Any) -> Any:
    return value.root if isinstance(value, CodexUnion) else value


#: metadata of every ``Any<Union>`` alias: a wrapper given as input stands for its variant
UNWRAP_UNION = BeforeValidator(_unwrap_union)


class CodexStr(CodexRootModel):
    """A string alias: equal to (and hashed as) its string, usable where a ``str`` is read."""

    root: str

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CodexRootModel):
            return bool(self.root == other.root)
        return bool(self.root == other)

    def __hash__(self) -> int:
        return hash(self.root)

    def __len__(self) -> int:
        return len(self.root)

    def __contains__(self, part: str) -> bool:
        return part in self.root

    def __lt__(self, other: str | CodexStr) -> bool:
        return self.root < (other.root if isinstance(other, CodexStr) else other)


class CodexPath(CodexStr):
    """A file-system path alias: also ``os.PathLike`` (``Path(x)``, ``os.fspath(x)``, ``open(x)``)."""

    def __fspath__(self) -> str:
        return self.root


class UnknownVariant(CodexVariant):
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

    if TYPE_CHECKING:  # the raw object's fields are attributes (pydantic's extras)

        def __getattr__(self, name: str) -> Any: ...


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
