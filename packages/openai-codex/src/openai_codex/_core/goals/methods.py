"""The goal methods of ``AsyncThread``: the implementations behind the generated
``run_goal``/``start_goal``/``resume_goal`` signatures (``GoalMethods``, declared in
``options.py``), and the thread's goal controls. The sync ``Thread`` relays them
(``_sync/generated.py``); ``goal_events`` has a hand-written sync face (``_sync/bases.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from ..threads.option_methods import GoalMethods

if TYPE_CHECKING:
    from openai_codex_types import ThreadGoal, ThreadGoalStatus

    from ..connection.session import Session
    from ..turns.handle import AsyncTurnHandle
    from ..turns.results import TurnResult
    from .events import AsyncGoalEvents

# (goals/controls.py and the registry load with the first goal call: ``import openai_codex``
# and plain turns do not pay for the goal machinery)


class AsyncGoalControls(GoalMethods):
    """Goals on a thread (see docs/goals.md); the thread supplies ``_codex`` and ``id``."""

    __slots__ = ()
    _session: Session
    id: str

    async def _start_goal(self, objective: str | None, options: dict[str, Any]) -> AsyncTurnHandle:
        from .controls import start_goal

        return await start_goal(self._session, self.id, objective, options=options)

    async def _run_goal(self, objective: str, options: dict[str, Any]) -> TurnResult:
        from ...errors import TurnTimeoutError
        from ..arguments import check_seconds

        timeout = check_seconds(options.pop("timeout"))
        if timeout is None:
            return await (await self._start_goal(objective, options)).run()
        # one deadline for every phase, starting the goal included (even with the runtime
        # stopped); a goal that was set when the deadline came is paused
        deadline = anyio.current_time() + timeout
        handle: AsyncTurnHandle | None = None
        with anyio.move_on_after(timeout):
            handle = await self._start_goal(objective, options)
        if handle is None:
            raise TurnTimeoutError(
                f"the goal on thread {self.id} did not start within {timeout:g} s; if it "
                "was set, it was paused"
            )
        return await handle._run(max(deadline - anyio.current_time(), 0.0), timeout)

    async def goal(self) -> ThreadGoal | None:
        """The thread's goal (``ThreadGoal``: objective, status, usage), or None."""
        from .controls import get_goal

        return await get_goal(self._session, self.id)

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
        from .controls import set_goal

        return await set_goal(
            self._session, self.id, objective, status=status, token_budget=token_budget
        )

    async def pause_goal(self) -> ThreadGoal | None:
        """Pause the goal if it is active: the runtime starts no further turn for it (a
        turn already running finishes). The goal (None: the thread has none)."""
        from .controls import pause_goal

        return await pause_goal(self._session, self.id)

    async def clear_goal(self) -> bool:
        """Delete the thread's goal; True if there was one (a running turn finishes)."""
        from .controls import clear_goal

        return await clear_goal(self._session, self.id)

    def goal_events(self) -> AsyncGoalEvents:
        """Subscribe to the thread's ``thread/goal/updated`` and ``thread/goal/cleared``
        notifications, live from this call, whether or not a goal turn is followed::

            with thread.goal_events() as events:
                async for event in events: ...

        Leaving the ``with`` block (or ``close()``) ends it; the iteration raises
        ``TransportClosedError`` when the runtime goes away.
        """
        from .events import AsyncGoalEvents
        from .registry import goal_registry

        return AsyncGoalEvents(goal_registry(self._session), self.id)


__all__ = ["AsyncGoalControls"]
