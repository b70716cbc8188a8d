"""Starting and controlling goals on a thread (the calls behind ``AsyncThread``'s goal
methods): validation, the wire requests, the runtime's refusals mapped to clear errors.

Starting a goal: check the input; refuse if a goal turn already runs on the thread
(this client) or the thread is ephemeral or has a turn in progress (``thread/read``);
apply the turn options as thread settings (``thread/settings/update``: the runtime
starts the goal's turns itself, so options cannot ride on a ``turn/start``); clear the
previous goal (so the new one starts from zero usage); set the new one ``active``; the
runtime then starts the first turn, whose id becomes the logical turn's id.
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio

from openai_codex_transport import CodexError, InvalidRequestError, TransportClosedError

from ...errors import GoalInProgressError, GoalsUnavailableError
from ..threads.option_methods import WIRE_NAMES
from ..threads.presets import Sandbox, approval_wire, turn_sandbox_wire
from ..wire import wire_options, wire_value
from .handle import AsyncGoalHandle
from .pause import pause_goals
from .registry import GoalOperation, goal_registry

if TYPE_CHECKING:
    from openai_codex_types import ThreadGoal

    from ..connection.session import Session

#: The runtime's limit on an objective (characters, after trimming).
MAX_OBJECTIVE_CHARS = 4000
#: How long to wait for the runtime to start a goal's first turn.
GOAL_START_TIMEOUT_S = 60.0
#: Bound on the pause/interrupt sent when starting a goal fails half-way (shielded: no
#: longer than a turn's wind-down; a pause already sent still reaches a stopped runtime).
CLEANUP_TIMEOUT_S = 1.5


# -- input checks (before anything is sent) -------------------------------------------------
def check_objective(objective: object) -> str:
    """The objective as the runtime stores it (trimmed); ValueError/TypeError if unusable."""
    if not isinstance(objective, str):
        raise TypeError(f"objective must be a str; got {type(objective).__name__}")
    text = objective.strip()
    if not text:
        raise ValueError("objective must not be empty (or only whitespace)")
    if len(text) > MAX_OBJECTIVE_CHARS:
        raise ValueError(
            f"objective is {len(text)} characters; the runtime accepts at most "
            f"{MAX_OBJECTIVE_CHARS}: put the details in a file or the thread and refer to them"
        )
    return text


def check_budget(token_budget: object) -> int | None:
    """A positive int or None."""
    if token_budget is None:
        return None
    if isinstance(token_budget, bool) or not isinstance(token_budget, int):
        raise TypeError(f"token_budget must be an int (tokens) or None; got {token_budget!r}")
    if token_budget <= 0:
        raise ValueError(f"token_budget must be a positive number of tokens; got {token_budget}")
    return token_budget


def check_status(status: object) -> str | None:
    """A goal status value (``ThreadGoalStatus`` or its wire string) or None."""
    if status is None:
        return None
    from openai_codex_types import ThreadGoalStatus

    statuses = [member.value for member in ThreadGoalStatus]
    value = wire_value(status)
    if value not in statuses:
        raise ValueError(f"status must be one of {', '.join(statuses)}; got {status!r}")
    return str(value)


# -- requests, with the runtime's goal refusals made clear ------------------------------------
def unavailable(exc: InvalidRequestError, thread_id: str) -> InvalidRequestError:
    """The clear error for the runtime's "goals disabled"/"ephemeral" refusals (else ``exc``)."""
    message = str(getattr(exc, "message", "") or "")
    if "goals feature is disabled" in message:
        return GoalsUnavailableError(
            exc.code,
            "goals are disabled in this runtime (feature `goals`); enable them with "
            "CodexConfig(config_overrides=('features.goals=true',)) or `[features] goals = "
            f"true` in config.toml. The runtime said: {message}",
            exc.data,
        )
    if "ephemeral thread does not support goals" in message:
        return ephemeral_error(thread_id, exc.code, exc.data)
    return exc


def ephemeral_error(thread_id: str, code: int = -32600, data: Any = None) -> GoalsUnavailableError:
    """The error for a goal on an ephemeral thread (found by ``thread/read`` or the runtime)."""
    return GoalsUnavailableError(
        code,
        f"thread {thread_id} is ephemeral and cannot have a goal (goals are stored with "
        "the thread): start the thread without ephemeral=True",
        data,
    )


async def goal_request(
    session: Session, thread_id: str, method: str, params: dict[str, Any]
) -> Any:
    """``method``'s result (its registered model), the goal refusals made clear."""
    try:
        return await session.typed(method, params)
    except InvalidRequestError as exc:
        mapped = unavailable(exc, thread_id)
        if mapped is exc:
            raise
        raise mapped from exc


# -- the thread controls --------------------------------------------------------------------
async def get_goal(session: Session, thread_id: str) -> ThreadGoal | None:
    """``thread/goal/get``: the thread's goal or None."""
    await session.ensure_started()
    goal_registry(session)
    result = await goal_request(session, thread_id, "thread/goal/get", {"threadId": thread_id})
    goal: ThreadGoal | None = result.goal
    return goal


async def set_goal(
    session: Session,
    thread_id: str,
    objective: str | None,
    *,
    status: Any = None,
    token_budget: int | None = None,
) -> ThreadGoal:
    """``thread/goal/set`` with what is given (checked first); the goal."""
    params: dict[str, Any] = {"threadId": thread_id}
    if objective is not None:
        params["objective"] = check_objective(objective)
    wire_status = check_status(status)
    if wire_status is not None:
        params["status"] = wire_status
    budget = check_budget(token_budget)
    if budget is not None:
        params["tokenBudget"] = budget
    if len(params) == 1:
        raise ValueError("set_goal() needs an objective, a status or a token_budget")
    await session.ensure_started()
    goal_registry(session)
    result = await goal_request(session, thread_id, "thread/goal/set", params)
    goal: ThreadGoal = result.goal
    return goal


async def pause_goal(session: Session, thread_id: str) -> ThreadGoal | None:
    """Pause the thread's goal if it is active; the goal as it is then (None: no goal)."""
    goal = await get_goal(session, thread_id)
    if goal is None or wire_value(goal.status) != "active":
        return goal
    return await set_goal(session, thread_id, None, status="paused")


async def clear_goal(session: Session, thread_id: str) -> bool:
    """``thread/goal/clear``: True if there was a goal."""
    await session.ensure_started()
    goal_registry(session)
    result = await goal_request(session, thread_id, "thread/goal/clear", {"threadId": thread_id})
    return bool(result.cleared)


def refuse_plain_turn(session: Session, thread_id: str) -> None:
    """Raise ``GoalInProgressError`` if a goal runs on the thread (see ``AsyncThread.turn``)."""
    registry = session.goals
    if registry is None:
        return
    if registry.running(thread_id) is not None or registry.goal_active(thread_id):
        raise GoalInProgressError(
            f"thread {thread_id} is pursuing a goal: a plain turn would race the runtime's "
            "goal turns. Steer the goal turn instead (handle.steer()), or stop the goal "
            "first (pause_goal(), the goal turn's interrupt(), or clear_goal())",
            thread_id=thread_id,
        )


# -- starting a logical goal turn -------------------------------------------------------------
async def goal_settings(
    session: Session, thread_id: str, options: dict[str, Any]
) -> dict[str, Any]:
    """The ``thread/settings/update`` params for a goal's options (``{}``: none given)."""
    params = approval_wire(options.get("approval_mode"))
    params.update(wire_options(WIRE_NAMES["start_goal"], options))
    sandbox = options.get("sandbox")
    if sandbox is Sandbox.workspace_write:
        await session.sandboxes.ensure_workspace_policy(
            thread_id, options.get("cwd"), partial(session.request, "config/read")
        )
    policy = turn_sandbox_wire(sandbox, session.sandboxes.known(thread_id))
    if policy is not None:
        params["sandboxPolicy"] = policy
    return params


async def start_goal(
    session: Session,
    thread_id: str,
    objective: str | None,
    *,
    options: dict[str, Any],
) -> AsyncGoalHandle:
    """Start a new goal (``objective``) or resume the thread's goal (``None``) and
    return the handle of the logical turn that follows it. ``options``: the keywords of
    ``start_goal`` (``token_budget`` and the goal options)."""
    text = None if objective is None else check_objective(objective)
    budget = check_budget(options.get("token_budget"))
    await session.ensure_started()
    registry = goal_registry(session)
    if registry.running(thread_id) is not None:
        raise GoalInProgressError(
            f"thread {thread_id} already runs a goal turn: wait for it, or stop it "
            "(its interrupt(), or pause_goal()) before starting another",
            thread_id=thread_id,
        )
    operation = registry.begin(thread_id)  # reserved before the first await
    activated = False
    host = session.host
    try:
        await _check_thread(session, thread_id)
        wire: dict[str, Any] = {"threadId": thread_id, "status": "active"}
        if text is None:
            await _check_resumable(session, thread_id)
        else:
            wire["objective"] = text
        if budget is not None:
            wire["tokenBudget"] = budget
        settings = await goal_settings(session, thread_id, options)
        if settings:
            await session.request("thread/settings/update", {"threadId": thread_id, **settings})
        if text is not None:
            await goal_request(session, thread_id, "thread/goal/clear", {"threadId": thread_id})
        activated = True
        span = host.start_turn_span(thread_id, {"model": options.get("model")})
        with host.use_span(span):  # on an error there, the span is marked and ended
            await goal_request(session, thread_id, "thread/goal/set", wire)
        try:
            logical_id = await _first_turn(session, operation)
        except BaseException as exc:
            if span is not None:
                failed = {"status": "failed", "error": {"message": f"{type(exc).__name__}: {exc}"}}
                host.end_turn_span(thread_id, span, {"turn": failed})
            raise
    except BaseException:
        if activated:
            await _abandon(session, operation)
        registry.release(operation)
        raise
    handle = AsyncGoalHandle(
        session, thread_id, logical_id, _operation=operation, _registry=registry
    )
    handle._span = host.attach_span(logical_id, span)  # ended by the logical turn/completed
    return handle


async def _check_thread(session: Session, thread_id: str) -> None:
    result = await session.request("thread/read", {"threadId": thread_id, "includeTurns": False})
    thread = result.get("thread") if isinstance(result, dict) else None
    if not isinstance(thread, dict):
        return
    if thread.get("ephemeral"):
        raise ephemeral_error(thread_id)
    status = thread.get("status")
    if isinstance(status, dict) and status.get("type") == "active":
        raise GoalInProgressError(
            f"thread {thread_id} has a turn in progress: wait for it to finish (or "
            "interrupt it) before starting a goal, which the runtime would otherwise "
            "fold into that turn",
            thread_id=thread_id,
        )


async def _check_resumable(session: Session, thread_id: str) -> None:
    goal = await get_goal(session, thread_id)
    if goal is None:
        raise ValueError(
            f"thread {thread_id} has no goal to resume: start one with run_goal()/start_goal()"
        )
    if wire_value(goal.status) == "complete":
        raise ValueError(
            f"the goal of thread {thread_id} is complete: start a new one with "
            "run_goal()/start_goal()"
        )


async def _first_turn(session: Session, operation: GoalOperation) -> str:
    """Wait for the runtime to start the goal's first turn; its id."""
    fold = operation.fold
    with anyio.move_on_after(GOAL_START_TIMEOUT_S):
        while fold.logical_id is None:
            closed = session.router.closed_error
            if closed is not None:
                raise closed._copy() if isinstance(closed, TransportClosedError) else closed
            await operation.changed()
    if fold.logical_id is None:
        raise CodexError(
            f"the runtime started no turn for the goal of thread {operation.thread_id} "
            f"within {GOAL_START_TIMEOUT_S:g} s (a goal does not run in plan mode); "
            "the goal was paused"
        )
    return fold.logical_id


async def _abandon(session: Session, operation: GoalOperation) -> None:
    """Starting failed after the goal was set: pause it and stop any turn it started."""
    with anyio.CancelScope(shield=True), anyio.move_on_after(CLEANUP_TIMEOUT_S):
        thread_id = operation.thread_id
        await pause_goals(session.request, (thread_id,), seconds=CLEANUP_TIMEOUT_S)
        turn_id = operation.fold.current_turn_id
        if turn_id is not None:
            with contextlib.suppress(Exception):
                await session.request("turn/interrupt", {"threadId": thread_id, "turnId": turn_id})


__all__ = [
    "GOAL_START_TIMEOUT_S",
    "MAX_OBJECTIVE_CHARS",
    "check_budget",
    "check_objective",
    "clear_goal",
    "get_goal",
    "goal_settings",
    "pause_goal",
    "refuse_plain_turn",
    "set_goal",
    "start_goal",
]
