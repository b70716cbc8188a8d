"""The HTTP side of the offline model: a threading loopback server and its request handler.

Every connection is served on its own daemon thread. ``POST .../responses`` takes the
model's next reply and streams it (see ``_sse``); any other request is recorded and
answered 404 (HEAD, which has no body, gets the standard 501 unrecorded).
"""

from __future__ import annotations

import contextlib
import json
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ._replies import Reply
from ._requests import RecordedRequest, parse_body
from ._sse import Dropped, ReplyStream, error_body

if TYPE_CHECKING:
    from ._model import OfflineModel

__all__ = ["LoopbackServer"]


class LoopbackServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` on a free ``127.0.0.1`` port serving ``owner``'s replies."""

    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 drops connections of a burst of concurrent turns under load
    # (the client then waits for a SYN retry, seconds); the runtime opens one per model call.
    request_queue_size = 128

    def __init__(self, owner: OfflineModel) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-reply (interrupt, runtime exit, close()) is normal.
        if self.owner._closing.is_set():
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.owner._track(self.connection, add=False)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def _recorded(self) -> RecordedRequest:
        raw = self._read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        return RecordedRequest(self.command, self.path, headers, parse_body(raw), raw)

    def do_GET(self) -> None:
        self._not_found(self._recorded())

    do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET  # recorded, then 404

    def do_POST(self) -> None:
        request = self._recorded()
        path = self.path.split("?", 1)[0]
        if not path.rstrip("/").endswith("/responses"):
            self._not_found(request)
            return
        reply, generation = self.server.owner._next_reply(request)
        self._answer(reply, generation)

    def _answer(self, reply: Reply, generation: int) -> None:
        try:
            if reply.kind == "http_error":
                self._send_json(reply.status, error_body(reply), reply.headers)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            ReplyStream(self.server.owner, reply, self.wfile, self.connection, generation).write()
        except (OSError, Dropped):
            # The client went away (interrupt, runtime exit) or the drop was on purpose.
            self.close_connection = True
        except Exception as exc:
            # A reply that cannot be written: keep the error for asserts, drop the stream
            # (the runtime sees a broken stream, the turn fails) instead of leaving it open.
            self.server.owner._report(exc)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _not_found(self, request: RecordedRequest) -> None:
        self.server.owner._record(request)
        self._send_json(404, {"error": {"message": f"offline model: no route {request.path}"}})

    def _send_json(
        self, status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
