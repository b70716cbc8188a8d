"""The loopback HTTP server speaking the Responses API's server-sent events."""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import select
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._config import DEFAULT_MODEL_NAME, write_codex_home
from ._replies import (
    FunctionCallOutput,
    MessageOutput,
    ReasoningOutput,
    Reply,
    Usage,
    split_text,
)

if TYPE_CHECKING:
    from openai_codex import CodexConfig

__all__ = ["OfflineModel", "RecordedRequest", "Responder"]


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the runtime made to the offline model."""

    method: str
    path: str
    headers: Mapping[str, str]
    """Header names are lower-case."""
    body: Any
    """The parsed JSON body (``None`` when there is none or it is not JSON)."""
    raw_body: bytes = field(repr=False)

    @property
    def input(self) -> list[dict[str, Any]]:
        """The Responses API ``input`` items (conversation so far) of this request."""
        if isinstance(self.body, dict) and isinstance(self.body.get("input"), list):
            return [item for item in self.body["input"] if isinstance(item, dict)]
        return []

    @property
    def user_texts(self) -> list[str]:
        """The text of every user message in ``input``, in order (context messages included)."""
        texts: list[str] = []
        for item in self.input:
            if item.get("type") == "message" and item.get("role") == "user":
                parts = [
                    part.get("text", "")
                    for part in item.get("content") or []
                    if isinstance(part, dict) and part.get("type") == "input_text"
                ]
                texts.append("".join(parts))
        return texts

    @property
    def last_user_text(self) -> str | None:
        """The text of the last user message: the prompt of the turn (or steer input)."""
        texts = self.user_texts
        return texts[-1] if texts else None

    @property
    def function_call_outputs(self) -> list[dict[str, Any]]:
        """The ``function_call_output`` items in ``input`` (tool results sent back)."""
        return [item for item in self.input if item.get("type") == "function_call_output"]

    @property
    def tool_names(self) -> list[str]:
        """The names of the tools the runtime offered the model."""
        tools = self.body.get("tools") if isinstance(self.body, dict) else None
        return [str(t.get("name")) for t in tools or [] if isinstance(t, dict) and t.get("name")]

    @property
    def thread_id(self) -> str | None:
        """The runtime's thread id (``thread-id`` header)."""
        return self.headers.get("thread-id")

    @property
    def turn_id(self) -> str | None:
        """The runtime's turn id (from the ``x-codex-turn-metadata`` header)."""
        raw = self.headers.get("x-codex-turn-metadata")
        if not raw:
            return None
        try:
            value = json.loads(raw).get("turn_id")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None


Responder = Callable[[RecordedRequest], Reply]
"""A function choosing the reply for a request (for a default or a queued entry)."""

Matcher = Callable[[RecordedRequest], bool]


def echo_reply(request: RecordedRequest) -> Reply:
    """The default reply: a short deterministic message quoting the prompt, in a few deltas."""
    prompt = request.last_user_text
    if request.function_call_outputs and request.input[-1].get("type") == "function_call_output":
        text = "The tool finished."
    elif prompt and "CONTEXT CHECKPOINT COMPACTION" in prompt:
        text = "Offline model summary of the conversation so far."
    elif prompt:
        text = f"Offline model reply to: {prompt.strip()[:200]}"
    else:
        text = "Offline model reply."
    return Reply.text(text, deltas=min(4, len(text)))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

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
    server: _Server

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

    def _record(self) -> RecordedRequest:
        raw = self._read_body()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        return RecordedRequest(self.command, self.path, headers, body, raw)

    def do_GET(self) -> None:
        self._not_found(self._record())

    def do_POST(self) -> None:
        request = self._record()
        path = self.path.split("?", 1)[0]
        if not path.rstrip("/").endswith("/responses"):
            self._not_found(request)
            return
        reply, generation = self.server.owner._next_reply(request)
        _Stream(self, reply, self.server.owner, generation).run()

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


class _Stream:
    """Writes one reply as a chunked ``text/event-stream`` body."""

    def __init__(
        self, handler: _Handler, reply: Reply, owner: OfflineModel, generation: int
    ) -> None:
        self.generation = generation
        self.handler = handler
        self.reply = reply
        self.owner = owner
        self.response_id = owner._new_id("resp")
        self.output_items: list[dict[str, Any]] = []

    def run(self) -> None:
        try:
            self._run()
        except (OSError, _Dropped):
            # The client went away (interrupt, runtime exit) or the drop was on purpose.
            self.handler.close_connection = True

    def _run(self) -> None:
        reply = self.reply
        handler = self.handler
        if reply.kind == "http_error":
            error_type = reply.error_type
            if error_type is None:
                error_type = "server_error" if reply.status >= 500 else "invalid_request_error"
            error: dict[str, Any] = {"message": reply.error_message, "type": error_type}
            error["code"] = reply.error_code
            error["param"] = None
            handler._send_json(reply.status, {"error": error}, reply.headers)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        self._events()

    def _events(self) -> None:
        reply = self.reply
        self._send(
            "response.created",
            {"response": self._response("in_progress")},
        )
        for index, output in enumerate(reply.outputs):
            self._output(index, output)
        if reply.kind == "outputs":
            usage = reply.usage or _default_usage(reply)
            response = self._response("completed")
            response["output"] = self.output_items
            response["usage"] = usage.to_wire()
            self._send("response.completed", {"response": response})
            self._end()
        elif reply.kind == "failed":
            response = self._response("failed")
            response["error"] = {"code": reply.error_code, "message": reply.error_message}
            self._send("response.failed", {"response": response})
            self._end()
        elif reply.kind == "hang":
            self.owner._wait_released(self.handler.connection, self.generation)
            self._drop()
        elif reply.kind == "cut_short":
            if reply.abort:
                self._drop()
            self._end()

    def _response(self, status: str) -> dict[str, Any]:
        return {
            "id": self.response_id,
            "object": "response",
            "created_at": int(time.time()),
            "status": status,
            "model": self.owner.model_name,
            "output": [],
        }

    def _output(
        self, index: int, output: MessageOutput | ReasoningOutput | FunctionCallOutput
    ) -> None:
        base = {"output_index": index}
        if isinstance(output, MessageOutput):
            item_id = self.owner._new_id("msg")
            item: dict[str, Any] = {
                "type": "message",
                "id": item_id,
                "role": "assistant",
                "status": "in_progress",
                "content": [],
            }
            if output.phase is not None:
                item["phase"] = output.phase
            self._send("response.output_item.added", {**base, "item": item})
            part = {"type": "output_text", "text": "", "annotations": []}
            where = {**base, "item_id": item_id, "content_index": 0}
            self._send("response.content_part.added", {**where, "part": part})
            for delta in split_text(output.text, output.deltas):
                self._send("response.output_text.delta", {**where, "delta": delta})
            if self.reply.kind in ("hang", "cut_short"):
                return
            self._send("response.output_text.done", {**where, "text": output.text})
            done_part = {"type": "output_text", "text": output.text, "annotations": []}
            self._send("response.content_part.done", {**where, "part": done_part})
            item = {**item, "status": "completed", "content": [done_part]}
        elif isinstance(output, ReasoningOutput):
            item_id = self.owner._new_id("rs")
            item = {"type": "reasoning", "id": item_id, "summary": []}
            self._send("response.output_item.added", {**base, "item": item})
            where = {**base, "item_id": item_id, "summary_index": 0}
            part = {"type": "summary_text", "text": ""}
            self._send("response.reasoning_summary_part.added", {**where, "part": part})
            for delta in split_text(output.summary, output.deltas):
                self._send("response.reasoning_summary_text.delta", {**where, "delta": delta})
            self._send("response.reasoning_summary_text.done", {**where, "text": output.summary})
            item = {**item, "summary": [{"type": "summary_text", "text": output.summary}]}
        else:
            item_id = self.owner._new_id("fc")
            call_id = output.call_id or self.owner._new_id("call")
            item = {
                "type": "function_call",
                "id": item_id,
                "call_id": call_id,
                "name": output.name,
                "arguments": "",
                "status": "in_progress",
            }
            if output.namespace is not None:
                item["namespace"] = output.namespace
            self._send("response.output_item.added", {**base, "item": item})
            where = {**base, "item_id": item_id}
            self._send(
                "response.function_call_arguments.delta", {**where, "delta": output.arguments}
            )
            self._send(
                "response.function_call_arguments.done", {**where, "arguments": output.arguments}
            )
            item = {**item, "arguments": output.arguments, "status": "completed"}
        self.output_items.append(item)
        self._send("response.output_item.done", {**base, "item": item})

    def _send(self, event: str, data: dict[str, Any]) -> None:
        if self.reply.delay > 0 and self.owner._closing.wait(self.reply.delay):
            self._drop()
        if self.owner._closing.is_set():
            self._drop()
        payload = json.dumps({"type": event, **data}, separators=(",", ":"))
        chunk = f"event: {event}\ndata: {payload}\n\n".encode()
        wfile = self.handler.wfile
        wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        wfile.flush()

    def _end(self) -> None:
        self.handler.wfile.write(b"0\r\n\r\n")
        self.handler.wfile.flush()

    def _drop(self) -> None:
        self.handler.close_connection = True
        with contextlib.suppress(OSError):
            self.handler.connection.shutdown(socket.SHUT_RDWR)
        raise _Dropped


class _Dropped(Exception):
    """The connection was dropped on purpose (hang released, abort, server closing)."""


def _default_usage(reply: Reply) -> Usage:
    words = 0
    for output in reply.outputs:
        if isinstance(output, MessageOutput):
            words += len(output.text.split())
        elif isinstance(output, ReasoningOutput):
            words += len(output.summary.split())
        else:
            words += 1
    return Usage(input_tokens=10, output_tokens=max(1, words))


class OfflineModel:
    """A loopback Responses-API server for running real Codex turns with no network and no key.

    Start it with ``with OfflineModel() as model:`` (or ``async with``), queue replies with
    :meth:`enqueue`, point the runtime at it with :meth:`codex_config` (or
    :meth:`codex_home`), and inspect :attr:`requests` afterwards. When nothing is queued
    (or nothing queued matches), ``default`` answers: by default a short message quoting the
    prompt. The server runs on its own thread, so it serves sync and async clients under any
    event loop; every method is thread-safe.

    ``max_recorded_requests`` keeps only the latest requests (for long runs such as soak
    tests, where every request carries the whole conversation); ``None`` keeps all.
    """

    def __init__(
        self,
        *,
        default: Reply | Responder | None = None,
        model_name: str = DEFAULT_MODEL_NAME,
        max_recorded_requests: int | None = None,
    ) -> None:
        self.model_name = model_name
        self._default: Reply | Responder = default if default is not None else echo_reply
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queue: list[tuple[Matcher | None, Reply | Responder]] = []
        self._requests: collections.deque[RecordedRequest] = collections.deque(
            maxlen=max_recorded_requests
        )
        self._request_count = 0
        self._errors: list[Exception] = []
        self._closing = threading.Event()
        self._hang_generation = 0
        self._connections: set[socket.socket] = set()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._homes: list[Path] = []

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> OfflineModel:
        """Bind a free loopback port and start serving (idempotent). Returns ``self``."""
        with self._lock:
            if self._closing.is_set():
                raise RuntimeError("this OfflineModel was closed; create a new one")
            if self._server is not None:
                return self
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"openai_codex.testing.OfflineModel:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, drop open streams (hung ones too) and remove temporary homes."""
        self._closing.set()
        server, thread = self._server, self._thread
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            connections = list(self._connections)
            self._changed.notify_all()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        for home in self._homes:
            shutil.rmtree(home, ignore_errors=True)
        self._homes.clear()

    def __enter__(self) -> OfflineModel:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> OfflineModel:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- addresses and configuration -------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the OfflineModel is not started; use `with OfflineModel() as m:`")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The provider base URL, ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def codex_home(self, directory: str | Path | None = None) -> Path:
        """Write a ``config.toml`` pointing the runtime at this server; return the home.

        Without ``directory`` a fresh temporary directory is made (removed by :meth:`close`).
        Set the runtime's ``CODEX_HOME`` environment variable to the result.
        """
        if directory is None:
            home = Path(tempfile.mkdtemp(prefix="codex-offline-home-"))
            self._homes.append(home)
        else:
            home = Path(directory)
        return write_codex_home(home, self.base_url, model_name=self.model_name)

    def env(self, directory: str | Path | None = None) -> dict[str, str]:
        """The environment variables the runtime needs: ``{"CODEX_HOME": ...}``."""
        return {"CODEX_HOME": str(self.codex_home(directory))}

    def codex_config(self, *, codex_home: str | Path | None = None, **fields: Any) -> CodexConfig:
        """An ``openai_codex.CodexConfig`` whose runtime talks to this server.

        ``fields`` are passed to ``CodexConfig`` (``cwd``, ``codex_bin``, ...); an ``env``
        given there is kept and ``CODEX_HOME`` is added to it.
        """
        from openai_codex import CodexConfig

        env = dict(fields.pop("env", None) or {})
        env.update(self.env(codex_home))
        return CodexConfig(env=env, **fields)

    # -- scripting ---------------------------------------------------------------------

    def enqueue(
        self,
        *replies: Reply | Responder,
        when: str | Matcher | None = None,
    ) -> None:
        """Queue replies for the next model requests, in order.

        ``when`` restricts them to matching requests: a string matches requests whose
        last user message contains it; a function gets the ``RecordedRequest``. Requests
        that match no queued reply get the default reply.
        """
        matcher: Matcher | None
        if isinstance(when, str):
            needle = when

            def matcher(request: RecordedRequest) -> bool:
                return needle in (request.last_user_text or "")

        else:
            matcher = when
        with self._lock:
            self._queue.extend((matcher, reply) for reply in replies)

    def set_default(self, reply: Reply | Responder) -> None:
        """Change the reply used when no queued reply matches."""
        with self._lock:
            self._default = reply

    @property
    def pending(self) -> int:
        """How many queued replies have not been used yet."""
        with self._lock:
            return len(self._queue)

    def release_hangs(self) -> None:
        """End the hung streams (``Reply.hang``) of every request received so far.

        Their connections are dropped, so the runtime sees a broken stream.
        """
        with self._changed:
            self._hang_generation += 1
            self._changed.notify_all()

    # -- inspection --------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        """How many requests arrived in total (recorded or not)."""
        with self._lock:
            return self._request_count

    @property
    def errors(self) -> list[Exception]:
        """Exceptions raised by your ``when=`` matchers or responder functions (each one
        was answered with HTTP 500)."""
        with self._lock:
            return list(self._errors)

    def clear_requests(self) -> None:
        """Forget the recorded requests (``request_count`` keeps counting)."""
        with self._lock:
            self._requests.clear()

    @property
    def response_requests(self) -> list[RecordedRequest]:
        """The ``POST .../responses`` requests (model calls) received so far."""
        return [r for r in self.requests if r.path.split("?", 1)[0].endswith("/responses")]

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> list[RecordedRequest]:
        """Block until at least ``count`` requests arrived in total; return the recorded ones.

        Raises ``TimeoutError`` after ``timeout`` seconds (or when the model closes).
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._request_count < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closing.is_set():
                    raise TimeoutError(
                        f"offline model got {self._request_count} requests, expected {count}"
                    )
                self._changed.wait(remaining)
            return list(self._requests)

    # -- internals used by the handler -------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._changed:
            self._requests.append(request)
            self._request_count += 1
            self._changed.notify_all()

    def _next_reply(self, request: RecordedRequest) -> tuple[Reply, int]:
        generation = 0
        try:
            with self._changed:
                generation = self._hang_generation
                self._requests.append(request)
                self._request_count += 1
                self._changed.notify_all()
                chosen: Reply | Responder = self._default
                for index, (matcher, reply) in enumerate(self._queue):
                    if matcher is None or matcher(request):
                        chosen = reply
                        del self._queue[index]
                        break
            return (chosen if isinstance(chosen, Reply) else chosen(request)), generation
        except Exception as exc:
            # A bug in a test's matcher or responder: answer HTTP 500 and keep it for asserts.
            with self._lock:
                self._errors.append(exc)
            return Reply.error(500, f"offline model: responder raised {exc!r}"), generation

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_offline_{next(self._ids)}"

    def _wait_released(self, connection: socket.socket, generation: int) -> None:
        """Wait for ``release_hangs()``, ``close()`` or the client going away."""
        while True:
            with self._changed:
                if self._closing.is_set() or self._hang_generation != generation:
                    return
            readable, _, _ = select.select([connection], [], [], 0.1)
            if readable:
                try:
                    if not connection.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "not started"
        return f"<OfflineModel {where} requests={self._request_count} queued={len(self._queue)}>"
