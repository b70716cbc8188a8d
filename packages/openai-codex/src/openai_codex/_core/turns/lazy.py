"""Fields that hold raw wire data and build their typed value on first read.

A plain ``run()`` reads ``final_response`` and rarely ``items`` or ``usage``; building their
pydantic models (pydantic itself and ~100 item classes, ~14 MiB and ~0.1 s the first time)
only when a consumer reads them keeps a plain turn free of that cost. The value is built
once and kept; a payload that does not match its model raises ``ProtocolError`` at that
first read.

:class:`LazyField` is a data descriptor used as a dataclass field's default: the dataclass
``__init__`` assigns through it, so ``TurnResult(items=[...])`` stores the given list
unchanged, and only a :class:`Wire` value (made by the SDK) is built lazily.
``dataclasses.replace``, ``==``, ``asdict`` and ``copy`` read the built value; pickling
keeps whatever is stored (a :class:`Wire` pickles as its raw data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_NO_DEFAULT: Any = object()


class Wire:
    """Raw wire data waiting to be typed by the :class:`LazyField` it is stored in."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def __reduce__(self) -> tuple[Any, ...]:
        return (Wire, (self.raw,))

    def __repr__(self) -> str:
        return f"Wire({self.raw!r})"


def wire(raw: Any) -> Any:
    """``raw`` to store in a :class:`LazyField` (typed ``Any``: it stands for the field's type)."""
    return Wire(raw)


class LazyField:
    """A dataclass field whose :class:`Wire` value is typed by ``build`` on first read."""

    __slots__ = ("_build", "_default", "_key")

    def __init__(self, build: Callable[[Any], Any], default: Any = _NO_DEFAULT) -> None:
        self._build = build
        self._default = default
        self._key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_lazy_{name}"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:  # the class's default, asked by ``dataclass``
            if self._default is _NO_DEFAULT:
                raise AttributeError(self._key[6:])
            return self._default
        value = obj.__dict__[self._key]
        if type(value) is Wire:
            value = obj.__dict__[self._key] = self._build(value.raw)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self._key] = value


def peek(obj: Any, name: str) -> Any:
    """The stored value of field ``name``: the raw data while it is still a :class:`Wire`."""
    value = obj.__dict__[f"_lazy_{name}"]
    return value.raw if type(value) is Wire else value
