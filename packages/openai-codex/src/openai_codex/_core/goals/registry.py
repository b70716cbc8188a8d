"""The goal registry of one client: which threads run a logical goal turn, and the
goal notifications of every thread, taken from the notification router.

The router delivers a turn's events to the sinks of that turn's id; a goal's runtime
turns have ids nobody knows in advance. The registry is a router listener instead (on
the event-loop thread, never blocking): each notification of a thread that runs a
goal operation goes through that operation's :class:`GoalFold`, whose logical events
are pushed to the operation's sink, which the logical turn's handle reads like any
turn handle reads its sink. The registry also keeps the last goal status seen per
thread (so a plain turn on a thread whose goal is active can be refused) and feeds the
``goal_events()`` subscriptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from ..connection.router import Router
from ..connection.sink import Item, Sink
from .fold import GOAL_CLEARED, GOAL_UPDATED, GoalFold

if TYPE_CHECKING:
    from ..connection.session import Session


class GoalSink(Sink):
    """A sink that also wakes the operation's waiters on every push (events or the
    connection's closing error)."""

    __slots__ = ("_on_push",)

    def __init__(self, on_push: Any) -> None:
        super().__init__()
        self._on_push = on_push

    def push(self, item: Item) -> None:
        super().push(item)
        self._on_push()


class GoalOperation:
    """One logical goal turn on one thread: its fold, its sink and who waits on it."""

    __slots__ = ("_changed", "_close_key", "fold", "sink", "thread_id")

    def __init__(self, thread_id: str) -> None:
        self.thread_id = thread_id
        self.fold = GoalFold(thread_id)
        self.sink = GoalSink(self._notify)
        self._changed: anyio.Event | None = None
        self._close_key = f"goal-operation:{thread_id}:{id(self)}"

    def _notify(self) -> None:
        event = self._changed
        if event is not None:
            self._changed = None
            event.set()

    async def changed(self) -> None:
        """Wait for the next event of this operation (on the event loop)."""
        event = self._changed
        if event is None:
            event = self._changed = anyio.Event()
        await event.wait()


class GoalRegistry:
    """Goal bookkeeping of one client (see the module docstring)."""

    def __init__(self) -> None:
        self._router: Router | None = None
        self._remove_listener: Any = None
        self._remove_follower: Any = None  # the every-notification listener, while needed
        self._operations: dict[str, GoalOperation] = {}
        self._status: dict[str, str] = {}
        self._subscribers: dict[str, list[Sink]] = {}

    # -- wiring ---------------------------------------------------------------------------
    def listen(self, router: Router) -> None:
        """Follow ``router`` (a client makes a new router each time its runtime starts)."""
        if router is self._router:
            return
        if self._remove_listener is not None:
            self._remove_listener()
        # what followed the previous runtime is over (its sinks got its closing error)
        self._status.clear()
        self._operations.clear()
        self._follow_operations()
        self._subscribers.clear()
        self._router = router
        # the goal notifications only: every client has a registry, and a streamed delta
        # must not cost a call here; every notification only while a goal turn is followed
        self._remove_listener = router.add_listener(self._on_goal, (GOAL_UPDATED, GOAL_CLEARED))

    def _follow_operations(self) -> None:
        """Listen to every notification while a goal turn is followed, else not at all."""
        if self._operations and self._remove_follower is None and self._router is not None:
            self._remove_follower = self._router.add_listener(self._on_notification)
        elif not self._operations and self._remove_follower is not None:
            self._remove_follower()
            self._remove_follower = None

    def _on_goal(self, method: str, params: dict[str, Any]) -> None:
        thread_id = params.get("threadId")
        if isinstance(thread_id, str):
            self._track(thread_id, method, params)

    def _on_notification(self, method: str, params: dict[str, Any]) -> None:
        thread_id = params.get("threadId")
        if not isinstance(thread_id, str):
            return
        operation = self._operations.get(thread_id)
        if operation is None:
            return
        for event in operation.fold.feed(method, params):
            operation.sink.push(event)
        if operation.fold.finished:
            self.release(operation)

    def _track(self, thread_id: str, method: str, params: dict[str, Any]) -> None:
        goal = params.get("goal") if method == GOAL_UPDATED else None
        status = goal.get("status") if isinstance(goal, dict) else None
        if isinstance(status, str):
            self._status[thread_id] = status
        else:
            self._status.pop(thread_id, None)
        for sink in self._subscribers.get(thread_id, ()):
            sink.push((method, params))

    def to_pause(self, *, own_runtime: bool) -> tuple[str, ...]:
        """The threads whose goal ``close()`` pauses: every active goal on a runtime this
        client spawned; on an attached (shared) runtime only this client's goal turns."""
        if own_runtime:
            active = {tid for tid, status in self._status.items() if status == "active"}
            return tuple(active | self._operations.keys())
        return tuple(self._operations)

    # -- goal operations --------------------------------------------------------------------
    def running(self, thread_id: str) -> GoalOperation | None:
        """The logical goal turn running on this thread, if any."""
        return self._operations.get(thread_id)

    def goal_active(self, thread_id: str) -> bool:
        """The last goal notification seen for this thread said ``active``."""
        return self._status.get(thread_id) == "active"

    def begin(self, thread_id: str) -> GoalOperation:
        """Register a logical goal turn on a thread (the caller checked none runs)."""
        assert self._router is not None, "listen() first"
        operation = GoalOperation(thread_id)
        self._operations[thread_id] = operation
        self._follow_operations()
        # keyed by no runtime turn id: the router only uses it to fail the sink
        # with the connection's error when the runtime goes away
        self._router.attach(operation._close_key, operation.sink)
        return operation

    def release(self, operation: GoalOperation) -> None:
        """Stop routing to an operation (finished, or abandoned)."""
        if self._operations.get(operation.thread_id) is operation:
            del self._operations[operation.thread_id]
            self._follow_operations()
        if self._router is not None:
            self._router.detach(operation._close_key, operation.sink)

    def push_to_runtime_turn(self, turn_id: str, method: str, params: dict[str, Any]) -> bool:
        """Deliver a synthetic event (a failed host handler) for one of a goal's runtime
        turns to that goal's logical turn."""
        for operation in self._operations.values():
            fold = operation.fold
            if turn_id in fold.runtime_turn_ids and not fold.finished:
                operation.sink.push((method, {**params, "turnId": fold.logical_id}))
                return True
        return False

    # -- subscriptions ----------------------------------------------------------------------
    def subscribe(self, thread_id: str, sink: Sink) -> None:
        assert self._router is not None, "listen() first"
        self._subscribers.setdefault(thread_id, []).append(sink)
        self._router.attach(f"goal-events:{thread_id}:{id(sink)}", sink)

    def unsubscribe(self, thread_id: str, sink: Sink) -> None:
        sinks = self._subscribers.get(thread_id)
        if sinks and sink in sinks:
            sinks.remove(sink)
            if not sinks:
                del self._subscribers[thread_id]
        if self._router is not None:
            self._router.detach(f"goal-events:{thread_id}:{id(sink)}", sink)


def goal_registry(session: Session) -> GoalRegistry:
    """The client's goal registry (made on first use), listening to its current router."""
    return session.goal_registry()


__all__ = ["GoalOperation", "GoalRegistry", "GoalSink", "goal_registry"]
