"""``AsyncThread`` and ``AsyncTurnHandle``: turns on the async core."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel

from openai_codex_transport import TransportClosedError

from ._inputs import Input, RunInput, input_wire, turn_input_wire
from ._notifications import Notification
from ._presets import ApprovalMode, Sandbox, approval_wire, turn_sandbox_wire
from ._results import TurnCollector, TurnResult
from ._sink import Item, Sink
from ._wire import wire_params
from .errors import TurnFailedError, TurnTimeoutError

if TYPE_CHECKING:
    from openai_codex_types import (
        Personality,
        ReasoningEffort,
        ReasoningSummary,
        ThreadCompactStartResponse,
        ThreadReadResponse,
        ThreadSetNameResponse,
        TurnInterruptResponse,
        TurnSteerResponse,
    )

    from ._async_client import AsyncCodex

_log = logging.getLogger("openai_codex")

#: How long an interrupt sent on cancellation/timeout/exit may take.
INTERRUPT_TIMEOUT_S = 10.0
#: How long to wait for ``turn/completed`` after such an interrupt.
SETTLE_TIMEOUT_S = 10.0
#: Bound on the ``turn/start`` request, which is shielded from cancellation.
START_TIMEOUT_S = 60.0


def turn_params(
    codex: AsyncCodex,
    thread_id: str,
    input: RunInput,
    *,
    approval_mode: ApprovalMode | None = None,
    cwd: str | None = None,
    effort: Any = None,
    model: str | None = None,
    output_schema: Any = None,
    personality: Any = None,
    sandbox: Sandbox | None = None,
    service_tier: str | None = None,
    source: str | None = None,
    summary: Any = None,
    turn_service_tier: str | None = None,
) -> dict[str, Any]:
    """The ``turn/start`` params for ``Thread.turn()``'s arguments."""
    wire_input, tool_output = turn_input_wire(input)
    params: dict[str, Any] = {"threadId": thread_id, "input": wire_input}
    if tool_output is not None:
        params["toolOutput"] = tool_output
    params.update(approval_wire(approval_mode))
    params.update(
        wire_params(
            {"source": "turnTrigger", "turn_service_tier": "serviceTierForTurn"},
            cwd=cwd,
            effort=effort,
            model=model,
            personality=personality,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
    )
    policy = turn_sandbox_wire(sandbox, codex._sandboxes.known(thread_id))
    if policy is not None:
        params["sandboxPolicy"] = policy
    if output_schema is not None:
        params["outputSchema"] = codex._output_schema_wire(output_schema)
    return params


async def start_turn(
    codex: AsyncCodex, thread_id: str, params: dict[str, Any], *, output_schema: Any = None
) -> AsyncTurnHandle:
    """Send ``turn/start`` and return the handle; no event of the turn is lost."""
    await codex._ensure_started()
    router = codex._router
    sink = Sink()
    turn_id: str | None = None
    span = codex._host.start_turn_span(thread_id, params)
    router.begin_turn_request(thread_id)
    try:
        # Shielded: once sent, the turn exists; we need its id to interrupt it.
        with (
            anyio.CancelScope(shield=True),
            anyio.fail_after(START_TIMEOUT_S),
            codex._host.use_span(span),
        ):
            result = await codex._request("turn/start", params)
        turn = result.get("turn") if isinstance(result, dict) else None
        if not isinstance(turn, dict) or not isinstance(turn.get("id"), str):
            raise TransportClosedError(f"turn/start returned no turn: {result!r}")
        turn_id = turn["id"]
    finally:
        router.end_turn_request(thread_id, turn_id, sink)
    codex._sandboxes.remember(thread_id, params.get("sandboxPolicy"))
    handle = AsyncTurnHandle(codex, thread_id, turn_id, _sink=sink, _output_schema=output_schema)
    codex._host.attach_span(handle, span)
    try:
        await anyio.lowlevel.checkpoint()
    except anyio.get_cancelled_exc_class():
        await handle._interrupt_quietly()
        raise
    return handle


class AsyncThread:
    """A conversation thread: run turns on it."""

    __slots__ = ("_codex", "id")

    def __init__(self, _codex: AsyncCodex, id: str) -> None:
        self._codex = _codex
        self.id = id

    def __repr__(self) -> str:
        return f"AsyncThread(id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AsyncThread) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    async def run(
        self,
        input: RunInput,
        *,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        output_schema: Any = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        source: str | None = None,
        summary: ReasoningSummary | None = None,
        turn_service_tier: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - interrupts the turn
    ) -> TurnResult:
        """Run a turn to completion and return its ``TurnResult``.

        Raises ``TurnFailedError`` if the turn fails and ``TurnTimeoutError`` (after
        interrupting the turn) if ``timeout`` seconds pass first.
        """
        handle = await self.turn(
            input,
            approval_mode=approval_mode,
            cwd=cwd,
            effort=effort,
            model=model,
            output_schema=output_schema,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
        return await handle.run(timeout=timeout)

    async def turn(
        self,
        input: RunInput,
        *,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        output_schema: Any = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        source: str | None = None,
        summary: ReasoningSummary | None = None,
        turn_service_tier: str | None = None,
    ) -> AsyncTurnHandle:
        """Start a turn (or join the thread's active turn) and return its handle.

        Options persist as thread defaults, except ``output_schema`` (this turn only)
        and ``turn_service_tier``. When the thread already has an active turn, the
        input is appended to it: the handle has the same turn id and its own stream,
        from the moment of joining to the turn's ``turn/completed`` (other handles of
        the turn are unaffected). A manual compaction turn cannot be joined: the
        runtime rejects the request.
        """
        await self._codex._ensure_started()
        if sandbox is Sandbox.workspace_write:
            await self._codex._sandboxes.ensure_workspace_policy(
                self.id, cwd, partial(self._codex._request, "config/read")
            )
        params = turn_params(
            self._codex,
            self.id,
            input,
            approval_mode=approval_mode,
            cwd=cwd,
            effort=effort,
            model=model,
            output_schema=output_schema,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
        return await start_turn(self._codex, self.id, params, output_schema=output_schema)

    async def read(self, *, include_turns: bool = False) -> ThreadReadResponse:
        """This thread as stored (``ThreadReadResponse``)."""
        result: ThreadReadResponse = await self._codex._typed(
            "thread/read",
            {"threadId": self.id, "includeTurns": include_turns},
            "ThreadReadResponse",
        )
        return result

    async def set_name(self, name: str) -> ThreadSetNameResponse:
        result: ThreadSetNameResponse = await self._codex._typed(
            "thread/name/set", {"threadId": self.id, "name": name}, "ThreadSetNameResponse"
        )
        return result

    async def compact(self) -> ThreadCompactStartResponse:
        result: ThreadCompactStartResponse = await self._codex._typed(
            "thread/compact/start", {"threadId": self.id}, "ThreadCompactStartResponse"
        )
        return result


class AsyncTurnHandle:
    """One turn: ``stream()`` its events, ``run()`` it to a result, ``steer``, ``interrupt``.

    Used as ``async with``, leaving the block interrupts the turn if it is still
    running. Cancelling a task awaiting ``run()``/``stream()`` interrupts it too.
    """

    def __init__(
        self,
        _codex: AsyncCodex,
        thread_id: str,
        id: str,
        *,
        _sink: Sink | None = None,
        _output_schema: Any = None,
    ) -> None:
        self._codex = _codex
        self.thread_id = thread_id
        self.id = id
        self._collector = TurnCollector(id)
        self._output_schema = _output_schema
        self._reading = False  # one consumer at a time (see _begin_read)
        if _sink is None:
            _sink = Sink()
            _codex._router.attach(id, _sink)
        self._sink = _sink

    def __repr__(self) -> str:
        return f"AsyncTurnHandle(thread_id={self.thread_id!r}, id={self.id!r})"

    @property
    def done(self) -> bool:
        """True once this handle has seen the turn's ``turn/completed``."""
        return self._collector.completed

    # -- consuming events (shared with the sync TurnHandle) ---------------------------
    def _accept(self, item: Item) -> tuple[str, dict[str, Any]]:
        if isinstance(item, BaseException):
            if isinstance(item, TransportClosedError):
                raise item._copy() from item
            raise item
        method, params = item
        if self._collector.feed(method, params):
            self._codex._host.turn_completed(self, params)
        return method, params

    def _begin_read(self) -> None:
        if self._reading:
            raise RuntimeError(
                f"turn {self.id} is already being consumed (stream()/run() in another task "
                "or thread); make a second handle for a second consumer: "
                "TurnHandle(codex, thread_id, turn_id)"
            )
        self._reading = True

    async def _next(self) -> tuple[str, dict[str, Any]]:
        self._begin_read()
        try:
            item = await self._sink.get()
        except anyio.get_cancelled_exc_class():
            await self._interrupt_quietly()
            raise
        finally:
            self._reading = False
        return self._accept(item)

    async def stream(self) -> AsyncIterator[Notification]:
        """This turn's notifications in order, ending with its ``turn/completed``.

        ``error`` notifications (``willRetry``) are included.
        """
        while not self._collector.completed:
            method, params = await self._next()
            yield Notification._raw(method, params)

    async def run(self, *, timeout: float | None = None) -> TurnResult:  # noqa: ASYNC109
        """Wait for the turn to finish and return its ``TurnResult``.

        An interrupted turn returns normally (status ``interrupted``). A failed turn
        raises ``TurnFailedError``. With ``timeout``, the turn is interrupted at the
        deadline and ``TurnTimeoutError`` is raised with the partial result.
        """
        if timeout is None:
            while not self._collector.completed:
                await self._next()
        else:
            with anyio.move_on_after(timeout):
                while not self._collector.completed:
                    await self._next()
            if not self._collector.completed:
                await self._settle()
                raise TurnTimeoutError(
                    f"turn {self.id} did not finish within {timeout} s and was interrupted",
                    result=self._collector.result(),
                )
        return self._finish()

    def _finish(self) -> TurnResult:
        result = self._collector.result()
        if self._collector.failed:
            raw_error = (self._collector.raw_turn or {}).get("error") or {}
            message = raw_error.get("message") if isinstance(raw_error, dict) else None
            raise TurnFailedError(
                message or f"turn {self.id} failed", error=result.error, result=result
            )
        return self._codex._finalize_result(self, result)

    # -- control ----------------------------------------------------------------
    async def steer(self, input: Input | str) -> TurnSteerResponse:
        """Append input to this (active) turn (``TurnSteerResponse``)."""
        params = {"threadId": self.thread_id, "expectedTurnId": self.id, "input": input_wire(input)}
        result: TurnSteerResponse = await self._codex._typed(
            "turn/steer", params, "TurnSteerResponse"
        )
        return result

    async def interrupt(self) -> TurnInterruptResponse:
        """Ask the runtime to stop this turn (``TurnInterruptResponse``); it then
        completes with status ``interrupted``."""
        result: TurnInterruptResponse = await self._codex._typed(
            "turn/interrupt",
            {"threadId": self.thread_id, "turnId": self.id},
            "TurnInterruptResponse",
        )
        return result

    async def _interrupt_quietly(self) -> None:
        """Interrupt, shielded from cancellation and bounded in time; never raises."""
        if self._collector.completed:
            return
        with anyio.CancelScope(shield=True), anyio.move_on_after(INTERRUPT_TIMEOUT_S):
            try:
                await self._codex._request(
                    "turn/interrupt", {"threadId": self.thread_id, "turnId": self.id}
                )
            except Exception as exc:
                _log.debug("interrupting turn %s failed: %s", self.id, exc)

    async def _settle(self) -> None:
        """After an interrupt: take events until ``turn/completed`` (bounded, shielded)."""
        with anyio.CancelScope(shield=True), anyio.move_on_after(SETTLE_TIMEOUT_S):
            try:
                while not self._collector.completed:
                    self._accept(await self._sink.get())
            except TransportClosedError:
                pass

    async def __aenter__(self) -> AsyncTurnHandle:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._collector.completed:
            await self._interrupt_quietly()
            await self._settle()
        self._codex._router.detach(self.id, self._sink)
