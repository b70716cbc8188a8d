"""The notification router: the reader's fast path from a notification to its turn.

``route(method, params)`` is the connection's ``on_notification`` callback. It runs
on the event-loop thread, never blocks and never validates: a turn's events go to
the sinks of that turn's handles (and, minus deltas, to a per-turn history that a
handle joining the running turn is given first); while a ``turn/start`` is in flight on a thread,
that thread's events are also kept so the new handle can claim the ones that
arrived before the response; everything else goes to a buffer of recent
unclaimed notifications (bounded by count and bytes) and to listeners.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
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


_DELTA_SUFFIXES = ("delta", "Delta")


def _is_delta(method: str) -> bool:
    """Streaming fragments (``item/agentMessage/delta``, ``.../outputDelta``...)."""
    return method.endswith(_DELTA_SUFFIXES)


def _without(listeners: tuple[Listener, ...], listener: Listener) -> tuple[Listener, ...]:
    """``listeners`` less the first occurrence of ``listener``."""
    for i, each in enumerate(listeners):
        if each == listener:
            return listeners[:i] + listeners[i + 1 :]
    return listeners


#: The unclaimed notifications kept are bounded by count and by (approximate) size: a
#: 64 MB notification of no turn is not held for the next 35 turns.
ORPHAN_BYTES = 4 * 1024 * 1024


def approx_size(value: Any, limit: int, _depth: int = 0) -> int:
    """About how many bytes ``value`` (JSON-like) takes: its strings' lengths plus a little
    per member; stops counting past ``limit`` (the walk costs no more than needed)."""
    if isinstance(value, str):
        return len(value) + 8
    if _depth > 32:
        return 8
    total = 16
    if isinstance(value, dict):
        for key, item in value.items():
            total += len(key) + approx_size(item, limit - total, _depth + 1)
            if total > limit:
                return total
    elif isinstance(value, list):
        for item in value:
            total += approx_size(item, limit - total, _depth + 1)
            if total > limit:
                return total
    return total


class _Backlog:
    """The latest unclaimed notifications: at most ``count`` of them, about ``max_bytes``
    in all (oldest dropped first; one bigger than ``max_bytes`` is not kept)."""

    __slots__ = ("_bytes", "_count", "_events", "_max_bytes")

    def __init__(self, count: int, max_bytes: int) -> None:
        self._events: deque[tuple[_Event, int]] = deque()
        self._count = count
        self._max_bytes = max_bytes
        self._bytes = 0

    def append(self, event: _Event) -> None:
        size = approx_size(event[2], self._max_bytes)
        if size > self._max_bytes:
            return
        self._events.append((event, size))
        self._bytes += size
        while len(self._events) > self._count or self._bytes > self._max_bytes:
            self._bytes -= self._events.popleft()[1]

    def __iter__(self) -> Iterator[_Event]:
        return (event for event, _ in self._events)

    def __len__(self) -> int:
        return len(self._events)

    @property
    def nbytes(self) -> int:
        """About how many bytes the kept notifications take."""
        return self._bytes

    def take(self, turn_id: str) -> list[_Event]:
        """Remove and return the kept notifications of ``turn_id``."""
        if not any(event[0] == turn_id for event, _ in self._events):
            return []
        taken: list[_Event] = []
        kept: deque[tuple[_Event, int]] = deque()
        for entry in self._events:
            if entry[0][0] == turn_id:
                taken.append(entry[0])
                self._bytes -= entry[1]
            else:
                kept.append(entry)
        self._events = kept
        return taken


class _Pending:
    """Events of one thread while ``turn/start`` requests on it are in flight."""

    __slots__ = ("events", "requests")

    def __init__(self) -> None:
        self.requests = 0
        self.events: list[tuple[_Event, bool]] = []


class Router:
    def __init__(
        self, *, orphan_limit: int = 512, orphan_bytes: int = ORPHAN_BYTES, login_limit: int = 64
    ) -> None:
        self._turns: dict[str, list[Sink]] = {}
        # per active turn: its events minus deltas, replayed to a handle that joins it
        self._history: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self._pending: dict[str, _Pending] = {}
        self._orphans = _Backlog(orphan_limit, orphan_bytes)
        self._logins: dict[str, list[Sink]] = {}
        self._early_logins: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._login_limit = login_limit
        self._listeners: tuple[Listener, ...] = ()  # of every notification
        self._by_method: dict[str, tuple[Listener, ...]] = {}  # of named methods only
        self._unrouted: list[Sink] = []  # watchers of the notifications of no turn
        self.closed_error: BaseException | None = None

    # -- the fast path -----------------------------------------------------------
    def route(self, method: str, params: Any) -> None:
        """Deliver one notification (the connection's ``on_notification``; per message,
        so it allocates nothing but the ``(method, params)`` tuple a turn's sinks get)."""
        if type(params) is not dict:
            params = {}
        turn_id = params.get("turnId")
        if type(turn_id) is not str:
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
                elif not method.endswith(_DELTA_SUFFIXES):
                    self._history.setdefault(turn_id, []).append(item)
        if self._pending:
            pending = self._pending.get(params.get("threadId"))
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
        # listeners are tuples replaced on change (no copy per notification); most name
        # the few methods they follow, so a streamed delta calls none of them
        listeners = self._listeners
        if self._by_method:
            listeners = self._by_method.get(method, ()) + listeners
        for listener in listeners:
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

    def turn_started_while_pending(self, thread_id: str) -> str | None:
        """The id of the last ``turn/started`` of ``thread_id`` kept while a ``turn/start``
        on it is in flight (the turn of a request whose answer nobody will read)."""
        pending = self._pending.get(thread_id)
        for (turn_id, method, _), _delivered in reversed(pending.events if pending else ()):
            if method == "turn/started" and turn_id is not None:
                return turn_id
        return None

    def attach(self, turn_id: str, sink: Sink) -> None:
        """Attach a sink to a known turn (claims its recent unclaimed events)."""
        self._attach(turn_id, sink, self._orphans.take(turn_id))

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
    def add_listener(
        self, listener: Listener, methods: Iterable[str] | None = None
    ) -> Callable[[], None]:
        """Call ``listener(method, params)`` for every notification (or only those of
        ``methods``); returns a remover."""
        names = None if methods is None else tuple(methods)
        if names is None:
            self._listeners = (*self._listeners, listener)
        else:
            for name in names:
                self._by_method[name] = (*self._by_method.get(name, ()), listener)

        def remove() -> None:
            if names is None:
                self._listeners = _without(self._listeners, listener)
                return
            for name in names:
                left = _without(self._by_method.get(name, ()), listener)
                if left:
                    self._by_method[name] = left
                else:
                    self._by_method.pop(name, None)

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
