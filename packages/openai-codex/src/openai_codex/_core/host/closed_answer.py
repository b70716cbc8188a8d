"""Outgoing answers are closed: no value outside what this SDK knows goes on the wire.

The protocol models are open on purpose (an ``OpenEnum`` keeps a newer runtime's value, an
``UnknownVariant`` keeps a new union member), which is right for input and wrong for output:
a handler returning ``"yes please"``, ``{"decision": "acceptEverything"}`` or
``{"decision": "accept", "junk": 1}`` (an unknown member) would pass the response model. :func:`unknown_value` finds such a value in a validated answer so the
dispatcher can send the documented safe default instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, RootModel

from openai_codex_types import OpenEnum, UnknownVariant

__all__ = ["unknown_value"]


def unknown_value(value: Any, path: str = "answer", _depth: int = 0) -> str | None:
    """Where ``value`` holds an unknown enum value or union member (``None``: nowhere)."""
    if _depth > 64:
        return None
    if isinstance(value, OpenEnum):
        return None if value.known else f"{path} = {value.value!r}"
    if isinstance(value, UnknownVariant):
        return f"{path} (an unknown variant)"
    if isinstance(value, RootModel):
        return unknown_value(value.root, path, _depth + 1)
    if isinstance(value, BaseModel):
        extra = value.model_extra
        if extra:  # the models keep unknown members (input); an answer has none
            return f"{path}.{next(iter(extra))} (a member the protocol does not have)"
        for name in type(value).model_fields:
            found = unknown_value(getattr(value, name), f"{path}.{name}", _depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = unknown_value(item, f"{path}[{key!r}]", _depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = unknown_value(item, f"{path}[{index}]", _depth + 1)
            if found is not None:
                return found
    return None
