"""The goal methods of the sync ``Thread`` (a mixin over its ``AsyncThread`` twin).

Each call runs the async method through the client's portal; ``goal_events()`` reads
its queue from the calling thread, as a sync turn stream does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import GoalEvents

if TYPE_CHECKING:
    from openai_codex_types import (
        Personality,
        ReasoningEffort,
        ReasoningSummary,
        ThreadGoal,
        ThreadGoalStatus,
    )

    from .._async_thread import AsyncThread
    from .._presets import ApprovalMode, Sandbox
    from .._results import TurnResult
    from .._sync_client import Codex
    from .._sync_thread import TurnHandle


class GoalMethods:
    """``run_goal``, ``start_goal``, ``resume_goal`` and the goal controls (see
    ``AsyncThread``)."""

    __slots__ = ()
    _codex: Codex
    _async: AsyncThread
    id: str

    def run_goal(
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
        """Pursue ``objective`` until the goal stops (see ``AsyncThread.run_goal``);
        Ctrl-C pauses the goal and interrupts its turn."""
        handle = self.start_goal(
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
        return handle.run(timeout=timeout)

    def start_goal(
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
    ) -> TurnHandle:
        """Start a goal; the handle of its logical turn (see ``AsyncThread.start_goal``)."""
        handle = self._codex._portal.call_interruptible(
            self._async.start_goal,
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
        return self._sync_handle(handle)

    def resume_goal(
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
    ) -> TurnHandle:
        """Resume the stopped goal as a new logical turn (see ``AsyncThread.resume_goal``)."""
        handle = self._codex._portal.call_interruptible(
            self._async.resume_goal,
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
        return self._sync_handle(handle)

    def _sync_handle(self, handle: Any) -> TurnHandle:
        from .._sync_thread import TurnHandle

        return TurnHandle(self._codex, handle.thread_id, handle.id, _async=handle)

    def goal(self) -> ThreadGoal | None:
        """The thread's goal or None (see ``AsyncThread.goal``)."""
        return self._codex._portal.call(self._async.goal)

    def set_goal(
        self,
        objective: str | None = None,
        *,
        status: ThreadGoalStatus | str | None = None,
        token_budget: int | None = None,
    ) -> ThreadGoal:
        """Create, replace or update the goal (see ``AsyncThread.set_goal``)."""
        return self._codex._portal.call(
            self._async.set_goal, objective, status=status, token_budget=token_budget
        )

    def pause_goal(self) -> ThreadGoal | None:
        """Pause the goal if active (see ``AsyncThread.pause_goal``)."""
        return self._codex._portal.call(self._async.pause_goal)

    def clear_goal(self) -> bool:
        """Delete the goal (see ``AsyncThread.clear_goal``)."""
        return self._codex._portal.call(self._async.clear_goal)

    def goal_events(self) -> GoalEvents:
        """Subscribe to the thread's goal notifications, live from this call (``for``;
        see ``AsyncThread.goal_events``); ``with`` or ``close()`` ends it."""
        return GoalEvents(
            self._codex._portal, self._codex._portal.call_sync(self._async.goal_events)
        )


__all__ = ["GoalMethods"]
