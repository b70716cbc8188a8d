"""``Session``: the live state under one client, started and closed as one.

A session owns the runtime connection, the notification router, the active turns, the
host control (handlers, tools, structured output, tracing; made on first use), the goal
registry, the keyed streams (command output, file watches) and the event subscriptions.
``AsyncCodex`` is the public face over one session; threads, turn handles, commands,
files, history, logins, goals and the low-level client take the session and call its
public methods only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import anyio

from openai_codex_transport import (
    USE_CONNECTION_DEFAULT,
    ConnectionDefault,
    JsonRpcConnection,
    ServerBusyError,
    TransportClosedError,
)

from ...tracing import current_trace_context
from ..goals.pause import pause_goals
from ..parsing import parse_result
from ..threads.sandbox_memory import SandboxMemory
from ..turns.active import ActiveTurns
from ..turns.log import LOGGED_METHODS, log_turn_event
from ..turns.running_items import RunningItems
from .keyed import KeyedStreams
from .router import Router
from .runtime import connect

if TYPE_CHECKING:
    from ...handlers import ServerRequestHandlers
    from ..config import CodexConfig
    from ..goals.registry import GoalRegistry
    from ..host.control import HostControl
    from .metadata import InitializeResponse
    from .runtime import EarlyStart
    from .subscriptions import AsyncEventStream

_log = logging.getLogger("openai_codex")


class Session:
    """One client's connection and everything that lives as long as it.

    Lazy: :meth:`ensure_started` spawns (or attaches to) the runtime and completes
    ``initialize`` once, even under concurrent first calls. :meth:`close` interrupts
    running turns and stops the runtime; after it, implicit calls raise
    ``TransportClosedError`` until :meth:`reopen`.
    """

    def __init__(self, config: CodexConfig | None, handlers: ServerRequestHandlers | None) -> None:
        #: the client's configuration (``None``: the defaults, built when the runtime starts)
        self.config = config
        self._host_control: HostControl | None = None
        self._initial_handlers = handlers
        #: routes the runtime's notifications to turns, logins and listeners
        self.router = Router()
        #: the turns this client started and has not seen complete (made on start)
        self.active: ActiveTurns | None = None
        #: close() was called: implicit calls no longer restart
        self.closed = False
        self._conn: JsonRpcConnection | None = None
        self._metadata: InitializeResponse | None = None
        self._initialize_result: Any = None  # validated into _metadata on first access
        self._start_lock: anyio.Lock | None = None  # made by the first start (see there)
        self._dead: TransportClosedError | None = None
        #: the sandbox policy each thread runs with, as far as this client knows
        self.sandboxes = SandboxMemory()
        #: goal turns, subscriptions and goal states (goals/registry.py), made on start
        self.goals: GoalRegistry | None = None
        self._keyed: dict[str, KeyedStreams] = {}
        #: live event subscriptions (subscriptions.py), failed when the connection goes
        self.streams: set[AsyncEventStream] = set()
        #: the items the runtime works on now (a file change an approval asks about)
        self.running_items = RunningItems()
        #: a runtime started before the loop (the sync client's early start), not yet adopted
        self._early: EarlyStart | None = None

    # -- state -----------------------------------------------------------------------
    def state(self) -> str:
        """``open: codex app-server (pid 123)``, ``not started``, ``closed``, ``dead: ...``."""
        if self._dead is not None:
            return f"dead: {self._dead}"
        conn = self._conn
        if conn is None:
            return "closed" if self.closed else "not started"
        return f"open: {conn.transport.description}"

    @property
    def connection(self) -> JsonRpcConnection | None:
        """The live connection, or ``None`` before the start and after ``close()``."""
        return self._conn

    @property
    def dead(self) -> TransportClosedError | None:
        """Why the connection went away on its own (``None`` while it is up)."""
        return self._dead

    @property
    def live(self) -> bool:
        """True while the connection is up (started, not closed, not dead)."""
        return self._conn is not None and self._dead is None

    def start_early(self) -> None:
        """Start the runtime now, before anything else of the start (the sync client: before
        its event loop exists; see ``runtime.early_start``); ``ensure_started`` adopts it.
        Not while another start is under way. Raises start errors as the spawn would."""
        from .runtime import early_start

        starting = self._start_lock is not None and self._start_lock.locked()
        if self._early is None and self._conn is None and not starting:
            self._early = early_start(self.config)

    def discard_early(self) -> None:
        """Stop a runtime started early that was never adopted (idempotent)."""
        early, self._early = self._early, None
        if early is not None:
            early.discard()

    def reopen(self) -> None:
        """Let the next call start the runtime again after ``close()``."""
        self.closed = False

    # -- lifecycle -------------------------------------------------------------------
    async def ensure_started(self) -> JsonRpcConnection:
        """The connection, started (and ``initialize`` completed) on first use."""
        conn = self._conn
        if conn is not None:
            if self._dead is not None:
                raise self.dead_error()
            return conn
        if self.closed:
            raise TransportClosedError(
                "this AsyncCodex client is closed; use `async with AsyncCodex()` or a new client"
            )
        # the runtime first (it boots meanwhile), then anything that loads anyio's backend
        # (~10 ms the first time: its lock is made here, not in __init__)
        self.start_early()
        if self._start_lock is None:
            self._start_lock = anyio.Lock()
        async with self._start_lock:
            if self._conn is not None:
                if self._dead is not None:
                    raise self.dead_error()
                return self._conn
            router = self.router = Router()
            self._keyed = {}
            # OPENAI_CODEX_LOG=info: one line per step
            router.add_listener(log_turn_event, LOGGED_METHODS)
            active = self.active = ActiveTurns()
            router.add_listener(active.observe, ActiveTurns.OBSERVED)
            # what approvals refer to
            router.add_listener(self.running_items.observe, RunningItems.OBSERVED)
            # goal refusal follows thread/goal/updated from any source (the low-level
            # client, another client of the runtime), not only this client's goal calls
            self.goal_registry()
            self._dead = None
            early, self._early = self._early, None
            try:
                conn, result = await connect(
                    self.config,
                    on_notification=router.route,
                    on_request=self._on_server_request,
                    on_close=self._on_close,
                    early=early,
                )
            except BaseException:
                if early is not None:
                    early.discard()  # (a no-op once adopted: the transport closed it)
                raise
            self._initialize_result = result
            self._conn = conn
            return conn

    def _on_close(self, exc: TransportClosedError) -> None:
        if self._dead is None:
            self._dead = exc
        self.router.fail_all(exc)
        for streams in self._keyed.values():
            streams.fail_all(exc)
        for stream in tuple(self.streams):
            stream._fail(exc)

    def dead_error(self) -> TransportClosedError:
        """A fresh copy of the error the connection died with (its cause: the original)."""
        dead = self._dead
        assert dead is not None
        err = dead._copy()
        err.__cause__ = dead
        return err

    async def close(self) -> None:
        """Pause active goals, interrupt running turns, then stop the runtime (bounded: ~1 s
        for the pauses, ~2 s for the interrupts).

        Idempotent; never raises for a runtime that already died.
        """
        self.closed = True
        self.discard_early()
        conn = self._conn
        active = self.active
        if active is not None:
            active.cancel_watchers()
        attached = self.config is not None and self.config.url is not None
        goals = () if self.goals is None else self.goals.to_pause(own_runtime=not attached)
        if (
            conn is not None
            and active is not None
            and self._dead is None
            and (len(active) or goals)
        ):
            with anyio.CancelScope(shield=True):
                try:
                    # active goals first (as a goal handle's interrupt() does): the runtime
                    # would otherwise start their next turns with nobody attending
                    await pause_goals(conn.request, goals)
                    await active.interrupt_all(conn.request)
                except Exception:  # closing goes on whatever the interrupts did
                    _log.debug("error while interrupting turns on close", exc_info=True)
        conn, self._conn = self._conn, None
        self._metadata = None
        self._initialize_result = None
        self.sandboxes.clear()
        if self._host_control is not None:
            self._host_control.forget_threads()
        if conn is None:
            return
        with anyio.CancelScope(shield=True):
            try:
                with anyio.move_on_after(15):
                    await conn.aclose()
            except Exception:  # closing must not mask the error that led here
                _log.debug("error while closing the runtime connection", exc_info=True)
        closed = TransportClosedError("the client was closed")
        if self._dead is None:
            self.router.fail_all(closed)

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize`` (started sessions only)."""
        if self._metadata is None:
            if self._initialize_result is None:
                raise RuntimeError(
                    "AsyncCodex is not started yet: use `async with AsyncCodex()` or await a call"
                )
            from .metadata import metadata_from

            self._metadata = metadata_from(self._initialize_result)
        return self._metadata

    # -- the parts made on first use ---------------------------------------------------
    @property
    def host(self) -> HostControl:
        """The host control (handlers, tools, structured output, spans), made on first use."""
        host = self._host_control
        if host is None:
            from ..host.control import HostControl

            host = self._host_control = HostControl(
                self.push_to_turn, self._initial_handlers, item_of=self.running_items.get
            )
            self._initial_handlers = None
        return host

    def forget_thread(self, thread_id: str) -> None:
        """Drop what the host control keeps for ``thread_id`` (archived or deleted)."""
        if self._host_control is not None:
            self._host_control.forget_thread(thread_id)

    def goal_registry(self) -> GoalRegistry:
        """The goal registry (made on first use), listening to the current router."""
        registry = self.goals
        if registry is None:
            from ..goals.registry import GoalRegistry

            registry = self.goals = GoalRegistry()
        registry.listen(self.router)
        return registry

    def push_to_turn(self, turn_id: str, method: str, params: dict[str, Any]) -> None:
        """Deliver a host-made event (``handlerFailed``, ...) to the turn it belongs to."""
        if not self.router.push_to_turn(turn_id, method, params) and self.goals is not None:
            self.goals.push_to_runtime_turn(turn_id, method, params)

    def keyed_streams(self, method: str, key: str) -> KeyedStreams:
        """The per-key sinks of ``method`` on this connection (call once started)."""
        streams = self._keyed.get(method)
        if streams is None:
            streams = self._keyed[method] = KeyedStreams(method, key)
            self.router.add_listener(streams.listener, (method,))
        return streams

    # -- requests --------------------------------------------------------------------
    async def request(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        timeout: float | None | ConnectionDefault = USE_CONNECTION_DEFAULT,  # noqa: ASYNC109
    ) -> Any:
        """Send ``method`` and return its raw result (starting the runtime if needed).

        An overload refusal (-32001) is sent again with backoff within the deadline.
        """
        conn = await self.ensure_started()
        trace = current_trace_context()
        try:
            try:
                if trace is not None:
                    return await conn.request(method, params, timeout=timeout, trace=trace)
                return await conn.request(method, params, timeout=timeout)
            except ServerBusyError as refused:
                # refused unprocessed because the runtime's queue was full: send it again
                # within what is left of the deadline (no clock read on the common path)
                from ..config import DEFAULT_MAX_RETRIES
                from .overload import attempts_allowed, send_retrying_overload

                config = self.config
                attempts = attempts_allowed(
                    DEFAULT_MAX_RETRIES if config is None else config.max_retries
                )
                if attempts <= 1:
                    raise

                async def send(left: float | None) -> Any:
                    return await conn.request(method, params, timeout=left, trace=trace)

                return await send_retrying_overload(
                    send, method, refused.seconds_left, refused, attempts
                )
        except TransportClosedError:
            if self._dead is not None:
                raise self.dead_error() from None
            raise

    async def typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """The result of ``method`` validated as its registered result model."""
        return parse_result(method, await self.request(method, params))

    async def _on_server_request(self, method: str, params: Any) -> Any:
        """The answer to one server request: the handlers' or the fail-closed default."""
        return await self.host.answer_server_request(
            method, params if isinstance(params, dict) else {}
        )


__all__ = ["Session"]
