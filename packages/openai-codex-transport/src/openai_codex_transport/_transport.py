"""The interface every transport implements (stdio, WebSocket, Unix socket)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .errors import CodexError

__all__ = ["ProtocolError", "Transport", "dumps", "loads"]

_T = TypeVar("_T", bound="Transport")
_encoder = json.JSONEncoder(separators=(",", ":"))  # ASCII: lone surrogates stay sendable
_json_loads = json.loads
# The C scanner behind json.loads, called directly: json.loads(bytes) pays for encoding
# detection, a decode and two whitespace regex matches per call; a message from the runtime
# is one compact JSON value, so the scanner alone parses it (measured: ~2.6 -> ~1.0 us per
# notification). Anything unusual falls back to json.loads, which gives the same result or
# the same error as before.
# (``scan_once`` is the decoder's scanner attribute since Python 2.6; typeshed omits it.)
_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


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


def dumps(message: Mapping[str, Any]) -> bytes:
    """Compact JSON text of one message, UTF-8 encoded."""
    return _encoder.encode(message).encode()


class ProtocolError(CodexError):
    """``Transport.receive()`` got a message that is not a JSON object (``raw`` holds it)."""

    def __init__(self, message: str, raw: bytes | str) -> None:
        super().__init__(message)
        self.raw = raw


class Transport(ABC):
    """A bidirectional stream of JSON-RPC messages (one JSON object each).

    ``receive_batch()`` and ``send_bytes()`` are the fast paths the connection uses: whole
    messages as raw JSON text, many per await. ``send()``/``receive()`` are the convenient
    dict-level equivalents. Errors are :class:`TransportClosedError` once the peer is gone.
    """

    def __init__(self) -> None:
        self._pending_in: deque[bytes | str] = deque()

    @abstractmethod
    async def send_bytes(self, data: bytes) -> None:
        """Send one message given as its JSON text (no framing added by the caller)."""

    @abstractmethod
    async def receive_batch(self) -> list[bytes | str]:
        """Wait for and return one or more whole messages as JSON text, in wire order.

        Raises :class:`TransportClosedError` when the peer has gone away.
        """

    @abstractmethod
    async def aclose(self) -> None:
        """Close the transport (idempotent, bounded in time, never raises for a dead peer)."""

    async def send(self, message: Mapping[str, Any]) -> None:
        """Send one message (a JSON object)."""
        await self.send_bytes(dumps(message))

    async def receive(self) -> dict[str, Any]:
        """Return the next message; :class:`ProtocolError` if it is not a JSON object."""
        if not self._pending_in:
            self._pending_in.extend(await self.receive_batch())
        raw = self._pending_in.popleft()
        try:
            message = loads(raw)
        except ValueError as exc:
            raise ProtocolError(f"malformed JSON message: {exc}", raw) from None
        if not isinstance(message, dict):
            raise ProtocolError("message is not a JSON object", raw)
        return message

    @property
    def description(self) -> str:
        """A short human-readable name of the peer (for messages)."""
        return type(self).__name__

    def __str__(self) -> str:
        return self.description

    async def __aenter__(self: _T) -> _T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
