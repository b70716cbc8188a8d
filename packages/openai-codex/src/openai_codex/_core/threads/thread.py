"""``AsyncThread``: a conversation thread; starting turns on it (``turn/start``).

``turn``/``run`` come from ``option_methods`` (generated from ``options.TURN``/``RUN``)
and land in :meth:`AsyncThread._start_turn`. The goal methods come from
``goals.methods.AsyncGoalControls``.
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel

from openai_codex_transport import RequestTimeoutError, TransportClosedError

from ...errors import TurnInProgressError, TurnStartTimeoutError, TurnTimeoutError
from ..arguments import (
    check_cwd,
    check_output_schema,
    check_seconds,
    check_text,
    check_turn_input,
)
from ..connection.sink import Sink
from ..goals.methods import AsyncGoalControls
from ..services.mcp import ThreadMcpMethods
from ..turns.handle import AsyncTurnHandle
from ..turns.presenters import presenter
from ..wire import wire_options
from .option_methods import WIRE_NAMES, TurnMethods
from .presets import Sandbox, approval_wire, turn_sandbox_wire

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from openai_codex_types import (
        ThreadCompactStartResponse,
        ThreadDeleteResponse,
        ThreadItemEntry,
        ThreadMetadataUpdateResponse,
        ThreadReadResponse,
        ThreadRevertResponse,
        ThreadSetNameResponse,
        ThreadUnsubscribeResponse,
        Turn,
        TurnItemsView,
    )

    from ...stores import StoredThread, SyncThreadStore, ThreadStore
    from ..connection.session import Session
    from ..turns.inputs import RunInput
    from ..turns.results import TurnResult

_TURN_WIRE = WIRE_NAMES["turn"]

#: How long a turn whose ``turn/start`` went unanswered is watched for (to interrupt it).
LATE_TURN_WATCH_S = 30.0
#: Bound of each step (find, interrupt) of clearing a late turn before the next turn.
RECONCILE_STEP_S = 1.0


_NO_SPAN = contextlib.nullcontext()


def _refuse_plain_turn(session: Session, thread_id: str) -> None:
    """``GoalInProgressError`` if a goal runs on the thread (the goal controls load only
    when the registry knows one there)."""
    registry = session.goals
    if registry is not None and (
        registry.running(thread_id) is not None or registry.goal_active(thread_id)
    ):
        from ..goals.controls import refuse_plain_turn

        refuse_plain_turn(session, thread_id)


class AsyncThread(TurnMethods, AsyncGoalControls, ThreadMcpMethods):
    """A conversation thread: run turns on it."""

    __slots__ = ("_session", "id")

    def __init__(self, _session: Session, id: str) -> None:
        self._session = _session
        self.id = id

    def __repr__(self) -> str:
        return f"AsyncThread(id={self.id!r})"

    async def _typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return await self._session.typed(method, params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AsyncThread) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    async def _run_turn(self, input: RunInput, options: dict[str, Any]) -> TurnResult:
        timeout = check_seconds(options.pop("timeout"))
        progress = options.pop("progress", False)
        return await self._run_started(
            lambda bounded: self._start_turn(input, options, bounded=bounded), timeout, progress
        )

    async def _run_started(
        self,
        start: Callable[[bool], Awaitable[AsyncTurnHandle]],
        timeout: float | None,  # noqa: ASYNC109
        progress: bool = False,
    ) -> TurnResult:
        """Start a turn with ``start(bounded)`` and run it, all within ``timeout``."""
        if timeout is None:
            handle = await start(False)
            left: float | None = None
        else:
            # one deadline for every phase, turn/start included (even with the runtime
            # stopped): a turn the runtime starts after it is interrupted when it shows
            deadline = anyio.current_time() + timeout
            started: AsyncTurnHandle | None = None
            with anyio.move_on_after(timeout):
                started = await start(True)
            if started is None:
                raise TurnTimeoutError(
                    f"the turn on thread {self.id} did not start within {timeout:g} s (the "
                    "runtime did not answer turn/start); if it starts the turn later, the "
                    "turn is interrupted"
                )
            handle = started
            left = max(deadline - anyio.current_time(), 0.0)
        if progress:  # shown by openai_codex.console while run() collects the events
            result: TurnResult = await presenter("progress")(handle, left)
            return result
        return await handle._run(left, timeout)

    async def _start_turn(
        self, input: RunInput, options: dict[str, Any], *, bounded: bool = False
    ) -> AsyncTurnHandle:
        check_turn_input(input)
        check_cwd(options.get("cwd"))
        check_output_schema(options["output_schema"])
        session = self._session
        await session.ensure_started()
        _refuse_plain_turn(session, self.id)
        # a late turn of an unanswered turn/start is interrupted first, not reported
        await self._reconcile()
        active = session.active
        running = None if active is None or options.get("join") else active.running_on(self.id)
        if running is not None:
            raise TurnInProgressError(
                f"turn {running} is still running on thread {self.id}: wait for it "
                "(handle.run()), add to it (handle.steer(input), or turn(..., join=True)), "
                "or stop it (handle.interrupt())",
                thread_id=self.id,
                turn_id=running,
            )
        sandbox = options["sandbox"]
        if sandbox is Sandbox.workspace_write:
            await session.sandboxes.ensure_workspace_policy(
                self.id, options["cwd"], partial(session.request, "config/read")
            )
        params: dict[str, Any] = {"threadId": self.id}
        if type(input) is str:  # the common case, without loading the input classes
            params["input"] = [{"type": "text", "text": input}]
        else:
            from ..turns.inputs import turn_input_wire

            params["input"], tool_output = turn_input_wire(input)
            if tool_output is not None:
                params["toolOutput"] = tool_output
        params.update(approval_wire(options["approval_mode"]))
        params.update(wire_options(_TURN_WIRE, options))
        policy = turn_sandbox_wire(sandbox, session.sandboxes.known(self.id))
        if policy is not None:
            params["sandboxPolicy"] = policy
        output_schema = options["output_schema"]
        if output_schema is not None:
            params["outputSchema"] = session.host.output_schema_wire(output_schema)
        return await self._send_turn_start(params, output_schema, bounded=bounded)

    async def _send_turn_start(
        self,
        params: dict[str, Any],
        output_schema: Any,
        method: str = "turn/start",
        *,
        bounded: bool = False,
    ) -> AsyncTurnHandle:
        """Send ``turn/start`` (or ``review/start``) and return the handle; no event of the
        turn is lost. ``bounded``: the caller's scope holds the deadline (``run(timeout=)``),
        so the request waits for it rather than for the client's ``request_timeout``."""
        session, thread_id = self._session, self.id
        router = session.router
        sink = Sink()
        turn_id: str | None = None
        host = session.host
        span = host.start_turn_span(thread_id, params)
        router.begin_turn_request(thread_id)
        try:
            # (without a span: a shared no-op context, no generator made per turn)
            with _NO_SPAN if span is None else host.use_span(span):
                try:
                    if bounded:
                        result = await session.request(method, params, timeout=None)
                    else:
                        result = await session.request(method, params)
                except RequestTimeoutError as exc:
                    with anyio.CancelScope(shield=True):
                        await self._abandon_start(max(exc.timeout, LATE_TURN_WATCH_S))
                    raise TurnStartTimeoutError(thread_id, exc.timeout) from None
                except anyio.get_cancelled_exc_class():
                    # the caller gave up (a cancel scope, run(timeout=), Ctrl-C) before the
                    # answer: the runtime may still start the turn; it is interrupted when
                    # it shows. Only the watcher's start is shielded (briefly).
                    with anyio.CancelScope(shield=True), anyio.move_on_after(1.0):
                        await self._abandon_start(LATE_TURN_WATCH_S)
                    raise
            turn = result.get("turn") if isinstance(result, dict) else None
            if not isinstance(turn, dict) or not isinstance(turn.get("id"), str):
                raise TransportClosedError(f"{method} returned no turn: {result!r}")
            turn_id = turn["id"]
            # a detached review runs on a new thread (reviewThreadId)
            other = result.get("reviewThreadId")
            if isinstance(other, str) and other != thread_id:
                thread_id = other
            if session.active is not None:
                session.active.add(thread_id, turn_id)
        finally:
            if thread_id == self.id:
                router.end_turn_request(thread_id, turn_id, sink)
            else:  # its events were not kept as this thread's: claim them by turn
                router.end_turn_request(self.id, None, None)
                if turn_id is not None:
                    router.attach(turn_id, sink)
        session.sandboxes.remember(thread_id, params.get("sandboxPolicy"))
        handle = AsyncTurnHandle(
            session, thread_id, turn_id, _sink=sink, _output_schema=output_schema
        )
        handle._span = host.attach_span(turn_id, span)
        try:
            await anyio.lowlevel.checkpoint()
        except anyio.get_cancelled_exc_class():
            await handle._interrupt_quietly()
            raise
        return handle

    async def _reconcile(self) -> None:
        """Before a new turn: if a ``turn/start`` on this thread went unanswered, interrupt
        the turn it may have started (so the new turn's ``turn/started`` is not taken for
        it); shielded, each step bounded by :data:`RECONCILE_STEP_S`."""
        active = self._session.active
        if active is not None and active.is_suspect(self.id):
            with anyio.CancelScope(shield=True):
                await active.reconcile(self.id, self._session.request, seconds=RECONCILE_STEP_S)

    async def _abandon_start(self, seconds: float) -> None:
        """``turn/start`` on this thread will not be answered to anyone: watch for its turn
        (or take the one already seen starting) and interrupt it."""
        active = self._session.active
        if active is None:
            return
        active.suspect(self.id, self._session.router.turn_started_while_pending(self.id))
        await active.watch(self.id, self._session.request, seconds)

    async def start_review(
        self,
        *,
        base_branch: str | None = None,
        commit: str | None = None,
        commit_title: str | None = None,
        instructions: str | None = None,
        detached: bool = False,
    ) -> AsyncTurnHandle:
        """Start a code review as a turn of this thread and return its handle.

        Target: the uncommitted changes (staged, unstaged, untracked) by default, or
        ``base_branch`` (changes against it), ``commit`` (a sha; ``commit_title`` labels
        it) or ``instructions`` (free-form). The result's ``review`` has the findings.

        ``detached=True`` leaves this thread's history untouched: the review runs on a fork
        of the thread (``thread/fork``), whose id is the handle's ``thread_id``. The
        runtime's own detached delivery is deprecated and refused for threads with paginated
        history, which is every thread runtime 0.163.0 starts ("paginated threads do not
        support detached review"). A thread with no turn yet has nothing to fork: that
        raises ``ValueError`` (review it inline, or use ``codex.review`` for a new thread)."""
        from .review import review_target

        target = review_target(
            base_branch=base_branch,
            commit=commit,
            commit_title=commit_title,
            instructions=instructions,
        )
        return await self._start_review(target, detached, bounded=False)

    async def _start_review(
        self, target: dict[str, Any], detached: bool, *, bounded: bool
    ) -> AsyncTurnHandle:
        """:meth:`start_review` of a checked ``target`` (``bounded``: see ``_send_turn_start``)."""
        await self._session.ensure_started()
        if detached:
            fork = await self._review_fork()
            return await fork._start_review(target, False, bounded=bounded)
        _refuse_plain_turn(self._session, self.id)
        await self._reconcile()
        params: dict[str, Any] = {"threadId": self.id, "target": target}
        handle = await self._send_turn_start(params, None, "review/start", bounded=bounded)
        handle._review_turn = True
        return handle

    async def _review_fork(self) -> AsyncThread:
        """The fork a detached review runs on (see ``start_review``)."""
        from openai_codex_transport import JsonRpcError

        params = {"threadId": self.id, "excludeTurns": True}
        try:
            result = await self._session.request("thread/fork", params)
        except JsonRpcError as exc:
            if "no rollout found" not in str(exc):
                raise
            raise ValueError(
                f"detached=True reviews on a fork of thread {self.id}, and it has no turn yet, "
                "so there is nothing to fork: review it inline (detached=False), or review on "
                "a new thread with codex.review(...)"
            ) from exc
        thread = result.get("thread") if isinstance(result, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("id"), str):
            raise TransportClosedError(f"thread/fork returned no thread: {result!r}")
        self._session.sandboxes.remember_thread(thread["id"], params, result)
        return AsyncThread(self._session, thread["id"])

    async def review(
        self,
        *,
        base_branch: str | None = None,
        commit: str | None = None,
        commit_title: str | None = None,
        instructions: str | None = None,
        detached: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> TurnResult:
        """Run a code review to completion (see ``start_review``) and return its
        ``TurnResult``; ``result.review`` holds the explanation and typed findings."""
        from .review import review_target

        timeout = check_seconds(timeout)
        target = review_target(
            base_branch=base_branch,
            commit=commit,
            commit_title=commit_title,
            instructions=instructions,
        )
        return await self._run_started(
            lambda bounded: self._start_review(target, detached, bounded=bounded), timeout
        )

    # -- history (history.py) ------------------------------------------------------
    async def revert(self, before_turn_id: str) -> ThreadRevertResponse:
        """Roll the thread's history back to just before ``before_turn_id`` (that turn
        and every later one are dropped from what the model sees and from the turn
        list). Only the stored conversation changes: files the turns edited are NOT
        restored. Returns ``ThreadRevertResponse`` (``thread``, backwards cursors)."""
        check_text(before_turn_id, "before_turn_id")
        result: ThreadRevertResponse = await self._session.typed(
            "thread/revert", {"threadId": self.id, "beforeTurnId": before_turn_id}
        )
        return result

    async def turns(
        self,
        *,
        newest_first: bool = True,
        items_view: TurnItemsView | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[Turn]:
        """Every stored turn of this thread (``Turn``), newest first unless
        ``newest_first=False``; pages of ``page_size`` are fetched as you iterate.
        ``items_view`` says how much of each turn's items to include (default summary)."""
        from .history import iter_turns

        async for turn in iter_turns(
            self._session,
            self.id,
            newest_first=newest_first,
            items_view=items_view,
            page_size=page_size,
        ):
            yield turn

    async def items(
        self,
        *,
        turn_id: str | None = None,
        newest_first: bool = False,
        page_size: int | None = None,
    ) -> AsyncIterator[ThreadItemEntry]:
        """Every stored item of this thread (or of one turn), oldest first unless
        ``newest_first=True`` (``ThreadItemEntry``: ``item``, ``turn_id``, times);
        pages are fetched as you iterate."""
        from .history import iter_items

        async for entry in iter_items(
            self._session,
            self.id,
            turn_id=turn_id,
            newest_first=newest_first,
            page_size=page_size,
        ):
            yield entry

    async def update_metadata(
        self,
        *,
        git_sha: str | None = None,
        git_branch: str | None = None,
        git_origin_url: str | None = None,
        clear_git_info: bool = False,
    ) -> ThreadMetadataUpdateResponse:
        """Patch the thread's stored Git metadata: a value replaces the stored one,
        ``None`` keeps it (``clear_git_info=True``: clears the ones left at ``None``)."""
        from .history import git_info_params

        info = git_info_params(git_sha, git_branch, git_origin_url, clear_git_info)
        params: dict[str, Any] = {"threadId": self.id}
        if info:
            params["gitInfo"] = info
        result: ThreadMetadataUpdateResponse = await self._session.typed(
            "thread/metadata/update", params
        )
        return result

    async def unsubscribe(self) -> ThreadUnsubscribeResponse:
        """Stop this connection's notifications for the thread (the runtime unloads it
        when no client is subscribed); ``status``: ``unsubscribed``, ``notSubscribed``
        or ``notLoaded``. Resume the thread to follow it again."""
        result: ThreadUnsubscribeResponse = await self._session.typed(
            "thread/unsubscribe", {"threadId": self.id}
        )
        return result

    async def delete(self) -> ThreadDeleteResponse:
        """Delete the thread and its stored history for good (``archive`` keeps it)."""
        result: ThreadDeleteResponse = await self._session.typed(
            "thread/delete", {"threadId": self.id}
        )
        self._session.forget_thread(self.id)
        return result

    async def read(self, *, include_turns: bool = False) -> ThreadReadResponse:
        """This thread as stored (``ThreadReadResponse``)."""
        result: ThreadReadResponse = await self._session.typed(
            "thread/read", {"threadId": self.id, "includeTurns": include_turns}
        )
        return result

    async def set_name(self, name: str) -> ThreadSetNameResponse:
        """Name this thread (``ThreadSetNameResponse``)."""
        check_text(name, "name")
        result: ThreadSetNameResponse = await self._session.typed(
            "thread/name/set", {"threadId": self.id, "name": name}
        )
        return result

    async def save(self, store: ThreadStore | SyncThreadStore) -> StoredThread:
        """Save this thread's rollout into ``store`` (``openai_codex.stores``) so another
        runtime can continue it with ``codex.thread_restore(thread.id, store)``.

        Only what is new since the last save into the store is appended. During a running
        turn it saves the complete records written so far. Raises ``RolloutSecretError``
        (nothing saved) when the rollout holds a credential. Returns the stored record."""
        from ...stores._transfer import save_thread

        return await save_thread(self, self._session, store)

    async def compact(self) -> ThreadCompactStartResponse:
        """Start compacting this thread's history (``ThreadCompactStartResponse``)."""
        result: ThreadCompactStartResponse = await self._session.typed(
            "thread/compact/start", {"threadId": self.id}
        )
        return result


__all__ = ["AsyncThread", "AsyncTurnHandle"]
