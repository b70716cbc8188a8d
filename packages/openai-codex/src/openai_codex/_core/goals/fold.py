"""``GoalFold``: the runtime's turns of one goal, folded into one logical turn.

A goal runs as several runtime turns that the runtime starts by itself: the first
right after ``thread/goal/set`` makes the goal active, then a follow-up turn each time
a turn completes while the goal is still ``active``. The fold sees every notification
of the goal's thread, in order, and turns them into the events of one logical turn:

- one ``turn/started`` (the first runtime turn's; its id is the logical turn's id);
- every runtime turn's events in between, in order, with ``turnId`` set to the logical
  id, plus the thread's ``thread/goal/updated`` / ``thread/goal/cleared``;
- one ``turn/completed`` once no runtime turn is running and the runtime will start no
  other: the goal left ``active`` (``complete``, ``paused``, ``blocked``,
  ``usageLimited``, ``budgetLimited``) or was cleared, a runtime turn failed, or one
  was interrupted (the runtime does not continue after an interrupted turn).

It is pure bookkeeping (no I/O), fed on the event-loop thread by the goal registry.
"""

from __future__ import annotations

import time
from typing import Any

Event = tuple[str, dict[str, Any]]

GOAL_UPDATED = "thread/goal/updated"
GOAL_CLEARED = "thread/goal/cleared"
TURN_STARTED = "turn/started"
TURN_COMPLETED = "turn/completed"


def event_turn_id(method: str, params: dict[str, Any]) -> str | None:
    """The runtime turn a notification belongs to, if any."""
    turn_id = params.get("turnId")
    if isinstance(turn_id, str):
        return turn_id
    if method in (TURN_STARTED, TURN_COMPLETED):
        turn = params.get("turn")
        if isinstance(turn, dict) and isinstance(turn.get("id"), str):
            return str(turn["id"])
    return None


class GoalFold:
    """Folds one goal's runtime turns into one logical turn (see the module docstring)."""

    __slots__ = (
        "_completed_at_mono",
        "_items",
        "_last_completed",
        "_pending_goal",
        "_started",
        "_started_at_mono",
        "cleared",
        "current_turn_id",
        "finished",
        "goal",
        "interrupt_requested",
        "logical_id",
        "runtime_turn_ids",
        "thread_id",
    )

    def __init__(self, thread_id: str) -> None:
        self.thread_id = thread_id
        #: The first runtime turn's id, once it started.
        self.logical_id: str | None = None
        #: The runtime turn running now (None between turns).
        self.current_turn_id: str | None = None
        self.runtime_turn_ids: list[str] = []
        #: The latest raw ``ThreadGoal`` seen.
        self.goal: dict[str, Any] | None = None
        self.cleared = False
        #: Set by the handle before it pauses and interrupts: the logical turn then
        #: ends ``interrupted`` even if the runtime turn had already completed.
        self.interrupt_requested = False
        self.finished = False
        self._started: dict[str, Any] | None = None
        self._last_completed: dict[str, Any] | None = None
        self._items: list[Any] = []
        self._pending_goal: Event | None = None
        self._started_at_mono: float | None = None
        self._completed_at_mono: float | None = None

    @property
    def goal_status(self) -> str | None:
        goal = self.goal
        status = goal.get("status") if goal is not None else None
        return status if isinstance(status, str) else None

    @property
    def goal_stopped(self) -> bool:
        """The runtime will start no further turn for this goal."""
        return self.cleared or (self.goal_status not in (None, "active"))

    # -- the one entry point ----------------------------------------------------------
    def feed(self, method: str, params: dict[str, Any]) -> list[Event]:
        """One notification of the goal's thread -> the logical events it yields."""
        if self.finished:
            return []
        if method in (GOAL_UPDATED, GOAL_CLEARED):
            return self._on_goal(method, params)
        if self.logical_id is None:
            if method == TURN_STARTED:
                return self._on_first_turn(params)
            return []  # nothing of the goal runs yet
        if method == TURN_STARTED:
            turn_id = event_turn_id(method, params)
            if turn_id is not None and turn_id not in self.runtime_turn_ids:
                self.current_turn_id = turn_id
                self.runtime_turn_ids.append(turn_id)
            return []
        if method == TURN_COMPLETED:
            return self._on_turn_completed(params)
        turn_id = event_turn_id(method, params)
        if turn_id is None or turn_id != self.current_turn_id:
            return []  # thread-level events (status, warnings) and other turns
        return [(method, self._relabel(params))]

    # -- steps --------------------------------------------------------------------------
    def _on_first_turn(self, params: dict[str, Any]) -> list[Event]:
        turn = params.get("turn")
        if not isinstance(turn, dict) or not isinstance(turn.get("id"), str):
            return []
        self.logical_id = self.current_turn_id = turn["id"]
        self.runtime_turn_ids.append(turn["id"])
        self._started = turn
        self._started_at_mono = time.monotonic()
        events: list[Event] = [(TURN_STARTED, params)]
        if self._pending_goal is not None:
            events.append(self._pending_goal)
            self._pending_goal = None
        return events

    def _on_goal(self, method: str, params: dict[str, Any]) -> list[Event]:
        if method == GOAL_UPDATED:
            goal = params.get("goal")
            if isinstance(goal, dict):
                self.goal = goal
                if goal.get("status") == "active":
                    self.cleared = False
        else:
            self.cleared = True
            self.goal = None
        if self.logical_id is None:
            # before the first turn: keep the latest update for the stream, drop the
            # clear of a previous goal that starting this one replaced
            self._pending_goal = (method, params) if method == GOAL_UPDATED else None
            return []
        events: list[Event] = [(method, self._relabel(params))]
        if self.current_turn_id is None and self._last_completed is not None and self.goal_stopped:
            events.append(self._finish(self._last_completed))
        return events

    def _on_turn_completed(self, params: dict[str, Any]) -> list[Event]:
        turn = params.get("turn")
        turn_id = event_turn_id(TURN_COMPLETED, params)
        if not isinstance(turn, dict) or turn_id not in self.runtime_turn_ids:
            return []
        if turn_id == self.current_turn_id:
            self.current_turn_id = None
        self._last_completed = turn
        items = turn.get("items")
        if isinstance(items, list):
            self._items.extend(items)
        status = turn.get("status")
        if status in ("failed", "interrupted") or self.goal_stopped:
            return [self._finish(turn)]
        return []  # the goal is still active: the runtime starts a follow-up turn

    def _finish(self, last: dict[str, Any]) -> Event:
        self.finished = True
        self.current_turn_id = None
        self._completed_at_mono = time.monotonic()
        return (TURN_COMPLETED, {"threadId": self.thread_id, "turn": self._logical_turn(last)})

    # -- building the logical payloads ---------------------------------------------------
    def _relabel(self, params: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``params`` addressed to the logical turn (``turnId``)."""
        if isinstance(params.get("turnId"), str) and params["turnId"] != self.logical_id:
            return {**params, "turnId": self.logical_id}
        return params

    def _logical_turn(self, last: dict[str, Any]) -> dict[str, Any]:
        first = self._started or last
        status = last.get("status", "completed")
        if self.interrupt_requested and status == "completed":
            status = "interrupted"
        turn = dict(last)
        turn.update(
            id=self.logical_id,
            status=status,
            items=list(self._items),
            startedAt=first.get("startedAt"),
            completedAt=last.get("completedAt"),
            durationMs=self.duration_ms(),
        )
        if "rootTurnId" in turn:
            turn["rootTurnId"] = self.logical_id
        return turn

    def duration_ms(self) -> int | None:
        """Wall-clock time from the first runtime turn's start to the last one's end."""
        start, end = self._started_at_mono, self._completed_at_mono
        if start is None:
            return None
        return int(((end if end is not None else time.monotonic()) - start) * 1000)


__all__ = ["GOAL_CLEARED", "GOAL_UPDATED", "Event", "GoalFold", "event_turn_id"]
