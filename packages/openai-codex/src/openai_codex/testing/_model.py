"""``OfflineModel``: the public face of the offline model (lifecycle, scripting, inspection)."""

from __future__ import annotations

import collections
import contextlib
import itertools
import select
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.resources import Resource
from ..errors import OfflineModelTimeoutError
from ._config import DEFAULT_MODEL_NAME, write_codex_home
from ._http import LoopbackServer
from ._replies import Reply
from ._requests import (
    Matcher,
    RecordedRequest,
    Responder,
    check_reply_source,
    echo_reply,
    make_matcher,
)

if TYPE_CHECKING:
    from openai_codex import CodexConfig

__all__ = ["OfflineModel"]


class OfflineModel(Resource):
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
        self._default: Reply | Responder = (
            echo_reply if default is None else check_reply_source(default, "default")
        )
        # Re-entrant, so a ``when=`` matcher (run under the lock) may read ``requests`` etc.
        self._lock = threading.RLock()
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
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None
        self._homes: list[Path] = []
        self._shared_home: Path | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> OfflineModel:
        """Bind a free loopback port and start serving (idempotent). Returns ``self``."""
        with self._lock:
            if self._closing.is_set():
                raise RuntimeError("this OfflineModel was closed; create a new one")
            if self._server is not None:
                return self
            self._server = LoopbackServer(self)
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
        self._shared_home = None

    def _open(self) -> None:
        self.start()

    async def __aenter__(self) -> OfflineModel:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    # -- addresses and configuration -------------------------------------------------------

    @property
    def port(self) -> int:
        """The loopback TCP port the server listens on (raises ``RuntimeError`` before start)."""
        if self._server is None:
            raise RuntimeError("the OfflineModel is not started; use `with OfflineModel() as m:`")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The provider base URL, ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def codex_home(self, directory: str | Path | None = None, *, fresh: bool = False) -> Path:
        """Write a ``config.toml`` pointing the runtime at this server; return the home.

        Without ``directory``, the model's own home: a temporary directory made on first use
        and shared by every later call, so a second client (``Codex(model.codex_config())``)
        sees the first one's threads and can resume them. ``fresh=True`` makes a new
        temporary home instead (an empty thread store). Temporary homes are removed by
        :meth:`close`. Set the runtime's ``CODEX_HOME`` environment variable to the result.
        """
        if directory is not None:
            if fresh:
                raise ValueError("codex_home(): pass either a directory or fresh=True, not both")
            home = Path(directory)
        elif fresh or self._shared_home is None:
            home = Path(tempfile.mkdtemp(prefix="codex-offline-home-"))
            with self._lock:
                self._homes.append(home)
                if not fresh:
                    self._shared_home = home
        else:
            home = self._shared_home
        return write_codex_home(home, self.base_url, model_name=self.model_name)

    def env(self, directory: str | Path | None = None, *, fresh: bool = False) -> dict[str, str]:
        """The environment variables the runtime needs: ``{"CODEX_HOME": ...}``
        (see :meth:`codex_home`)."""
        return {"CODEX_HOME": str(self.codex_home(directory, fresh=fresh))}

    def codex_config(
        self,
        *,
        codex_home: str | Path | None = None,
        fresh_home: bool = False,
        **fields: Any,
    ) -> CodexConfig:
        """An ``openai_codex.CodexConfig`` whose runtime talks to this server.

        Every call shares the model's ``CODEX_HOME`` (threads started by one client can be
        resumed by the next); ``fresh_home=True`` gives this config a new, empty one, and
        ``codex_home=`` a directory of your own. ``fields`` are passed to ``CodexConfig``
        (``cwd``, ``codex_bin``, ...); an ``env`` given there is kept and ``CODEX_HOME`` is
        added to it.
        """
        from openai_codex import CodexConfig

        env = dict(fields.pop("env", None) or {})
        env.update(self.env(codex_home, fresh=fresh_home))
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
        that match no queued reply get the default reply. Each reply is a ``Reply`` or a
        function ``RecordedRequest -> Reply`` (called when a request takes it); anything
        else raises ``TypeError`` here.
        """
        matcher = make_matcher(when)
        checked = [check_reply_source(reply, "each enqueued reply") for reply in replies]
        with self._lock:
            self._queue.extend((matcher, reply) for reply in checked)

    def set_default(self, reply: Reply | Responder) -> None:
        """Change the reply used when no queued reply matches (a ``Reply`` or a responder)."""
        checked = check_reply_source(reply, "the default reply")
        with self._lock:
            self._default = checked

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
        """Errors of the script, for asserts (``assert model.errors == []``).

        Exceptions raised by your ``when=`` matchers or responder functions, and a
        ``TypeError`` for a responder that returned no ``Reply``: each such request was
        answered with HTTP 500. An error while writing a reply's stream is kept here too
        (that connection is dropped, so the runtime sees a broken stream).
        """
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

        Raises :class:`OfflineModelTimeoutError` (a ``TimeoutError``) after ``timeout``
        seconds (or when the model closes).
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._request_count < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closing.is_set():
                    raise OfflineModelTimeoutError(count, self._request_count, timeout)
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
            if isinstance(chosen, Reply):
                return chosen, generation
            reply = chosen(request)
            if not isinstance(reply, Reply):
                raise TypeError(
                    f"responder {getattr(chosen, '__name__', chosen)!r} returned "
                    f"{type(reply).__name__}, not a Reply"
                )
            return reply, generation
        except Exception as exc:
            # A bug in a test's matcher or responder: answer HTTP 500 and keep it for asserts.
            self._report(exc)
            return Reply.error(500, f"offline model: responder raised {exc!r}"), generation

    def _report(self, exc: Exception) -> None:
        """Keep an error of the test's script for :attr:`errors`."""
        with self._lock:
            self._errors.append(exc)

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
        with self._lock:
            count, queued = self._request_count, len(self._queue)
        return f"<OfflineModel {where} requests={count} queued={queued}>"
