"""The goal methods of ``AsyncThread`` (a mixin; the thread supplies ``_codex`` and ``id``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import controls
from .events import AsyncGoalEvents
from .registry import goal_registry

if TYPE_CHECKING:
    from openai_codex_types import (
        Personality,
        ReasoningEffort,
        ReasoningSummary,
        ThreadGoal,
        ThreadGoalStatus,
    )

    from .._async_client import AsyncCodex
    from .._presets import ApprovalMode, Sandbox
    from .._results import TurnResult
    from .._turn_handle import AsyncTurnHandle


class AsyncGoalMethods:
    """``run_goal``, ``start_goal``, ``resume_goal`` and the goal controls of a thread."""

    __slots__ = ()
    _codex: AsyncCodex
    id: str

    async def run_goal(
        self,
        objective: str,
        *,
        token_budget: int | None = None,
        timeout: float | None = None,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        summary: ReasoningSummary | None = None,
    ) -> TurnResult:
        """Pursue ``objective`` as a goal until it stops; its logical turn's ``TurnResult``.

        The runtime works on the goal over as many turns as it needs; the result covers
        them all (items, summed usage, timings) and ``result.goal`` says how the goal
        ended: ``complete``, or ``blocked``/``usageLimited``/``budgetLimited``/``paused``
        (results, not errors). A failed runtime turn raises ``TurnFailedError``; with
        ``timeout`` the goal is paused and its turn interrupted at the deadline
        (``TurnTimeoutError`` with the partial result). Turn options become the thread's
        settings for this and later turns.
        """
        handle = await self.start_goal(
            objective,
            token_budget=token_budget,
            approval_mode=approval_mode,
            cwd=cwd,
            effort=effort,
            model=model,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            summary=summary,
        )
        return await handle.run(timeout=timeout)

    async def start_goal(
        self,
        objective: str,
        *,
        token_budget: int | None = None,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        summary: ReasoningSummary | None = None,
    ) -> AsyncTurnHandle:
        """Set ``objective`` as the thread's goal (replacing any previous goal) and
        return the handle of its logical turn once the runtime started working on it.

        ``stream()`` yields one ``turn/started``, every runtime turn's events (and the
        ``thread/goal/*`` notifications), then one ``turn/completed``; ``steer()`` reaches
        the runtime turn running now; ``interrupt()`` pauses the goal, then interrupts
        that turn. Raises ``GoalsUnavailableError`` (goals disabled, ephemeral thread) and
        ``GoalInProgressError`` (a goal or turn already runs on the thread).
        """
        return await controls.start_goal(
            self._codex,
            self.id,
            objective,
            token_budget=token_budget,
            settings={
                "approval_mode": approval_mode,
                "cwd": cwd,
                "effort": effort,
                "model": model,
                "personality": personality,
                "sandbox": sandbox,
                "service_tier": service_tier,
                "summary": summary,
            },
        )

    async def resume_goal(
        self,
        *,
        token_budget: int | None = None,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        summary: ReasoningSummary | None = None,
    ) -> AsyncTurnHandle:
        """Make the thread's stopped goal (``paused``, ``blocked``, ``usageLimited``,
        ``budgetLimited``) active again, as a new logical turn (see ``start_goal``).

        ``token_budget`` replaces the goal's budget (raise it to resume a
        ``budgetLimited`` goal). ``ValueError`` if there is no goal or it is complete.
        """
        return await controls.start_goal(
            self._codex,
            self.id,
            None,
            token_budget=token_budget,
            settings={
                "approval_mode": approval_mode,
                "cwd": cwd,
                "effort": effort,
                "model": model,
                "personality": personality,
                "sandbox": sandbox,
                "service_tier": service_tier,
                "summary": summary,
            },
        )

    async def goal(self) -> ThreadGoal | None:
        """The thread's goal (``ThreadGoal``: objective, status, usage) or None."""
        return await controls.get_goal(self._codex, self.id)

    async def set_goal(
        self,
        objective: str | None = None,
        *,
        status: ThreadGoalStatus | str | None = None,
        token_budget: int | None = None,
    ) -> ThreadGoal:
        """Create, replace or update the thread's goal (``thread/goal/set``) and return it.

        A new ``objective`` replaces the goal (``status`` defaults to ``active``); without
        one, ``status``/``token_budget`` update the current goal. An ``active`` goal on
        an idle thread makes the runtime start working at once, with nobody following
        the turns: use ``start_goal``/``resume_goal`` to follow them as a turn.
        """
        return await controls.set_goal(
            self._codex, self.id, objective, status=status, token_budget=token_budget
        )

    async def pause_goal(self) -> ThreadGoal | None:
        """Pause the goal if it is active; the runtime starts no further turn for it (a
        turn already running finishes). Returns the goal (None: the thread has none)."""
        return await controls.pause_goal(self._codex, self.id)

    async def clear_goal(self) -> bool:
        """Delete the thread's goal; True if there was one. A running turn finishes."""
        return await controls.clear_goal(self._codex, self.id)

    def goal_events(self) -> AsyncGoalEvents:
        """Subscribe to the thread's ``thread/goal/updated`` and ``thread/goal/cleared``
        notifications, live from this call, whether or not a goal turn is followed::

            with thread.goal_events() as events:
                async for event in events: ...

        Leaving the ``with`` block (or ``close()``) ends it; the iteration raises
        ``TransportClosedError`` when the runtime goes away.
        """
        return AsyncGoalEvents(goal_registry(self._codex), self.id)


__all__ = ["AsyncGoalMethods"]
