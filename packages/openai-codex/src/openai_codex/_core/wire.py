"""snake_case keyword arguments to camelCase wire params."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


def camel(name: str) -> str:
    """``model_provider`` -> ``modelProvider``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wire_value(value: Any) -> Any:
    """A JSON-ready form of a keyword value: enums by value, models by alias."""
    if isinstance(value, Enum):
        return value.value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return {k: wire_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire_value(v) for v in value]
    return value


def wire_params(_renames: dict[str, str] | None = None, /, **kwargs: Any) -> dict[str, Any]:
    """camelCase params from keywords; ``None`` values are omitted (stored settings kept)."""
    renames = _renames or {}
    out: dict[str, Any] = {}
    for key, value in kwargs.items():
        if value is None:
            continue
        out[renames.get(key) or camel(key)] = wire_value(value)
    return out


def wire_options(names: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, Any]:
    """Wire params of declared options: ``names`` maps keyword -> wire name (generated in
    ``option_methods.WIRE_NAMES``); ``None`` values are omitted."""
    out: dict[str, Any] = {}
    for name, wire in names.items():
        value = values.get(name)
        if value is not None:
            out[wire] = wire_value(value)
    return out
