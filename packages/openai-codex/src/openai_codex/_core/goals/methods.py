"""The goal methods of ``AsyncThread``: the implementations behind the generated
``run_goal``/``start_goal``/``resume_goal`` signatures (``GoalMethods``, declared in
``options.py``), and the thread's goal controls. The sync ``Thread`` relays them
(``_sync/generated.py``); ``goal_events`` has a hand-written sync face (``_sync/bases.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..threads.option_methods import GoalMethods
from . import controls
from .events import AsyncGoalEvents
from .registry import goal_registry

if TYPE_CHECKING:
    from openai_codex_types import ThreadGoal, ThreadGoalStatus

    from ..connection.session import Session
    from ..turns.handle import AsyncTurnHandle
    from ..turns.results import TurnResult


class AsyncGoalControls(GoalMethods):
    """Goals on a thread (see docs/goals.md); the thread supplies ``_codex`` and ``id``."""

    __slots__ = ()
    _session: Session
    id: str

    async def _start_goal(self, objective: str | None, options: dict[str, Any]) -> AsyncTurnHandle:
        return await controls.start_goal(self._session, self.id, objective, options=options)

    async def _run_goal(self, objective: str, options: dict[str, Any]) -> TurnResult:
        timeout = options.pop("timeout")
        handle = await self._start_goal(objective, options)
        return await handle.run(timeout=timeout)

    async def goal(self) -> ThreadGoal | None:
        """The thread's goal (``ThreadGoal``: objective, status, usage), or None."""
        return await controls.get_goal(self._session, self.id)

    async def set_goal(
        self,
        objective: str | None = None,
        *,
        status: ThreadGoalStatus | str | None = None,
        token_budget: int | None = None,
    ) -> ThreadGoal:
        """Create, replace or update the thread's goal (``thread/goal/set``); the goal.

        A new ``objective`` replaces the goal (``status`` defaults to ``active``); without
        one, ``status``/``token_budget`` update the current goal. An ``active`` goal on an
        idle thread makes the runtime start working at once with nobody following the
        turns: ``start_goal``/``resume_goal`` follow them as a turn.
        """
        return await controls.set_goal(
            self._session, self.id, objective, status=status, token_budget=token_budget
        )

    async def pause_goal(self) -> ThreadGoal | None:
        """Pause the goal if it is active: the runtime starts no further turn for it (a
        turn already running finishes). The goal (None: the thread has none)."""
        return await controls.pause_goal(self._session, self.id)

    async def clear_goal(self) -> bool:
        """Delete the thread's goal; True if there was one (a running turn finishes)."""
        return await controls.clear_goal(self._session, self.id)

    def goal_events(self) -> AsyncGoalEvents:
        """Subscribe to the thread's ``thread/goal/updated`` and ``thread/goal/cleared``
        notifications, live from this call, whether or not a goal turn is followed::

            with thread.goal_events() as events:
                async for event in events: ...

        Leaving the ``with`` block (or ``close()``) ends it; the iteration raises
        ``TransportClosedError`` when the runtime goes away.
        """
        return AsyncGoalEvents(goal_registry(self._session), self.id)


__all__ = ["AsyncGoalControls"]
