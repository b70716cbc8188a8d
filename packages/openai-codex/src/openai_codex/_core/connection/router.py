"""The notification router: the reader's fast path from a notification to its turn.

``route(method, params)`` is the connection's ``on_notification`` callback. It runs
on the event-loop thread, never blocks and never validates: a turn's events go to
the sinks of that turn's handles (and, minus deltas, to a per-turn history that a
handle joining the running turn is given first); while a ``turn/start`` is in flight on a thread,
that thread's events are also kept so the new handle can claim the ones that
arrived before the response; everything else goes to a bounded buffer of recent
unclaimed notifications and to listeners.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .sink import Sink

_log = logging.getLogger("openai_codex")

Listener = Callable[[str, dict[str, Any]], None]
_Event = tuple["str | None", str, dict[str, Any]]


def turn_id_of(method: str, params: dict[str, Any]) -> str | None:
    """The turn a notification belongs to, if any."""
    turn_id = params.get("turnId")
    if isinstance(turn_id, str):
        return turn_id
    if method == "turn/started" or method == "turn/completed":
        turn = params.get("turn")
        if isinstance(turn, dict):
            tid = turn.get("id")
            if isinstance(tid, str):
                return tid
    return None


def _is_delta(method: str) -> bool:
    """Streaming fragments (``item/agentMessage/delta``, ``.../outputDelta``...)."""
    return method.endswith(("delta", "Delta"))


@dataclass
class _Pending:
    """Events of one thread while ``turn/start`` requests on it are in flight."""

    requests: int = 0
    events: list[tuple[_Event, bool]] = field(default_factory=list)


class Router:
    def __init__(self, *, orphan_limit: int = 512, login_limit: int = 64) -> None:
        self._turns: dict[str, list[Sink]] = {}
        # per active turn: its events minus deltas, replayed to a handle that joins it
        self._history: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self._pending: dict[str, _Pending] = {}
        self._orphans: deque[_Event] = deque(maxlen=orphan_limit)
        self._logins: dict[str, list[Sink]] = {}
        self._early_logins: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._login_limit = login_limit
        self._listeners: list[Listener] = []
        self._unrouted: list[Sink] = []  # watchers of the notifications of no turn
        self.closed_error: BaseException | None = None

    # -- the fast path -----------------------------------------------------------
    def route(self, method: str, params: Any) -> None:
        if not isinstance(params, dict):
            params = {}
        turn_id = turn_id_of(method, params)
        delivered = False
        if turn_id is not None:
            sinks = self._turns.get(turn_id)
            if sinks:
                item = (method, params)
                for sink in sinks:
                    sink.push(item)
                delivered = True
                if method == "turn/completed":
                    del self._turns[turn_id]
                    self._history.pop(turn_id, None)
                elif not _is_delta(method):
                    self._history.setdefault(turn_id, []).append(item)
        thread_id = params.get("threadId")
        if thread_id is not None and self._pending:
            pending = self._pending.get(thread_id)
            if pending is not None:
                pending.events.append(((turn_id, method, params), delivered))
                delivered = True
        if method == "account/login/completed":
            delivered = self._route_login(params) or delivered
        if not delivered:
            self._orphans.append((turn_id, method, params))
        if turn_id is None and self._unrouted:
            for sink in self._unrouted:
                sink.push((method, params))
        if self._listeners:
            for listener in tuple(self._listeners):
                try:
                    listener(method, params)
                except Exception:  # a listener never breaks the reader
                    _log.exception("notification listener failed")

    # -- turns -----------------------------------------------------------------
    def begin_turn_request(self, thread_id: str) -> None:
        """Start keeping this thread's events: a ``turn/start`` is about to be sent."""
        self._pending.setdefault(thread_id, _Pending()).requests += 1

    def end_turn_request(self, thread_id: str, turn_id: str | None, sink: Sink | None) -> None:
        """The ``turn/start`` answered (``turn_id``) or failed (None): attach the sink."""
        pending = self._pending.get(thread_id)
        backlog: list[_Event] = []
        if pending is not None:
            backlog = [event for event, _ in pending.events]
            pending.requests -= 1
            if pending.requests <= 0:
                del self._pending[thread_id]
                claimed = turn_id if sink is not None else None
                for event, delivered in pending.events:
                    if not delivered and (claimed is None or event[0] != claimed):
                        self._orphans.append(event)
        if turn_id is not None and sink is not None:
            self._attach(turn_id, sink, backlog)

    def attach(self, turn_id: str, sink: Sink) -> None:
        """Attach a sink to a known turn (claims its recent unclaimed events)."""
        backlog = [event for event in self._orphans if event[0] == turn_id]
        if backlog:
            kept = [event for event in self._orphans if event[0] != turn_id]
            self._orphans.clear()
            self._orphans.extend(kept)
        self._attach(turn_id, sink, backlog)

    def _attach(self, turn_id: str, sink: Sink, backlog: list[_Event]) -> None:
        mine = [(method, params) for tid, method, params in backlog if tid == turn_id]
        history = self._history.get(turn_id)
        if history is not None:
            # joining a turn other handles follow: first what came before the backlog
            in_backlog = {id(params) for _, params in mine}
            for event in history:
                if id(event[1]) not in in_backlog:
                    sink.push(event)
        done = False
        for event in mine:
            sink.push(event)
            if event[0] == "turn/completed":
                done = True
        if self.closed_error is not None and not done:
            sink.push(self.closed_error)
            return
        if done:
            return
        sinks = self._turns.get(turn_id)
        if sinks is None:
            self._turns[turn_id] = [sink]
            self._history[turn_id] = [event for event in mine if not _is_delta(event[0])]
        else:
            sinks.append(sink)

    def detach(self, turn_id: str, sink: Sink) -> None:
        sinks = self._turns.get(turn_id)
        if sinks and sink in sinks:
            sinks.remove(sink)
            if not sinks:
                del self._turns[turn_id]
                self._history.pop(turn_id, None)

    def push_to_turn(self, turn_id: str, method: str, params: dict[str, Any]) -> bool:
        """Deliver a synthetic event to a turn's handles (e.g. a failed host handler)."""
        sinks = self._turns.get(turn_id)
        for sink in sinks or ():
            sink.push((method, params))
        return bool(sinks)

    # -- logins ----------------------------------------------------------------
    def _route_login(self, params: dict[str, Any]) -> bool:
        login_id = params.get("loginId")
        if not isinstance(login_id, str):
            return False
        sinks = self._logins.pop(login_id, None)
        if sinks:
            for sink in sinks:
                sink.push(("account/login/completed", params))
            return True
        self._early_logins[login_id] = params
        while len(self._early_logins) > self._login_limit:
            self._early_logins.popitem(last=False)
        return True

    def wait_login(self, login_id: str, sink: Sink) -> None:
        early = self._early_logins.get(login_id)
        if early is not None:
            sink.push(("account/login/completed", early))
        elif self.closed_error is not None:
            sink.push(self.closed_error)
        else:
            self._logins.setdefault(login_id, []).append(sink)

    def forget_login(self, login_id: str, sink: Sink | None = None) -> None:
        self._early_logins.pop(login_id, None)
        sinks = self._logins.get(login_id)
        if sinks and sink in sinks:
            sinks.remove(sink)
            if not sinks:
                del self._logins[login_id]

    # -- everything else ----------------------------------------------------------
    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(method, params)`` for every notification; returns a remover."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def watch_unrouted(self, sink: Sink) -> Callable[[], None]:
        """Push every notification that belongs to no turn to ``sink``, starting with the
        recent unclaimed ones; the close error ends it. Returns a remover."""
        for turn_id, method, params in self._orphans:
            if turn_id is None:
                sink.push((method, params))
        if self.closed_error is not None:
            sink.push(self.closed_error)
        self._unrouted.append(sink)

        def remove() -> None:
            if sink in self._unrouted:
                self._unrouted.remove(sink)

        return remove

    def fail_all(self, exc: BaseException) -> None:
        """The connection is gone: every waiting consumer gets ``exc``."""
        self.closed_error = exc
        for sink in self._unrouted:
            sink.push(exc)
        for sinks in self._turns.values():
            for sink in sinks:
                sink.push(exc)
        self._turns.clear()
        self._history.clear()
        for sinks in self._logins.values():
            for sink in sinks:
                sink.push(exc)
        self._logins.clear()
