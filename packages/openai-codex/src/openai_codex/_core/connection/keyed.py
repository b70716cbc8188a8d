"""``KeyedStreams``: notifications of one method routed by a key to per-key sinks.

Used for streams that belong to something other than a turn: a ``command/exec``
process's output (``processId``), a file watch's changes (``watchId``). One router
listener per method and client; a sink is registered before the request that starts
the stream is sent, so nothing is missed. When the connection goes, every sink gets
the error.
"""

from __future__ import annotations

from typing import Any

from .sink import Sink


class KeyedStreams:
    """The sinks of one notification method, by the value of ``key`` in its params."""

    __slots__ = ("_sinks", "key", "method")

    def __init__(self, method: str, key: str) -> None:
        self.method = method
        self.key = key
        self._sinks: dict[str, Sink] = {}

    def listener(self, method: str, params: dict[str, Any]) -> None:
        """The router listener (the reader's fast path: a dict lookup)."""
        if method == self.method:
            sink = self._sinks.get(params.get(self.key))  # type: ignore[arg-type]
            if sink is not None:
                sink.push((method, params))

    def open(self, key: str) -> Sink:
        """A new sink for ``key``'s notifications (a key is used once at a time)."""
        if key in self._sinks:
            raise ValueError(f"{self.key} {key!r} is already in use")
        sink = self._sinks[key] = Sink()
        return sink

    def close(self, key: str) -> None:
        self._sinks.pop(key, None)

    def fail_all(self, exc: BaseException) -> None:
        """The connection is gone: every waiting consumer gets ``exc``."""
        sinks, self._sinks = self._sinks, {}
        for sink in sinks.values():
            sink.push(exc)
