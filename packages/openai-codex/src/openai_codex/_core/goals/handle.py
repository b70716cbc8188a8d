"""``AsyncGoalHandle``: the handle of a logical goal turn, and how its result is made.

The handle reads the operation's sink, which carries the already-folded logical events
(see ``fold``), so streaming, ``run()``, timeouts and the sync ``TurnHandle`` work as
for any turn. What differs is control: ``steer`` goes to the runtime turn running now,
and stopping (``interrupt()``, a timeout, a cancelled task, leaving ``async with``)
pauses the goal first (so the runtime starts no follow-up turn), then interrupts the
runtime turn running now.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import anyio

from openai_codex_transport import InvalidRequestError

from ...errors import TurnTimeoutError
from ..parsing import parse_result, validate
from ..turns.handle import AsyncTurnHandle
from ..turns.inputs import Input, input_wire
from ..turns.lazy import wire
from ..turns.results import TurnCollector, TurnResult
from .fold import GOAL_CLEARED, GOAL_UPDATED

if TYPE_CHECKING:
    from openai_codex_types import ThreadGoal, TurnInterruptResponse, TurnSteerResponse

    from ..connection.session import Session
    from .registry import GoalOperation, GoalRegistry

_log = logging.getLogger("openai_codex")

#: How long ``steer()`` between two runtime turns waits for the next one to start.
NEXT_TURN_WAIT_S = 10.0

_ACTIVE_TURN_MISMATCH = re.compile(r"expected active turn id `([^`]+)` but found `([^`]+)`")


class GoalCollector(TurnCollector):
    """A turn collector that sums the goal's token usage and keeps its last goal."""

    COLLECTED = TurnCollector.COLLECTED | {GOAL_UPDATED, GOAL_CLEARED}

    __slots__ = ("first_usage", "raw_goal")

    def __init__(self, turn_id: str) -> None:
        super().__init__(turn_id)
        self.first_usage: dict[str, Any] | None = None
        self.raw_goal: dict[str, Any] | None = None

    def feed(self, method: str, params: dict[str, Any]) -> bool:
        if method == "thread/tokenUsage/updated":
            usage = params.get("tokenUsage")
            if isinstance(usage, dict) and self.first_usage is None:
                self.first_usage = usage
        elif method == GOAL_UPDATED:
            goal = params.get("goal")
            if isinstance(goal, dict):
                self.raw_goal = goal
        elif method == GOAL_CLEARED:
            self.raw_goal = None
        return TurnCollector.feed(self, method, params)

    def summed_usage(self) -> dict[str, Any] | None:
        """The last usage report, its ``total`` counting only this goal's model calls.

        The runtime's ``total`` is the thread's running total; the goal's share is the
        last total minus the total before the goal's first model call (the first
        report's total minus its ``last``).
        """
        first, last = self.first_usage, self.raw_usage
        if first is None or last is None:
            return last
        first_total, first_call, last_total = (
            first.get("total"),
            first.get("last"),
            last.get("total"),
        )
        if not (
            isinstance(first_total, dict)
            and isinstance(first_call, dict)
            and isinstance(last_total, dict)
        ):
            return last
        total = dict(last_total)
        for key, value in last_total.items():
            before = first_total.get(key, 0) - first_call.get(key, 0)
            if isinstance(value, int) and isinstance(before, int):
                total[key] = value - before
        return {**last, "total": total}

    def result(self) -> TurnResult:
        result = TurnCollector.result(self)
        usage = self.summed_usage()
        result.usage = None if usage is None else wire(usage)  # typed on first read
        result.goal = None if self.raw_goal is None else parse_goal(self.raw_goal)
        return result


class AsyncGoalHandle(AsyncTurnHandle):
    """A logical goal turn: one ``turn/started`` ... ``turn/completed`` over all the
    runtime turns of a goal (see ``AsyncThread.start_goal``)."""

    def __init__(
        self,
        _session: Session,
        thread_id: str,
        id: str,
        *,
        _operation: GoalOperation,
        _registry: GoalRegistry,
    ) -> None:
        super().__init__(_session, thread_id, id, _sink=_operation.sink)
        self._collector = GoalCollector(id)
        self._operation = _operation
        self._registry = _registry

    def __repr__(self) -> str:
        state = "done" if self._collector.completed else "running"
        raw = self._operation.fold.goal
        status = raw.get("status") if isinstance(raw, dict) else None
        goal = "" if status is None else f", goal={status!r}"
        return f"AsyncGoalHandle(thread_id={self.thread_id!r}, id={self.id!r}, {state}{goal})"

    @property
    def runtime_turn_id(self) -> str | None:
        """The runtime turn of the goal running now (None between turns and once done)."""
        return self._operation.fold.current_turn_id

    @property
    def goal(self) -> ThreadGoal | None:
        """The goal as last reported by the runtime (``ThreadGoal``), or None if cleared."""
        raw = self._operation.fold.goal
        return None if raw is None else parse_goal(raw)

    async def run(self, *, timeout: float | None = None) -> TurnResult:  # noqa: ASYNC109
        """Wait for the goal to stop and return the logical turn's ``TurnResult``.

        ``result.goal`` says how it ended (``complete``, ``paused``, ``blocked``,
        ``usageLimited``, ``budgetLimited``). A failed runtime turn raises
        ``TurnFailedError``. With ``timeout``, the goal is paused and its runtime turn
        interrupted at the deadline, and ``TurnTimeoutError`` carries the partial result.
        """
        return await self._run(timeout, timeout)

    async def _run(self, timeout: float | None, whole: float | None) -> TurnResult:  # noqa: ASYNC109
        try:
            return await super()._run(timeout, whole)
        except TurnTimeoutError as exc:
            raise TurnTimeoutError(
                f"goal turn {self.id} did not finish within {whole or timeout:g} s: the goal "
                "was paused and its running turn interrupted",
                result=exc.result,
            ) from None

    # -- control ------------------------------------------------------------------------
    async def steer(self, input: Input | str) -> TurnSteerResponse:
        """Add input to the goal's runtime turn running now (``TurnSteerResponse``).

        Between two runtime turns it waits (up to 10 s) for the next one. Once the goal
        turn is done this behaves as steering a completed turn (the runtime refuses).
        """
        fold = self._operation.fold
        target = await self._active_runtime_turn()
        if target is None:
            return await super().steer(input)
        wire = input_wire(input)
        for _ in range(3):
            params = {"threadId": self.thread_id, "expectedTurnId": target, "input": wire}
            try:
                result: TurnSteerResponse = await self._session.typed("turn/steer", params)
                return result
            except InvalidRequestError as exc:
                # the runtime moved on to its next turn between our look and the request
                found = _found_turn(exc)
                if found is None or fold.finished or found == target:
                    raise
                target = found
        return await super().steer(input)

    async def _active_runtime_turn(self) -> str | None:
        """The runtime turn running now; between turns, wait for the next (bounded)."""
        operation = self._operation
        fold = operation.fold
        with anyio.move_on_after(NEXT_TURN_WAIT_S):
            while not fold.finished and fold.current_turn_id is None:
                await operation.changed()
        return None if fold.finished else fold.current_turn_id

    async def interrupt(self) -> TurnInterruptResponse:
        """Pause the goal, then interrupt its running runtime turn (``TurnInterruptResponse``).

        The goal turn then completes with status ``interrupted`` and the goal stays
        ``paused`` (``resume_goal()`` continues it); the thread can run other turns.
        Once the goal turn is done there is nothing to interrupt: nothing is sent.
        """
        fold = self._operation.fold
        empty: TurnInterruptResponse = parse_result("turn/interrupt", {})
        if fold.finished:
            return empty  # nothing runs (the runtime does not answer on an idle thread)
        fold.interrupt_requested = True
        await self._pause()
        target = fold.current_turn_id
        if target is None:
            return empty  # between turns: pausing stopped the goal
        for _ in range(3):
            try:
                result: TurnInterruptResponse = await self._session.typed(
                    "turn/interrupt", {"threadId": self.thread_id, "turnId": target}
                )
                return result
            except InvalidRequestError as exc:
                found = _found_turn(exc)
                if found is None or found == target:
                    raise
                target = found
        return empty

    async def _pause(self) -> None:
        """Pause the goal if it is still active (a complete goal stays complete)."""
        fold = self._operation.fold
        if fold.goal_status != "active":
            return
        await self._session.request(
            "thread/goal/set", {"threadId": self.thread_id, "status": "paused"}
        )

    async def _stop_turn(self) -> None:
        """Pause and interrupt (the base's ``_wind_down`` shields and bounds it)."""
        if not self._operation.fold.finished:
            await self.interrupt()

    async def _on_exit(self, exc: BaseException | None) -> None:
        try:
            await super()._on_exit(exc)
        finally:
            self._registry.release(self._operation)


def parse_goal(raw: dict[str, Any]) -> ThreadGoal:
    """A raw ``ThreadGoal`` from a notification, as the model."""
    from openai_codex_types import ThreadGoal

    goal: ThreadGoal = validate(ThreadGoal, raw, "the goal")
    return goal


def _found_turn(exc: InvalidRequestError) -> str | None:
    """The active turn id named by the runtime's "expected active turn id" refusal."""
    match = _ACTIVE_TURN_MISMATCH.search(str(getattr(exc, "message", "") or exc))
    return match.group(2) if match else None


__all__ = ["AsyncGoalHandle", "GoalCollector"]
