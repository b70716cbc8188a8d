"""``OpenEnum``: the base of the generated string enums (no pydantic: a module of enums
alone loads without it, so ``TurnStatus`` costs no pydantic import)."""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["OpenEnum"]


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

    @property
    def root(self) -> Self:
        """The member itself (a union's string member was ``.root`` of its wrapper)."""
        return self

    def __repr__(self) -> str:
        # a union's string member prints as that union's value: CodexErrorInfo('usageLimit')
        name = type(self).__dict__.get("__repr_name__")
        if isinstance(name, str):
            return f"{name}({self._value_!r})"
        return super().__repr__()

    def model_dump(self, **_: Any) -> str:
        """The string value (as the union wrapper that used to hold it dumped it)."""
        return str(self._value_)

    def model_dump_json(self, **_: Any) -> str:
        """The value as JSON (as the union wrapper that used to hold it dumped it)."""
        return json.dumps(self._value_)

    def __str__(self) -> str:
        return str(self._value_)
