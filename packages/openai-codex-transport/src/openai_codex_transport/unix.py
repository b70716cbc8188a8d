"""``codex app-server --listen unix://PATH``: WebSocket spoken over a Unix socket.

With no path, connect to the control socket that ``codex app-server daemon`` (and
``--listen unix://``) serves under ``CODEX_HOME``:
``$CODEX_HOME/app-server-control/app-server-control.sock``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import anyio

from .binary import default_control_socket_path
from .errors import TransportClosedError
from .websocket import WebSocketTransport, _require_websockets

if TYPE_CHECKING:
    from anyio.abc import ByteStream

__all__ = ["UnixSocketTransport"]


class UnixSocketTransport(WebSocketTransport):
    """A WebSocket connection over the runtime's Unix socket."""

    @classmethod
    async def connect(  # type: ignore[override]
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        codex_home: str | os.PathLike[str] | None = None,
        token: str | None = None,
        open_timeout: float = 10.0,
    ) -> UnixSocketTransport:
        """Connect to ``path``, or to the default control socket under ``codex_home``
        (default ``$CODEX_HOME``, else ``~/.codex``).

        A missing socket or a refused connection raises :class:`TransportClosedError` (is the
        daemon running? ``codex app-server daemon start``).
        """
        ws = _require_websockets()
        socket_path = (
            os.fspath(path) if path is not None else str(default_control_socket_path(codex_home))
        )
        description = f"WebSocket over Unix socket {socket_path}"
        try:
            with anyio.fail_after(open_timeout):
                stream: ByteStream = await anyio.connect_unix(socket_path)
        except TimeoutError:
            raise TransportClosedError(f"timed out connecting to {socket_path}") from None
        except OSError as exc:
            hint = "" if path is not None else " (is `codex app-server daemon` running?)"
            raise TransportClosedError(
                f"could not connect to the app-server socket {socket_path}: {exc}{hint}"
            ) from exc
        uri = ws.uri.parse_uri("ws://localhost/")
        transport = await cls._handshake(stream, uri, description, token, None, open_timeout)
        assert isinstance(transport, UnixSocketTransport)
        return transport
