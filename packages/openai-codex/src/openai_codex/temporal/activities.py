"""The Codex activities: a turn (and a thread start) on the worker's local runtime.

One :class:`CodexActivities` per worker process owns one ``AsyncCodex`` (one runtime,
started on first use) that every concurrent activity of the worker shares. Register its
methods with a Temporal worker (:func:`openai_codex.temporal.create_worker` does).

What an attempt of ``run_codex_turn`` does:

1. resumes the thread the workflow names (or, without one, the thread a previous attempt
   recorded in its heartbeat details; else starts one). A
   thread another runtime still holds (a frozen worker keeps its writer lock) is forked
   and the turn continues on the fork (``CodexTurnResult.forked_from``); a thread with no
   stored turn yet (the runtime persists a thread with its first turn) is started anew;
2. if a previous attempt's turn already completed on the thread, returns that turn's
   result instead of running the prompt again;
3. starts the turn, heartbeats the thread and turn ids at once, then on the turn's events
   (throttled) and while idle (approvals, long model calls), and returns a
   :class:`~openai_codex.temporal.CodexTurnResult`;
4. on Temporal cancellation, interrupts the turn on the runtime before it returns.

``run_codex_goal`` does the same for a goal (``thread.start_goal``): the runtime works on it
over as many turns as it needs, followed as one logical turn. A retry continues the goal the
thread holds (``resume_goal``; a goal already complete is returned without a new turn), and
a Temporal cancellation pauses the goal, then interrupts its running turn.

Threads live in the runtime's ``CODEX_HOME`` on the worker's disk. With a thread store
(``store=``, ``--thread-store``; see docs/stores.md) every worker keeps its own
``CODEX_HOME``: the activity saves the thread to the store after each turn (and every
``checkpoint_every_s`` during a long one), and an attempt on a worker whose runtime lacks
the thread restores it from the store first (``CodexTurnResult.restored``), so a retry on
another machine continues the conversation. Without a store, a retry on another worker
can resume the thread only if both workers share one ``CODEX_HOME`` directory.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from temporalio import activity

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    AsyncThread,
    AsyncTurnHandle,
    CodexConfig,
    Sandbox,
)
from openai_codex.errors import CodexError, InvalidRequestError, TurnFailedError
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.stores import ThreadNotStoredError, ThreadStore, ThreadStoreError
from openai_codex.stores._transfer import place_rollout

from .approval_route import WorkflowApprovalRoute
from .heartbeat import TurnHeartbeat, recorded_progress
from .models import (
    RUN_GOAL_ACTIVITY,
    RUN_TURN_ACTIVITY,
    CodexGoalInput,
    CodexGoalResult,
    CodexTurnInput,
    CodexTurnResult,
    ItemSummary,
    TokenUsage,
    TurnOptions,
    TurnProgress,
    Workspace,
)
from .workspace import prepare_workspace, workspace_diff

_log = logging.getLogger("openai_codex.temporal")

#: How long a cancelled activity waits for the runtime to end the interrupted turn.
INTERRUPT_SETTLE_S = 30.0

# The runtime's refusals of ``thread/resume`` that a retry can work around (0.163.0 texts).
_ACTIVE_WRITER = "already has an active writer"
_NOT_STORED = "no rollout found"

_APPROVAL_MODES = {
    "host": ApprovalMode.host,
    "auto_review": ApprovalMode.auto_review,
    "deny_all": ApprovalMode.deny_all,
}
_SANDBOXES = {
    "read_only": Sandbox.read_only,
    "workspace_write": Sandbox.workspace_write,
    "full_access": Sandbox.full_access,
}


class _Attempt:
    """One attempt of a turn or goal activity: what ``_begin`` set up for ``_finish``."""

    __slots__ = (
        "beat",
        "cwd",
        "forked_from",
        "number",
        "options",
        "restored",
        "resumed",
        "started_at",
        "thread",
    )

    def __init__(
        self,
        number: int,
        started_at: float,
        beat: TurnHeartbeat,
        cwd: str | None,
        thread: AsyncThread,
        resumed: bool,
        forked_from: str | None,
        restored: bool,
        options: TurnOptions,
    ) -> None:
        self.number = number
        self.started_at = started_at
        self.beat = beat
        self.cwd = cwd
        self.thread = thread
        self.resumed = resumed
        self.forked_from = forked_from
        self.restored = restored
        self.options = options


class CodexActivities:
    """The activities of one worker process, sharing one Codex runtime.

    ``config``: the runtime's ``CodexConfig`` (its ``env["CODEX_HOME"]`` is where threads
    live). ``identity``: reported in results (defaults to ``pid@host``).
    ``workspace_root``: where relative workspace paths go. ``heartbeat_every_s``: the
    heartbeat throttle (keep it well under the activities' ``heartbeat_timeout``).
    ``store``: the thread store shared by the workers (``openai_codex.stores``), saved to
    after each turn and every ``checkpoint_every_s`` seconds of a running turn (``None``:
    only after it), and restored from when this runtime lacks the thread.
    """

    def __init__(
        self,
        config: CodexConfig | None = None,
        *,
        identity: str | None = None,
        workspace_root: str | Path | None = None,
        heartbeat_every_s: float = 1.0,
        store: ThreadStore | None = None,
        checkpoint_every_s: float | None = 30.0,
    ) -> None:
        if heartbeat_every_s <= 0:
            raise ValueError(f"heartbeat_every_s must be positive, got {heartbeat_every_s!r}")
        if checkpoint_every_s is not None and checkpoint_every_s <= 0:
            raise ValueError(f"checkpoint_every_s must be positive, got {checkpoint_every_s!r}")
        self.store = store
        self.checkpoint_every_s = checkpoint_every_s
        self.config = config or CodexConfig()
        self.identity = identity or f"{_pid()}@{socket.gethostname()}"
        self.workspace_root = Path(workspace_root or Path.cwd())
        self.heartbeat_every_s = heartbeat_every_s
        self._codex: AsyncCodex | None = None
        self._lock = anyio.Lock()

    def activities(self) -> list[Any]:
        """The activity callables to register with a worker."""
        return [self.run_turn, self.run_goal]

    async def codex(self) -> AsyncCodex:
        """The worker's client, its runtime started on first use."""
        async with self._lock:
            if self._codex is None:
                codex = AsyncCodex(self.config)
                await codex.__aenter__()
                self._codex = codex
            return self._codex

    async def close(self) -> None:
        """Stop the runtime (when the worker shuts down)."""
        async with self._lock:
            codex, self._codex = self._codex, None
        if codex is not None:
            await codex.close()

    @activity.defn(name=RUN_TURN_ACTIVITY)
    async def run_turn(self, input: CodexTurnInput) -> CodexTurnResult:
        """Run one turn to its end on this worker's runtime (see the module docstring)."""
        attempt = await self._begin(input.thread_id, input.workspace, input.options)
        thread, beat, options = attempt.thread, attempt.beat, input.options
        result = None
        if beat.progress.turn_id is not None:
            result = await _completed_turn(thread, beat.progress.turn_id)
        if result is None:
            result = await self._run(
                thread,
                beat,
                partial(
                    thread.turn,
                    input.prompt,
                    output_schema=options.output_schema,
                    **_turn_options(options),
                ),
            )
        return result.model_copy(update=await self._finish(attempt))

    @activity.defn(name=RUN_GOAL_ACTIVITY)
    async def run_goal(self, input: CodexGoalInput) -> CodexGoalResult:
        """Pursue a goal to its end on this worker's runtime (see the module docstring)."""
        attempt = await self._begin(input.thread_id, input.workspace, input.options)
        thread, beat = attempt.thread, attempt.beat
        goal = await thread.goal() if attempt.resumed else None
        status = None if goal is None else _status(goal.status)
        if goal is not None and goal.objective == input.objective and status == "complete":
            # a previous attempt saw the goal through: nothing left to run
            result = CodexTurnResult(
                thread_id=thread.id, turn_id=beat.progress.turn_id or "", status="completed"
            )
        elif goal is not None and goal.objective == input.objective:
            start = partial(thread.resume_goal, token_budget=input.token_budget)
            result = await self._run(thread, beat, start)
            goal = await thread.goal()
        else:
            start = partial(thread.start_goal, input.objective, token_budget=input.token_budget)
            result = await self._run(thread, beat, start)
            goal = await thread.goal()
        return CodexGoalResult(
            **result.model_dump(),
        ).model_copy(
            update={
                "objective": input.objective,
                "goal_status": None if goal is None else _status(goal.status),
                "goal_tokens_used": None if goal is None else goal.tokens_used,
                "goal_time_used_s": None if goal is None else goal.time_used_seconds,
                **await self._finish(attempt),
            }
        )

    async def _begin(self, thread_id: str | None, workspace: Any, options: TurnOptions) -> _Attempt:
        """What a turn or goal activity does first: the heartbeat from the recorded
        progress, the runtime, the workspace, the approval route, the thread (restored from
        the store when this runtime lacks it, then resumed or started)."""
        info = activity.info()
        started_at = time.time()
        progress = recorded_progress() or TurnProgress()
        if info.attempt > 1:
            _log.info("%s resumes from %s", attempt_label(info), progress)
        if thread_id is not None:
            progress = progress.model_copy(update={"thread_id": thread_id})
        beat = TurnHeartbeat(progress, every_s=self.heartbeat_every_s)
        codex = await self.codex()
        cwd = await self._cwd(workspace)
        handlers = None
        if options.approval_mode == "host" and info.workflow_id is not None:
            route = WorkflowApprovalRoute(
                activity.client(),
                info.workflow_id,
                info.workflow_run_id,
                attempt=info.attempt,
                on_wait=lambda waiting: beat.update(waiting_for_approval=waiting),
            )
            handlers = route.handlers()
        restored = await self._restore(codex, beat.progress.thread_id)
        thread, resumed, forked_from = await self._open_thread(codex, beat, options, cwd, handlers)
        return _Attempt(
            info.attempt, started_at, beat, cwd, thread, resumed, forked_from, restored, options
        )

    async def _finish(self, attempt: _Attempt) -> dict[str, Any]:
        """What a turn or goal activity does last: checkpoint the thread, the workspace's
        diff if asked; the result fields they and the attempt fill in."""
        checkpointed = await self._checkpoint(attempt.thread)
        diff = None
        if attempt.options.include_diff and attempt.cwd is not None:
            diff = await workspace_diff(Path(attempt.cwd))
        return {
            "diff": diff,
            "attempt": attempt.number,
            "resumed": attempt.resumed,
            "forked_from": attempt.forked_from,
            "restored": attempt.restored,
            "checkpointed": checkpointed,
            "worker": self.identity,
            "started_at": attempt.started_at,
            "finished_at": time.time(),
        }

    async def _restore(self, codex: AsyncCodex, thread_id: str | None) -> bool:
        """Bring the thread from the store when this runtime lacks it; whether it did."""
        if self.store is None or thread_id is None:
            return False
        try:
            restored = await place_rollout(codex, thread_id, self.store)
        except ThreadNotStoredError:
            return False  # never checkpointed (no turn completed): handled as before
        if restored:
            _log.info("thread %s restored from %r", thread_id, self.store)
        return restored

    async def _checkpoint(self, thread: AsyncThread) -> bool:
        """Save the thread to the store; a failure is logged, never fails the turn."""
        if self.store is None:
            return False
        try:
            await thread.save(self.store)
        except (ThreadStoreError, OSError) as exc:
            _log.warning("checkpoint of thread %s failed: %s", thread.id, exc)
            return False
        return True

    async def _checkpoint_while_running(self, thread: AsyncThread) -> None:
        """Save the running turn's progress every ``checkpoint_every_s`` seconds."""
        every = self.checkpoint_every_s
        if self.store is None or every is None:
            return
        while True:
            await asyncio.sleep(every)  # a period, not a synchronization
            await self._checkpoint(thread)

    async def _cwd(self, workspace: Workspace | None) -> str | None:
        if workspace is None:
            return None
        return str(await prepare_workspace(workspace, self.workspace_root))

    async def _open_thread(
        self,
        codex: AsyncCodex,
        beat: TurnHeartbeat,
        options: TurnOptions,
        cwd: str | None,
        handlers: ServerRequestHandlers | None,
    ) -> tuple[AsyncThread, bool, str | None]:
        """The attempt's thread, and whether it was resumed or forked (from which id)."""
        thread_id = beat.progress.thread_id
        sandbox = None if options.sandbox is None else _SANDBOXES[options.sandbox]
        if thread_id is not None:
            try:
                thread = await codex.thread_resume(
                    thread_id,
                    approval_mode=_APPROVAL_MODES[options.approval_mode],
                    cwd=cwd,
                    include_turns=False,
                    sandbox=sandbox,
                    handlers=handlers,
                )
            except InvalidRequestError as exc:
                if _ACTIVE_WRITER in str(exc):
                    thread = await codex.thread_fork(
                        thread_id,
                        approval_mode=_APPROVAL_MODES[options.approval_mode],
                        cwd=cwd,
                        include_turns=False,
                        sandbox=sandbox,
                        handlers=handlers,
                    )
                    beat.update(thread_id=thread.id, send=False)
                    _log.warning(
                        "thread %s is held by another runtime; continuing on its fork %s",
                        thread_id,
                        thread.id,
                    )
                    return thread, True, thread_id
                if _NOT_STORED not in str(exc):
                    raise
                _log.warning("thread %s was never stored; starting a new thread", thread_id)
            else:
                return thread, True, None
        thread = await codex.thread_start(**_thread_options(options, cwd), handlers=handlers)
        beat.update(thread_id=thread.id, turn_id=None, send=False)
        return thread, False, None

    async def _run(
        self,
        thread: AsyncThread,
        beat: TurnHeartbeat,
        start: Callable[[], Awaitable[AsyncTurnHandle]],
    ) -> CodexTurnResult:
        """Start the turn (or the goal's logical turn) and follow it to its end; on
        cancellation, interrupt it (a goal's handle pauses the goal first)."""
        handle = await start()
        beat.update(thread_id=thread.id, turn_id=handle.id, events=0, items_completed=0)
        keep_alive = asyncio.create_task(beat.keep_alive())
        checkpoints = asyncio.create_task(self._checkpoint_while_running(thread))
        # The turn is consumed in its own task: when Temporal cancels the activity's task,
        # a fresh task interrupts the turn and waits for its end, untouched by that cancel.
        consumer = asyncio.create_task(_consume(thread.id, handle, beat))
        try:
            return await asyncio.shield(consumer)
        except asyncio.CancelledError:
            cleanup = asyncio.create_task(_interrupt(handle, consumer))
            while not cleanup.done():
                try:
                    await asyncio.shield(cleanup)
                except asyncio.CancelledError:
                    continue
            raise
        finally:
            keep_alive.cancel()
            checkpoints.cancel()


async def _consume(thread_id: str, handle: AsyncTurnHandle, beat: TurnHeartbeat) -> CodexTurnResult:
    """Stream the turn to its end, heartbeating on its events; its result."""
    async with handle:
        async for event in handle.stream():
            beat.event(item_completed=event.method == "item/completed")
        try:
            turn = await handle.run()
        except TurnFailedError as exc:
            failed = exc.result
            return CodexTurnResult(
                thread_id=thread_id,
                turn_id=handle.id,
                status="failed",
                error=str(exc),
                items=[] if failed is None else _summaries(failed.items),
                usage=None if failed is None else _usage(failed),
                thread_usage=None if failed is None else _thread_usage(failed),
            )
    return CodexTurnResult(
        thread_id=thread_id,
        turn_id=turn.id,
        status=_status(turn.status),
        final_response=turn.final_response,
        error=None if turn.error is None else turn.error.message,
        usage=_usage(turn),
        thread_usage=_thread_usage(turn),
        items=_summaries(turn.items),
        parsed=turn.parsed,
    )


async def _interrupt(handle: AsyncTurnHandle, consumer: asyncio.Task[CodexTurnResult]) -> None:
    """Interrupt the turn on the runtime and wait (bounded) until it has ended."""
    try:
        with anyio.fail_after(INTERRUPT_SETTLE_S):
            if not consumer.done():
                await handle.interrupt()
            await asyncio.wait({consumer})
    except (CodexError, TimeoutError) as exc:
        _log.warning("interrupting turn %s on cancellation: %s", handle.id, exc)
    finally:
        if not consumer.done():
            consumer.cancel()
        elif not consumer.cancelled() and consumer.exception() is not None:
            _log.debug("turn %s ended with %r after the interrupt", handle.id, consumer.exception())


async def _completed_turn(thread: AsyncThread, turn_id: str) -> CodexTurnResult | None:
    """The stored result of ``turn_id`` if it completed (a previous attempt finished it)."""
    stored = await thread.read(include_turns=True)
    for turn in stored.thread.turns:
        status = _status(turn.status)
        if turn.id == turn_id and status == "completed":
            items = _summaries(turn.items)
            final = next((i.text for i in reversed(items) if i.type == "agentMessage"), None)
            return CodexTurnResult(
                thread_id=thread.id,
                turn_id=turn.id,
                status=status,
                final_response=final,
                items=items,
            )
    return None


def _turn_options(options: TurnOptions) -> dict[str, Any]:
    """The turn options given, as their string values (the SDK checks them at the call)."""
    names = ("effort", "personality", "summary", "service_tier")
    return {n: getattr(options, n) for n in names if getattr(options, n) is not None}


def _thread_options(options: TurnOptions, cwd: str | None) -> dict[str, Any]:
    return {
        "approval_mode": _APPROVAL_MODES[options.approval_mode],
        "cwd": cwd,
        "model": options.model,
        "developer_instructions": options.developer_instructions,
        "sandbox": None if options.sandbox is None else _SANDBOXES[options.sandbox],
    }


def _summaries(items: list[Any]) -> list[ItemSummary]:
    summaries = []
    for item in items:
        data: dict[str, Any] = item.model_dump(by_alias=True, mode="json")
        text = data.get("text")
        if text is None and data.get("type") == "commandExecution":
            text = data.get("command")
        summaries.append(
            ItemSummary(
                id=str(data.get("id", "")),
                type=str(data.get("type", "")),
                text=text if isinstance(text, str) else None,
            )
        )
    return summaries


def attempt_label(info: Any) -> str:
    """``attempt 2 of 5 of activity <id>`` (``of N`` only when the retry policy bounds it)."""
    policy = getattr(info, "retry_policy", None)
    limit = getattr(policy, "maximum_attempts", 0) or 0
    bound = f" of {limit}" if limit > 0 else ""
    return f"attempt {info.attempt}{bound} of activity {info.activity_id}"


def _tokens(breakdown: Any) -> TokenUsage | None:
    if breakdown is None:
        return None
    return TokenUsage(
        input_tokens=breakdown.input_tokens,
        cached_input_tokens=breakdown.cached_input_tokens,
        output_tokens=breakdown.output_tokens,
        reasoning_output_tokens=breakdown.reasoning_output_tokens,
        total_tokens=breakdown.total_tokens,
    )


def _usage(result: Any) -> TokenUsage | None:
    """The turn's tokens: the sum over its model calls (``TurnResult.turn_usage``)."""
    return _tokens(result.turn_usage)


def _thread_usage(result: Any) -> TokenUsage | None:
    """The thread's total tokens as the turn ended (``TurnResult.thread_usage``)."""
    return _tokens(result.thread_usage)


def _status(status: Any) -> str:
    return str(getattr(status, "value", status))


def _pid() -> int:
    return os.getpid()
