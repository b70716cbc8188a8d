"""WebSocket transports: ``codex app-server --listen ws://IP:PORT`` and ``--listen unix://PATH``.

One JSON-RPC message per text frame. The WebSocket protocol itself comes from the
``websockets`` package's sans-I/O layer (the ``websockets`` extra of this package), driven here
over anyio byte streams, so the same code runs on asyncio and trio and over TCP or a Unix
socket. Pings are answered as they arrive; messages of any size are accepted (no frame limit).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import anyio

from ._background import current_backend
from ._transport import Transport
from .errors import TransportClosedError
from .redaction import logger, protect_logger, redact_text

if TYPE_CHECKING:
    import ssl

    from anyio.abc import ByteStream
    from websockets.client import ClientProtocol


class _NoHeaders(logging.Filter):
    """Drops the ``websockets`` protocol's HTTP header lines (``> Authorization: ...``):
    no header of the attach handshake reaches a handler, whatever its scheme or name."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in ("> %s: %s", "< %s: %s")


def _protocol_logger() -> logging.Logger:
    """The logger of the ``websockets`` protocol objects of attach connections (instead of
    the library's ``websockets.client``): headers dropped, every record redacted."""
    target = protect_logger("openai_codex_transport.websocket")
    if not any(isinstance(f, _NoHeaders) for f in target.filters):
        target.filters.insert(0, _NoHeaders())
    return target


__all__ = ["WebSocketTransport"]

_READ_SIZE = 1 << 18


def _require_websockets() -> Any:
    try:
        import websockets.client
        import websockets.frames
        import websockets.http11
        import websockets.uri
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the WebSocket and Unix-socket transports need the `websockets` package: "
            "pip install 'openai-codex-transport[websockets]'"
        ) from exc
    return websockets


class WebSocketTransport(Transport):
    """A WebSocket connection to a running ``codex app-server``.

    Use :meth:`connect` for ``ws://``/``wss://`` URLs; :class:`UnixSocketTransport` for the
    runtime's Unix control socket. ``token`` is sent as ``Authorization: Bearer <token>`` (the
    runtime's ``--ws-auth capability-token --ws-token-file FILE``). The URL is shown in
    messages and logs redacted (query secrets such as ``?token=``, ``user:password@``).
    """

    def __init__(self, stream: ByteStream, protocol: ClientProtocol, description: str) -> None:
        super().__init__()
        ws = _require_websockets()
        self._stream = stream
        self._protocol = protocol
        self._description = description
        self._text = ws.frames.Opcode.TEXT
        self._binary = ws.frames.Opcode.BINARY
        self._cont = ws.frames.Opcode.CONT
        self._close_op = ws.frames.Opcode.CLOSE
        self._fragments: list[bytes] = []
        self._ready: list[bytes | str] = []
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._shield_writes = current_backend() == "trio"
        self._close_error: TransportClosedError | None = None
        self._eof = False

    @property
    def description(self) -> str:
        """The peer's address (secrets redacted), for messages."""
        return self._description

    def __str__(self) -> str:
        return self._description

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        open_timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> WebSocketTransport:
        """Connect to ``url`` (``ws://host:port`` or ``wss://...``) and complete the handshake.

        A refused connection or a rejected handshake (e.g. HTTP 401 for a wrong token) raises
        :class:`TransportClosedError`.
        """
        ws = _require_websockets()
        shown = redact_text(url)  # a ?token= or user:password@ never reaches a log or an error
        try:
            uri = ws.uri.parse_uri(url)
        except Exception as exc:
            raise ValueError(f"not a WebSocket URL: {shown!r} ({redact_text(str(exc))})") from None
        try:
            with anyio.fail_after(open_timeout):
                if uri.secure:
                    import ssl

                    stream: ByteStream = await anyio.connect_tcp(
                        uri.host,
                        uri.port,
                        tls=True,
                        ssl_context=ssl_context or ssl.create_default_context(),
                        tls_standard_compatible=False,
                    )
                else:
                    stream = await anyio.connect_tcp(uri.host, uri.port)
        except TimeoutError:
            raise TransportClosedError(f"timed out connecting to {shown}") from None
        except OSError as exc:
            raise TransportClosedError(f"could not connect to {shown}: {exc}") from exc
        return await cls._handshake(stream, uri, f"WebSocket {shown}", token, headers, open_timeout)

    @classmethod
    async def _handshake(
        cls,
        stream: ByteStream,
        uri: Any,
        description: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        open_timeout: float,
    ) -> WebSocketTransport:
        ws = _require_websockets()
        protocol = ws.client.ClientProtocol(uri, max_size=None, logger=_protocol_logger())
        request = protocol.connect()
        if token is not None:
            request.headers["Authorization"] = f"Bearer {token}"
        for key, value in (headers or {}).items():
            request.headers[key] = value
        protocol.send_request(request)
        transport = cls(stream, protocol, description)
        try:
            with anyio.fail_after(open_timeout):
                for data in protocol.data_to_send():
                    await stream.send(data)
                response = None
                while response is None:
                    try:
                        chunk = await stream.receive(_READ_SIZE)
                    except anyio.EndOfStream:
                        protocol.receive_eof()
                        if protocol.handshake_exc is None:
                            raise TransportClosedError(
                                f"{description}: connection closed during the handshake"
                            ) from None
                        break
                    protocol.receive_data(chunk)
                    for event in protocol.events_received():
                        if isinstance(event, ws.http11.Response):
                            response = event
                        else:
                            transport._on_event(event)
        except TimeoutError:
            await stream.aclose()
            raise TransportClosedError(f"{description}: handshake timed out") from None
        except (OSError, anyio.BrokenResourceError) as exc:
            await stream.aclose()
            raise TransportClosedError(f"{description}: handshake failed: {exc}") from exc
        except BaseException:
            await stream.aclose()
            raise
        if protocol.handshake_exc is not None:
            await stream.aclose()
            raise TransportClosedError(
                f"{description}: handshake rejected: {redact_text(str(protocol.handshake_exc))}"
            )
        logger.debug("connected: %s", description)
        return transport

    # -- frames -----------------------------------------------------------------------------------

    def _on_event(self, event: Any) -> None:
        opcode = getattr(event, "opcode", None)
        if opcode is self._text or opcode is self._binary:
            if event.fin:
                self._ready.append(event.data)
            else:
                self._fragments = [event.data]
        elif opcode is self._cont:
            self._fragments.append(event.data)
            if event.fin:
                self._ready.append(b"".join(self._fragments))
                self._fragments = []
        elif opcode is self._close_op:
            self._eof = True
        # pings are answered by the protocol object itself; pongs need nothing

    def _peer_closed_error(self, reason: str | None = None) -> TransportClosedError:
        if self._close_error is None:
            if self._closing:
                message = f"{self._description}: transport closed by the client"
            else:
                code = self._protocol.close_code
                detail = reason or (
                    f"close code {code}"
                    + (f" ({self._protocol.close_reason})" if self._protocol.close_reason else "")
                    if code is not None
                    else "connection lost"
                )
                message = f"{self._description}: the app-server closed the connection: {detail}"
            self._close_error = TransportClosedError(message)
        return self._close_error._copy()

    async def _flush(self) -> None:
        """Send what the protocol queued (the caller holds the send lock)."""
        for data in self._protocol.data_to_send():
            if data:
                await self._stream.send(data)

    async def receive_batch(self) -> list[bytes | str]:
        """The next messages received (``TransportClosedError`` once the connection is gone)."""
        while True:
            if self._ready:
                ready = self._ready
                self._ready = []
                return ready
            if self._eof or self._close_error is not None:
                raise self._peer_closed_error()
            try:
                chunk = await self._stream.receive(_READ_SIZE)
            except anyio.EndOfStream:
                self._protocol.receive_eof()
                self._eof = True
            except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError) as exc:
                self._eof = True
                raise self._peer_closed_error(str(exc) or type(exc).__name__) from None
            else:
                self._protocol.receive_data(chunk)
            for event in self._protocol.events_received():
                self._on_event(event)
            if self._protocol.writes:  # pong or close reply queued by the protocol
                try:
                    async with self._send_lock:
                        await self._flush()
                except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                    self._eof = True

    async def send_bytes(self, data: bytes) -> None:
        """Send one encoded message as a text frame."""
        if self._closing or self._close_error is not None or self._eof:
            raise self._peer_closed_error()
        try:
            async with self._send_lock:
                self._protocol.send_text(data)
                if self._shield_writes:
                    with anyio.CancelScope(shield=True):
                        await self._flush()
                else:
                    await self._flush()
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError) as exc:
            raise self._peer_closed_error(str(exc) or type(exc).__name__) from None
        except Exception as exc:  # the protocol refuses to send (connection closing)
            raise self._peer_closed_error(str(exc)) from None

    async def _close(self) -> None:
        """A close frame, then the socket."""
        try:
            if not self._eof:
                with anyio.move_on_after(1.0):
                    async with self._send_lock:
                        self._protocol.send_close(1000)
                        await self._flush()
        except Exception:
            pass
        finally:
            with contextlib.suppress(Exception):
                await self._stream.aclose()
