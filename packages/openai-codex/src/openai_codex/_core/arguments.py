"""Checks of call arguments, made before anything is sent.

A bad argument raises ``TypeError``/``ValueError`` naming it, at the call; the client
stays usable. Values JSON cannot carry (NaN, a lone surrogate) are refused here for the
arguments users type most (turn input, names), and by the transport's encoder for all
others (``UnencodableValueError``).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

#: The runtime refuses a turn whose text input is longer than this many characters.
MAX_INPUT_CHARS = 1 << 20

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_seconds(value: object, name: str = "timeout") -> float | None:
    """``value`` as a deadline in seconds: a positive number, or None (no deadline)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{name} must be a number of seconds or None, not {type(value).__name__} {value!r}"
        )
    if math.isnan(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds or None, got {value!r}")
    if math.isinf(value):
        return None
    return float(value)


def check_text(value: object, name: str) -> None:
    """``value`` is a str JSON can carry (no lone surrogate); no copy is made."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    match = _SURROGATE.search(value)
    if match is not None:
        raise ValueError(
            f"{name} contains a lone surrogate {match.group()!r} at index {match.start()}, "
            "which JSON cannot carry (decode the text with errors='replace' first)"
        )


def check_cwd(value: object, name: str = "cwd") -> None:
    """``value`` is None or an existing directory (str or os.PathLike)."""
    if value is None:
        return
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    path = os.fsdecode(os.fspath(value))
    check_text(path, name)
    if not os.path.isdir(path):
        raise ValueError(f"{name} {path!r} is not an existing directory")


def _item_texts(item: object) -> list[str]:
    if isinstance(item, str):
        return [item]
    text = getattr(item, "text", None)
    return [text] if isinstance(text, str) else []


def check_turn_input(value: object, name: str = "input") -> None:
    """A turn input: not empty (nor only whitespace), not a dict, text within the runtime's limit and sendable.

    The size is checked first (``len`` is O(1)), so a 50 MB prompt is refused without
    being scanned or copied.
    """
    items: Sequence[Any]
    if type(value) is str:  # the common case, without loading the input classes
        items = texts = [value]
        only_text = True
    else:
        from .turns.inputs import ExternalMessage, TextInput

        if isinstance(value, ExternalMessage):
            return
        if isinstance(value, Mapping):
            raise TypeError(
                f"{name} must be a str, an input item (TextInput, ImageInput, ...) or a list "
                "of them; a dict is not accepted (use TextInput(...) etc.)"
            )
        items = value if isinstance(value, (list, tuple)) else [value]
        texts = [text for item in items for text in _item_texts(item)]
        only_text = all(isinstance(item, (str, TextInput)) for item in items)
    # isspace() stops at the first other character: no scan of a long text, no copy
    if not items or (only_text and not any(text and not text.isspace() for text in texts)):
        raise ValueError(f"{name} is empty (or only whitespace): a turn needs some input")
    total = sum(len(text) for text in texts)
    if total > MAX_INPUT_CHARS:
        raise ValueError(
            f"{name} has {total:,} characters of text; the runtime accepts at most "
            f"{MAX_INPUT_CHARS:,}"
        )
    for index, text in enumerate(texts):
        check_text(text, name if len(items) == 1 else f"{name}[{index}]")


def check_mapping_values(value: object, name: str) -> None:
    """A dict of options (``config=``): JSON-sendable values only (no NaN, no surrogates)."""
    _walk(value, name, 0)


def _walk(value: object, path: str, depth: int) -> None:
    if depth > 64:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{path} is {value!r}, which JSON cannot carry")
    if isinstance(value, str):
        check_text(value, path)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                check_text(key, f"{path} key")
            _walk(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", depth + 1)


_SCHEMA_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")


def check_output_schema(value: object, name: str = "output_schema") -> None:
    """A JSON-schema dict is well formed where the model would trip on it: known ``type``
    names, ``properties`` of schemas, ``required`` naming strings. Other specs (pydantic
    models, types) are described by pydantic and are left alone."""
    if isinstance(value, Mapping):
        _check_schema(value, name, 0)


def _check_schema(node: object, path: str, depth: int) -> None:
    if depth > 64:
        return
    if isinstance(node, bool):  # true/false are schemas too
        return
    if not isinstance(node, Mapping):
        raise ValueError(f"{path} must be a JSON schema object, not {type(node).__name__}")
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind is not None else []
    for one in kinds:
        if one not in _SCHEMA_TYPES:
            raise ValueError(
                f"{path}.type is {one!r}; JSON schema types are {', '.join(sorted(_SCHEMA_TYPES))}"
            )
    for key in _SCHEMA_MAPS:
        members = node.get(key)
        if members is None:
            continue
        if not isinstance(members, Mapping):
            raise ValueError(f"{path}.{key} must map names to schemas")
        for member, sub in members.items():
            _check_schema(sub, f"{path}.{key}.{member}", depth + 1)
    for key in _SCHEMA_LISTS:
        options = node.get(key)
        if options is None:
            continue
        if not isinstance(options, list):
            raise ValueError(f"{path}.{key} must be a list of schemas")
        for index, sub in enumerate(options):
            _check_schema(sub, f"{path}.{key}[{index}]", depth + 1)
    items = node.get("items")
    if items is not None:
        _check_schema(items, f"{path}.items", depth + 1)
    required = node.get("required")
    if required is not None and (
        not isinstance(required, list) or not all(isinstance(r, str) for r in required)
    ):
        raise ValueError(f"{path}.required must be a list of property names")


__all__ = [
    "MAX_INPUT_CHARS",
    "check_cwd",
    "check_mapping_values",
    "check_output_schema",
    "check_seconds",
    "check_text",
    "check_turn_input",
]
