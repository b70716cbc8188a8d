"""The interface every transport implements (stdio, WebSocket, Unix socket)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import anyio

from ._codec import dumps, loads
from .errors import ProtocolError

__all__ = ["ProtocolError", "Transport", "dumps", "loads"]  # codec and error: old import paths

_T = TypeVar("_T", bound="Transport")


class Transport(ABC):
    """A bidirectional stream of JSON-RPC messages (one JSON object each).

    ``receive_batch()`` and ``send_bytes()`` are the fast paths the connection uses: whole
    messages as raw JSON text, many per await. ``send()``/``receive()`` are the convenient
    dict-level equivalents. Errors are :class:`TransportClosedError` once the peer is gone.
    """

    def __init__(self) -> None:
        self._pending_in: deque[bytes | str] = deque()
        self._closing = False  # aclose() has begun
        self._closed = anyio.Event()  # aclose() has finished

    @abstractmethod
    async def send_bytes(self, data: bytes) -> None:
        """Send one message given as its JSON text (no framing added by the caller)."""

    @abstractmethod
    async def receive_batch(self) -> list[bytes | str]:
        """Wait for and return one or more whole messages as JSON text, in wire order.

        Raises :class:`TransportClosedError` when the peer has gone away.
        """

    def deliver_batches(self, handler: Callable[[list[bytes | str]], None] | None) -> bool:
        """Hand what is read from now on to ``handler`` (on the event-loop thread, from the
        read itself: no task switch per read) instead of returning it from
        :meth:`receive_batch`, which still returns what was read before, in order, and raises
        :class:`TransportClosedError` at the end; ``None`` stops it. ``False`` (the default):
        this transport cannot, :meth:`receive_batch` returns everything."""
        return False

    async def aclose(self) -> None:
        """Close the transport (idempotent, bounded in time, never raises for a dead peer).

        The first call runs :meth:`_close`, shielded from cancellation; later and concurrent
        calls wait for it to finish."""
        if self._closing:
            await self._closed.wait()
            return
        self._closing = True
        with anyio.CancelScope(shield=True):
            try:
                await self._close()
            finally:
                self._closed.set()

    @abstractmethod
    async def _close(self) -> None:
        """The transport's own closing (runs once, shielded; must be bounded in time)."""

    async def send(self, message: Mapping[str, Any]) -> None:
        """Send one message (a JSON object); a value JSON cannot carry raises at once
        (:class:`UnencodableValueError` or ``TypeError``) and nothing is sent."""
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
