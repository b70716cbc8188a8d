"""``AsyncCodexClient``: the low-level client, one typed method per runtime request.

The request methods are generated (``lowlevel_requests.py``, from the types' registry); this
module adds what is hand-written: the lifecycle, ``request``/``notify``, the notifications
that belong to no turn, per-turn and per-login notification queues, and the published
client's names that differ from the generated ones. It sends through an ``AsyncCodex``'s
connection: its own (``AsyncCodexClient(config)``) or a running client's (``codex.client``),
so there is one JSON-RPC implementation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from openai_codex_transport import InvalidRequestError, NotificationOverflowError

from ..arguments import check_seconds
from ..connection.notifications import Notification
from ..connection.sink import Sink
from ..parsing import parse_result, validate
from ..resources import AsyncResource
from ..turns.inputs import input_wire
from ..waits import wait_deadline
from ..wire import wire_value
from .requests import RequestMethods

if TYPE_CHECKING:
    from openai_codex_types import (
        AccountLoginCompletedNotification,
        AgentMessageDeltaNotification,
        ThreadCompactStartResponse,
        ThreadGoalSetResponse,
        ThreadSetNameResponse,
        TurnCompletedNotification,
        TurnStartParams,
    )

    from ...handlers import ServerRequestHandlers
    from ..client import AsyncCodex
    from ..config import CodexConfig
    from ..connection.metadata import InitializeResponse
    from ..connection.router import Router
    from ..connection.session import Session

ModelT = TypeVar("ModelT")

ApprovalHandler = Callable[[str, "dict[str, Any] | None"], "dict[str, Any]"]
"""The published client's approval callback: ``(method, params) -> response``."""

#: requests whose ``input`` field takes the published shorthands (a str, one item)
_INPUT_METHODS = frozenset({"turn/start", "turn/steer"})


def params_wire(method: str, params: Any, fields: Mapping[str, Any]) -> Any:
    """The wire params of a generated request: ``params`` (a model or a mapping) with the
    keyword ``fields`` (wire name -> value; ``None`` omitted) over it, checked against the
    method's params model (a ``ValueError`` naming the method if they do not fit)."""
    from openai_codex_types import registry

    spec = registry.client_request(method)
    if spec is None:  # pragma: no cover - the generated methods are the registry's
        raise ValueError(f"unknown request method {method!r}")
    model = spec.params_model
    if params is None:
        out: Any = {}
    elif isinstance(params, Mapping):
        out = {str(k): wire_value(v) for k, v in params.items()}
    elif model is not None and isinstance(params, model):
        out = wire_value(params)
    else:
        expected = model.__name__ if model is not None else "None"
        raise TypeError(
            f"{method}: params must be a {expected} or a mapping, not {type(params).__name__}"
        )
    for key, value in fields.items():
        if value is None:
            continue
        if key == "input" and method in _INPUT_METHODS:
            out[key] = _input_items(value)
        else:
            out[key] = wire_value(value)
    if model is None:
        return None
    try:
        model.model_validate(out)
    except ValueError as exc:
        raise ValueError(f"invalid params for {method}: {exc}") from exc
    return out


def _input_items(value: Any) -> list[Any]:
    """Turn input: a str, one item (a wire mapping, a model, a ``TextInput``...) or a list."""
    items = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    out: list[Any] = []
    for item in items:
        if isinstance(item, Mapping) or hasattr(item, "model_dump"):
            out.append(wire_value(item))
        else:
            out.extend(input_wire(item))
    return out


class AsyncCodexClient(AsyncResource, RequestMethods):
    """Low-level async client: one typed method per request of the pinned runtime.

    ``AsyncCodexClient(config)`` runs its own runtime (``async with`` or ``start()``);
    ``AsyncCodex.client`` is one on that client's connection. Each generated method (e.g.
    ``thread_goal_set``, ``account_rate_limits_read``) takes the params model's required
    fields positionally, then ``params`` (a model or a mapping), then the optional fields as
    keywords, and returns the registry's result model. ``request`` sends any method;
    ``next_notification``/``notifications`` give the notifications of no turn.
    """

    __slots__ = (
        "_codex",
        "_logins",
        "_owns",
        "_session",
        "_turns",
        "_unrouted",
        "_unrouted_remove",
        "_unrouted_router",
    )

    def __init__(
        self,
        config: CodexConfig | None = None,
        approval_handler: ApprovalHandler | None = None,
        *,
        handlers: ServerRequestHandlers | None = None,
    ) -> None:
        from ..client import AsyncCodex, session_of

        if approval_handler is not None:
            handlers = _approval_handlers(approval_handler, handlers)
        self._codex = AsyncCodex(config, handlers=handlers)
        self._session = session_of(self._codex)
        self._owns = True
        self._unrouted: Sink | None = None
        self._unrouted_remove: Callable[[], None] | None = None
        self._unrouted_router: Router | None = None
        self._turns: dict[str, Sink] = {}
        self._logins: dict[str, Sink] = {}

    @classmethod
    def _bound(cls, codex: AsyncCodex, session: Session) -> AsyncCodexClient:
        """The low-level client on ``codex``'s connection (``codex.client``)."""
        self = cls.__new__(cls)
        self._codex = codex
        self._session = session
        self._owns = False
        self._unrouted = None
        self._unrouted_remove = None
        self._unrouted_router = None
        self._turns = {}
        self._logins = {}
        return self

    @property
    def codex(self) -> AsyncCodex:
        """The high-level client on the same connection."""
        return self._codex

    def __repr__(self) -> str:
        whose = "own runtime" if self._owns else "on its codex's connection"
        return f"<{type(self).__name__} {whose}, {self._session.state()}>"

    # -- lifecycle ---------------------------------------------------------------
    async def _open(self) -> None:
        await self.start()

    async def start(self) -> None:
        """Start the runtime and complete ``initialize`` (once; later calls do nothing)."""
        if self._owns:
            self._session.reopen()
        await self._session.ensure_started()

    async def close(self) -> None:
        """Stop the runtime this client started (a ``codex.client`` leaves its ``codex`` open)."""
        if self._owns:
            await self._codex.close()

    async def initialize(self) -> InitializeResponse:
        """What the runtime answered to ``initialize`` (sent once, when the client starts)."""
        await self.start()
        return self._session.metadata

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize`` (started clients only)."""
        return self._session.metadata

    # -- any method --------------------------------------------------------------
    async def _call(self, method: str, params: Any, fields: dict[str, Any]) -> Any:
        wire = params_wire(method, params, fields)
        return parse_result(method, await self._session.request(method, wire))

    async def request(
        self,
        method: str,
        params: Mapping[str, Any] | Any = None,
        *,
        response_model: type[ModelT] | None = None,
    ) -> ModelT | Any:
        """Send any request (``params``: a mapping or a model; ``None`` sends ``{}`` to a known
        method that takes params). The result is validated as ``response_model`` if given,
        else as the registry's result model for a known method; an unknown method's is raw."""
        from openai_codex_types import registry

        if not isinstance(method, str) or not method:
            raise TypeError(f"method must be a non-empty str, not {method!r}")
        spec = registry.client_request(method)
        wire = wire_value(params)
        if wire is None and spec is not None and spec.params_name is not None:
            wire = {}  # a method that takes params: the runtime wants at least {}
        try:
            raw = await self._session.request(method, wire)
        except InvalidRequestError as exc:
            if spec is None and f"unknown variant `{method}`" in exc.message:
                raise unknown_method_error(method, exc) from None
            raise
        if response_model is not None:
            return validate(response_model, raw if raw is not None else {}, f"the {method} result")
        return raw if spec is None else parse_result(method, raw)

    async def request_with_retry_on_overload(
        self,
        method: str,
        params: Mapping[str, Any] | Any = None,
        *,
        response_model: type[ModelT] | None = None,
        max_attempts: int = 3,
        initial_delay_s: float = 0.25,
        max_delay_s: float = 2.0,
    ) -> ModelT | Any:
        """``request``, retried with backoff while the runtime answers that it is overloaded."""
        from ...retry import retry_on_overload

        return await retry_on_overload(
            lambda: self.request(method, params, response_model=response_model),
            max_attempts=max_attempts,
            initial_delay_s=initial_delay_s,
            max_delay_s=max_delay_s,
        )

    async def notify(self, method: str, params: Mapping[str, Any] | Any = None) -> None:
        """Send a JSON-RPC notification (no answer)."""
        conn = await self._session.ensure_started()
        await conn.notify(method, None if params is None else wire_value(params))

    # -- notifications of no turn -------------------------------------------------
    def _unrouted_sink(self) -> Sink:
        router = self._session.router
        sink = self._unrouted
        if sink is None or self._unrouted_router is not router:
            sink = self._unrouted = Sink(UNROUTED_LIMIT, _unrouted_overflow)
            self._unrouted_router = router
            self._unrouted_remove = router.watch_unrouted(sink)
        return sink

    def _drop_unrouted(self) -> None:
        remove, self._unrouted, self._unrouted_remove = self._unrouted_remove, None, None
        if remove is not None:
            remove()

    async def next_notification(self, *, timeout: float | None = None) -> Notification:
        """The next notification that belongs to no turn (account, MCP start-up,
        ``fs/changed``, thread status, config warnings...), starting with recent ones
        nobody claimed. ``WaitTimeoutError`` (a ``TimeoutError``) after ``timeout``
        seconds; ``TransportClosedError`` once the runtime is gone."""
        seconds = check_seconds(timeout)
        await self._session.ensure_started()
        try:
            return await _next(self._unrouted_sink(), seconds, "notification")
        except NotificationOverflowError:
            self._drop_unrouted()  # the next call subscribes afresh
            raise

    async def notifications(self) -> AsyncIterator[Notification]:
        """Iterate the notifications that belong to no turn (see ``next_notification``);
        ends when the runtime closes."""
        from openai_codex_transport import TransportClosedError

        while True:
            try:
                yield await self.next_notification()
            except TransportClosedError:
                return

    # -- per turn ----------------------------------------------------------------
    def register_turn_notifications(self, turn_id: str) -> None:
        """Start queueing ``turn_id``'s notifications (recent unclaimed ones included)."""
        if turn_id not in self._turns:
            sink = self._turns[turn_id] = Sink()
            self._session.router.attach(turn_id, sink)

    def unregister_turn_notifications(self, turn_id: str) -> None:
        """Stop queueing ``turn_id``'s notifications."""
        sink = self._turns.pop(turn_id, None)
        if sink is not None:
            self._session.router.detach(turn_id, sink)

    async def next_turn_notification(
        self,
        turn_id: str,
        *,
        timeout: float | None = None,
    ) -> Notification:
        """The next notification of ``turn_id`` (registers the turn if needed)."""
        seconds = check_seconds(timeout)
        self.register_turn_notifications(turn_id)
        return await _next(self._turns[turn_id], seconds, f"notification of turn {turn_id}")

    async def wait_for_turn_completed(
        self,
        turn_id: str,
        *,
        timeout: float | None = None,
    ) -> TurnCompletedNotification:
        """Wait for ``turn_id``'s ``turn/completed`` and return its payload."""
        seconds = check_seconds(timeout)
        self.register_turn_notifications(turn_id)
        try:
            with wait_deadline(seconds, f"turn/completed of turn {turn_id}"):
                while True:
                    note = await self.next_turn_notification(turn_id)
                    if note.method == "turn/completed":
                        return cast("TurnCompletedNotification", note.payload)
        finally:
            self.unregister_turn_notifications(turn_id)

    async def stream_text(
        self,
        thread_id: str,
        text: str,
        params: TurnStartParams | Mapping[str, Any] | None = None,
    ) -> AsyncIterator[AgentMessageDeltaNotification]:
        """Start a turn with ``text`` and yield its agent-message deltas until it completes."""
        started = await self.turn_start(thread_id, text, params)
        turn_id = started.turn.id
        self.register_turn_notifications(turn_id)
        try:
            while True:
                note = await self.next_turn_notification(turn_id)
                if note.method == "item/agentMessage/delta":
                    yield cast("AgentMessageDeltaNotification", note.payload)
                elif note.method == "turn/completed":
                    return
        finally:
            self.unregister_turn_notifications(turn_id)

    # -- per login ---------------------------------------------------------------
    def register_login_notifications(self, login_id: str) -> None:
        """Start waiting for ``account/login/completed`` of ``login_id`` (buffered if early)."""
        if login_id not in self._logins:
            sink = self._logins[login_id] = Sink()
            self._session.router.wait_login(login_id, sink)

    def unregister_login_notifications(self, login_id: str) -> None:
        """Stop waiting for ``login_id``."""
        sink = self._logins.pop(login_id, None)
        if sink is not None:
            self._session.router.forget_login(login_id, sink)

    async def next_login_notification(
        self,
        login_id: str,
        *,
        timeout: float | None = None,
    ) -> Notification:
        """The next notification of the login ``login_id`` (registers it if needed)."""
        seconds = check_seconds(timeout)
        self.register_login_notifications(login_id)
        return await _next(
            self._logins[login_id], seconds, f"account/login/completed of login {login_id}"
        )

    async def wait_for_login_completed(
        self,
        login_id: str,
        *,
        timeout: float | None = None,
    ) -> AccountLoginCompletedNotification:
        """Wait for ``account/login/completed`` of ``login_id`` and return its payload."""
        try:
            note = await self.next_login_notification(login_id, timeout=timeout)
            return cast("AccountLoginCompletedNotification", note.payload)
        finally:
            self.unregister_login_notifications(login_id)

    # -- the published client's own names ----------------------------------------
    async def thread_set_name(self, thread_id: str, name: str) -> ThreadSetNameResponse:
        """Rename a thread (``thread/name/set``; same as ``thread_name_set``)."""
        return await self.thread_name_set(thread_id, name)

    async def thread_compact(self, thread_id: str) -> ThreadCompactStartResponse:
        """Compact a thread's history (``thread/compact/start``; ``thread_compact_start``)."""
        return await self.thread_compact_start(thread_id)

    async def pause_goal(self, thread_id: str) -> ThreadGoalSetResponse:
        """Pause the thread's goal (``thread/goal/set`` with status ``paused``)."""
        return await self.thread_goal_set(thread_id, status=cast("Any", "paused"))


def unknown_method_error(method: str, exc: InvalidRequestError) -> InvalidRequestError:
    """The runtime's answer to a method it does not have, short: the closest method names
    instead of all of them (the runtime's full list stays in ``data["methods"]``)."""
    import difflib
    import re

    listed = exc.message.partition("expected one of")[2]
    names = re.findall(r"`([^`]+)`", listed)
    if not names:
        from openai_codex_types import registry

        names = sorted(registry.CLIENT_REQUESTS)
    close = difflib.get_close_matches(method, names, n=3, cutoff=0.6)
    if not close:
        namespace = method.split("/", 1)[0] + "/"
        close = [name for name in names if name.startswith(namespace)][:3]
    hint = f"; closest: {', '.join(close)}" if close else ""
    return InvalidRequestError(
        exc.code,
        f"the runtime has no method {method!r}{hint} "
        f"({len(names)} methods: openai_codex_types.registry lists them)",
        {"method": method, "methods": names},
    )


def _approval_handlers(
    approve: ApprovalHandler, handlers: ServerRequestHandlers | None
) -> ServerRequestHandlers:
    """``handlers`` whose command and file-change approvals ask ``approve(method, params)``
    (the published client's ``approval_handler``); its dict answer is the wire response."""
    from dataclasses import replace

    from ...handlers import ServerRequestHandlers

    def relay(method: str) -> Callable[[Any], Any]:
        def answer(params: Any) -> Any:
            return approve(method, wire_value(params))

        return answer

    return replace(
        handlers or ServerRequestHandlers(),
        command_approval=relay("item/commandExecution/requestApproval"),
        file_change_approval=relay("item/fileChange/requestApproval"),
    )


#: notifications of no turn kept for a reader that fell behind, then NotificationOverflowError
UNROUTED_LIMIT = 10_000


def _unrouted_overflow() -> NotificationOverflowError:
    return NotificationOverflowError(
        f"{UNROUTED_LIMIT:,} notifications of no turn were queued and not read, so the "
        "queue was ended (the ones before this error were all delivered); call "
        "next_notification() again to read the ones that arrive from now on, and read "
        "them as they come"
    )


async def _next(sink: Sink, seconds: float | None, what: str) -> Notification:
    with wait_deadline(seconds, what):
        item = await sink.get()
    if isinstance(item, BaseException):
        sink.push(item)  # later reads fail the same way
        raise _copy(item)
    method, params = item
    return Notification._raw(method, params)


def _copy(exc: BaseException) -> BaseException:
    copy = getattr(exc, "_copy", None)
    if callable(copy):
        fresh: BaseException = copy()
        fresh.__cause__ = exc
        return fresh
    return exc


__all__ = ["AsyncCodexClient", "params_wire"]
