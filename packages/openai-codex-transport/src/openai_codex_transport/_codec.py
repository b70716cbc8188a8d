"""The wire codec: one JSON-RPC message <-> its compact UTF-8 JSON text.

Encoding refuses what JSON cannot carry faithfully, before anything is sent:

- NaN and +/-infinity (``allow_nan=False``: JSON has no such numbers; the runtime would drop
  the whole line and never answer);
- strings with a surrogate code point (``"\\ud800"``): not Unicode text, so not valid UTF-8.

Both checks cost nothing on the hot path: the C encoder rejects non-finite floats itself, and
the text is produced with ``ensure_ascii=False`` and then encoded to UTF-8 strictly, which
fails on a surrogate (the encode is needed anyway; it is as fast as the ASCII-escaping
encoder was, and the bytes are shorter for non-ASCII text). Only when encoding fails is the
value walked, to name the offending path (``params.config.x``) in an
:class:`UnencodableValueError` (a ``ValueError``) or a ``TypeError`` for an unsupported type.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import UnencodableValueError

__all__ = ["dumps", "loads"]

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_json_loads = json.loads
# The C scanner behind json.loads, called directly: json.loads(bytes) pays for encoding
# detection, a decode and two whitespace regex matches per call; a message from the runtime
# is one compact JSON value, so the scanner alone parses it (measured: ~2.6 -> ~1.0 us per
# notification). Anything unusual falls back to json.loads, which gives the same result or
# the same error as before.
# (``scan_once`` is the decoder's scanner attribute since Python 2.6; typeshed omits it.)
_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
#: the scanner: ``scan_once(text, 0)`` is ``(value, end)``; the reader calls it itself for a
#: message that is text (what :func:`loads` does first) and :func:`loads` when ``end`` is not
#: the text's length or it raised ``StopIteration``
scan_once = _scan_once

# (the error path's patterns: compiled on first use, not by every import)
_SURROGATE = "[\ud800-\udfff]"
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*\Z"
_MAX_DEPTH = 512


def dumps(message: Mapping[str, Any]) -> bytes:
    """Compact JSON text of one message, UTF-8 encoded.

    Raises :class:`UnencodableValueError` for NaN/infinity, a surrogate code point or a
    circular reference, and ``TypeError`` for a value of a type JSON has no form for; both
    name the path of the offending value.
    """
    try:
        return _encode(message).encode()
    except (ValueError, TypeError, RecursionError) as exc:  # UnicodeEncodeError: a ValueError
        raise _unencodable(message, exc) from None


def loads(raw: bytes | str) -> Any:
    """``json.loads(raw)`` for one message, faster on the common case (same results/errors).

    ``bytes`` are decoded as UTF-8 first; bytes that are not UTF-8 go to ``json.loads`` (which
    also accepts UTF-16/32 and a BOM, or raises a ``ValueError``).
    """
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode()
        except UnicodeDecodeError:
            return _json_loads(raw)
    try:
        value, end = _scan_once(text, 0)
    except StopIteration:  # no JSON value at position 0 (whitespace, BOM, garbage)
        return _json_loads(raw)
    if end != len(text):  # trailing whitespace (fine) or trailing garbage (an error)
        return _json_loads(raw)
    return value


# -- the slow path: find and name what could not be encoded ----------------------------------


class _Found(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


def _unencodable(message: Any, original: BaseException) -> Exception:
    """The error naming the first value of ``message`` that JSON cannot carry."""
    try:
        _check(message, "", set(), 0)
    except _Found as found:
        return found.error
    # Not found by the walk (e.g. a custom Mapping the encoder rejects): the encoder's words.
    if isinstance(original, TypeError):
        return TypeError(f"cannot send the message: {original}")
    return UnencodableValueError("the message", str(original))


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if isinstance(key, str) and re.match(_IDENTIFIER, key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _check_str(text: str, path: str, what: str) -> None:
    match = re.search(_SURROGATE, text)
    if match is not None:
        code = ord(match.group())
        raise _Found(
            UnencodableValueError(
                path or "the message",
                f"{what} holds the surrogate code point U+{code:04X} at index {match.start()}, "
                "which is not Unicode text and cannot be sent as UTF-8 JSON (a lone surrogate, "
                "e.g. from bytes decoded with errors='surrogateescape'); clean it first, "
                "e.g. text.encode('utf-8', 'replace').decode()",
            )
        )


def _check_float(value: float, path: str, what: str) -> None:
    if not math.isfinite(value):
        raise _Found(
            UnencodableValueError(
                path or "the message",
                f"{what} is {value!r}, which JSON cannot represent (only finite numbers)",
            )
        )


def _check(value: Any, path: str, seen: set[int], depth: int) -> None:
    if isinstance(value, str):
        _check_str(value, path, "the string")
    elif isinstance(value, float):
        _check_float(value, path, "the number")
    elif value is None or isinstance(value, (bool, int)):
        return
    elif isinstance(value, (dict, list, tuple)):
        if depth > _MAX_DEPTH:
            raise _Found(UnencodableValueError(path, f"nested more than {_MAX_DEPTH} levels deep"))
        if id(value) in seen:
            raise _Found(UnencodableValueError(path, "circular reference (contains itself)"))
        seen.add(id(value))
        if isinstance(value, dict):
            for key, item in value.items():
                _check_key(key, path)
                _check(item, _child(path, key), seen, depth + 1)
        else:
            for index, item in enumerate(value):
                _check(item, _child(path, index), seen, depth + 1)
        seen.discard(id(value))
    else:
        raise _Found(
            TypeError(
                f"cannot send {path or 'the message'}: a {type(value).__name__} is not "
                "JSON serializable (use dict, list, str, int, float, bool or None)"
            )
        )


def _check_key(key: Any, path: str) -> None:
    where = _child(path, key) if key is None or isinstance(key, (str, int, float)) else path
    if isinstance(key, str):
        _check_str(key, where, "the key")
    elif isinstance(key, float):
        _check_float(key, where, "the key")
    elif not (key is None or isinstance(key, (bool, int))):
        raise _Found(
            TypeError(
                f"cannot send {path or 'the message'}: a key of type {type(key).__name__} is "
                "not allowed in JSON (keys must be str, int, float, bool or None)"
            )
        )
