"""``AsyncTurnHandle``: one turn's events, result and control (the sync handle wraps it)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Generic

import anyio

from openai_codex_transport import InvalidRequestError, TransportClosedError

from ...errors import HandleConsumedError, TurnFailedError, TurnTimeoutError
from ..arguments import check_turn_input
from ..connection.notifications import Notification
from ..connection.sink import Item, Sink
from ..resources import AsyncResource
from .results import ParsedT, TurnCollector, TurnResult

if TYPE_CHECKING:
    from openai_codex_types import (
        TurnInterruptResponse,
        TurnSteerResponse,
    )

    from ...events import Event
    from ..connection.session import Session
    from .inputs import Input

_log = logging.getLogger("openai_codex")

#: One bound shared by the interrupt sent on cancellation/timeout/exit and the wait for
#: the turn's ``turn/completed`` after it: ``run(timeout=T)`` returns within about T + this,
#: whatever the runtime does (even stopped).
WIND_DOWN_TIMEOUT_S = 1.5
#: How long ``interrupt()`` waits for a turn the runtime is still starting to start.
START_WAIT_S = 10.0


class AsyncTurnHandle(AsyncResource, Generic[ParsedT]):
    """One turn: ``stream()`` its events, ``run()`` it to a result, ``steer``, ``interrupt``.

    Generic in the result's ``parsed``: ``thread.turn(..., output_schema=Answer)`` is an
    ``AsyncTurnHandle[Answer]``, so its ``run()`` is a ``TurnResult[Answer]``.

    Used as ``async with``, leaving the block interrupts the turn if it is still
    running. Cancelling a task awaiting ``run()``/``stream()`` interrupts it too.
    """

    def __init__(
        self,
        _session: Session,
        thread_id: str,
        id: str,
        *,
        _sink: Sink | None = None,
        _output_schema: Any = None,
    ) -> None:
        self._session = _session
        self.thread_id = thread_id
        self.id = id
        self._collector = TurnCollector(id)
        #: a review turn (``start_review``): ``run`` reads the structured review
        self._review_turn = False
        self._output_schema = _output_schema
        self._span: Any = None  # the OpenTelemetry ``codex.turn`` span, when tracing
        self._reading = False  # one consumer at a time (see _begin_read)
        self._observer: Callable[[str, dict[str, Any]], None] | None = None
        self._wound_down = False  # the bounded interrupt-and-settle ran once already
        if _sink is None:
            _sink = Sink()
            _session.router.attach(id, _sink)
        self._sink = _sink

    def __repr__(self) -> str:
        state = "done" if self._collector.completed else "running"
        return f"AsyncTurnHandle(thread_id={self.thread_id!r}, id={self.id!r}, {state})"

    @property
    def done(self) -> bool:
        """True once this handle has seen the turn's ``turn/completed``."""
        return self._collector.completed

    # -- consuming events (shared with the sync TurnHandle) ---------------------------
    def _accept(self, item: Item) -> tuple[str, dict[str, Any]]:
        if type(item) is not tuple:
            assert isinstance(item, BaseException)
            if isinstance(item, TransportClosedError):
                raise item._copy() from item
            raise item
        method, params = item
        if self._observer is not None:  # a renderer watching run() (progress=True)
            self._observer(method, params)
        collector = self._collector
        # (a streamed delta is none of the collected methods: no feed() call)
        if (
            method in collector.COLLECTED
            and collector.feed(method, params)
            and self._span is not None
        ):
            span, self._span = self._span, None
            self._session.host.end_turn_span(self.id, span, params)
        return item

    def _begin_read(self) -> None:
        if self._reading:
            raise RuntimeError(
                f"turn {self.id} is already being consumed (stream()/run() in another task "
                "or thread); make a second handle for a second consumer: "
                "TurnHandle(session, thread_id, turn_id)"
            )
        self._reading = True

    async def _next(self) -> tuple[str, dict[str, Any]]:
        await self._wait()
        return self._accept(self._sink.take())

    async def _wait(self) -> None:
        """Wait until an event is queued (as the one consumer; a cancelled wait interrupts
        the turn, see :meth:`_wind_down`)."""
        self._begin_read()
        try:
            await self._sink.wait()
        except anyio.get_cancelled_exc_class():
            self._reading = False
            await self._wind_down()
            raise
        finally:
            self._reading = False

    async def stream(self) -> AsyncIterator[Event]:
        """This turn's notifications in order, ending with its ``turn/completed``.

        ``error`` notifications (``willRetry``) are included. Each is the typed class of
        its method (``openai_codex.events``), so ``match``/``ev.method == ...`` narrow it.
        A handle streams its turn once: after its ``turn/completed`` was read (by
        ``stream()`` or ``run()``), ``stream()`` raises ``HandleConsumedError``.
        """
        self._check_not_consumed()
        collector = self._collector
        sink = self._sink
        take = sink.take
        queued = sink.queued
        accept = self._accept
        event = Notification._event
        while collector.raw_turn is None:  # not completed
            # what is queued already is taken without a task switch; a second consumer
            # waiting in _wait makes _begin_read refuse this one
            if self._reading:
                self._begin_read()
            if not queued():
                await self._wait()
            method, params = accept(take())
            yield event(method, params)

    def _check_not_consumed(self) -> None:
        if self._collector.completed:
            raise HandleConsumedError(
                f"turn {self.id} was already read to its end (stream() or run()): a handle "
                "streams its turn once. run() returns the result again (result.items has "
                "the items); thread.items(turn_id=...) reads the stored history"
            )

    async def text_stream(self) -> AsyncIterator[str]:
        """The agent's message text as it is generated (``item/agentMessage/delta``),
        ending when the turn completes; ``run()`` afterwards gives the result."""
        async for ev in self.stream():
            if ev.method == "item/agentMessage/delta":
                yield ev.payload.delta

    async def run(self, *, timeout: float | None = None) -> TurnResult[ParsedT]:  # noqa: ASYNC109
        """Wait for the turn to finish and return its ``TurnResult``.

        An interrupted turn returns normally (status ``interrupted``). A failed turn
        raises ``TurnFailedError``. With ``timeout``, the turn is interrupted at the
        deadline and ``TurnTimeoutError`` is raised with the partial result.
        """
        return await self._run(timeout, timeout)

    async def _run(
        self,
        timeout: float | None,  # noqa: ASYNC109
        whole: float | None,
    ) -> TurnResult[ParsedT]:
        """:meth:`run` within ``timeout``; ``whole`` is the caller's bound the error names."""
        if timeout is None:
            collector = self._collector
            sink = self._sink
            take = sink.take
            queued = sink.queued
            accept = self._accept
            while collector.raw_turn is None:  # not completed
                if self._reading:
                    self._begin_read()
                if not queued():
                    await self._wait()
                accept(take())
        else:
            with anyio.move_on_after(timeout) as scope:
                while not self._collector.completed:
                    await self._next()
            if scope.cancelled_caught or not self._collector.completed:
                await self._wind_down()
                raise TurnTimeoutError(
                    f"turn {self.id} did not finish within {whole or timeout:g} s and was "
                    "interrupted",
                    result=self._collector.result(),
                )
        result = self._finish()
        if self._review_turn:
            from ..threads.review import structured_review

            await structured_review(self._session, self.thread_id, result)
        return result

    def _finish(self) -> TurnResult[ParsedT]:
        result: TurnResult[ParsedT] = self._collector.result()
        if self._collector.failed:
            raw_error = (self._collector.raw_turn or {}).get("error") or {}
            message = raw_error.get("message") if isinstance(raw_error, dict) else None
            raise TurnFailedError(
                message or f"turn {self.id} failed", error=result.error, result=result
            )
        if self._output_schema is None:
            return result
        return self._session.host.finalize(self._output_schema, result)

    # -- control ----------------------------------------------------------------
    async def steer(self, input: Input | str) -> TurnSteerResponse:
        """Append input to this (active) turn (``TurnSteerResponse``)."""
        from .inputs import input_wire

        check_turn_input(input)
        params = {"threadId": self.thread_id, "expectedTurnId": self.id, "input": input_wire(input)}
        result: TurnSteerResponse = await self._session.typed("turn/steer", params)
        return result

    async def interrupt(self) -> TurnInterruptResponse:
        """Ask the runtime to stop this turn (``TurnInterruptResponse``); it then
        completes with status ``interrupted``. A turn that already ended answers ``{}``.

        Works from the moment ``turn()`` returns: a turn the runtime is still starting is
        interrupted once it has started (waited for up to :data:`START_WAIT_S`)."""
        from ..parsing import parse_result

        done: TurnInterruptResponse = parse_result("turn/interrupt", {})
        if self._collector.completed:
            return done
        active = self._session.active
        try:
            if active is None:
                answer = await self._session.request(
                    "turn/interrupt", {"threadId": self.thread_id, "turnId": self.id}
                )
            else:
                answer = await active.interrupt_turn(
                    self.thread_id, self.id, self._session.request, START_WAIT_S
                )
        except InvalidRequestError:
            # "no active turn": the turn ended before the runtime took the interrupt; once its
            # turn/completed is seen (it may come just after this answer) that is no error,
            # the result tells how it ended
            if active is not None and await active.wait_completed(self.id, WIND_DOWN_TIMEOUT_S):
                return done
            raise
        result: TurnInterruptResponse = parse_result("turn/interrupt", answer)
        return result

    async def _interrupt_quietly(self) -> None:
        """Interrupt and settle within one bound (see :meth:`_wind_down`); never raises."""
        await self._wind_down()

    async def _wind_down(self) -> None:
        """Interrupt the turn, then take events until ``turn/completed``: shielded, never
        raises, and both share one deadline (:data:`WIND_DOWN_TIMEOUT_S`). Runs once; a
        second call (leaving ``async with`` after a cancelled read) returns at once."""
        if self._collector.completed or self._wound_down:
            return
        self._wound_down = True
        with anyio.CancelScope(shield=True), anyio.move_on_after(WIND_DOWN_TIMEOUT_S):
            try:
                await self._stop_turn()
            except Exception as exc:
                _log.debug("interrupting turn %s failed: %s", self.id, exc)
            await self._settle()

    async def _stop_turn(self) -> None:
        """The interrupt request of :meth:`_wind_down` (a goal turn also pauses its goal)."""
        active = self._session.active
        if active is None:
            await self._session.request(
                "turn/interrupt", {"threadId": self.thread_id, "turnId": self.id}
            )
        else:  # a turn still starting is interrupted once it started (the caller bounds it)
            await active.interrupt_turn(
                self.thread_id, self.id, self._session.request, WIND_DOWN_TIMEOUT_S
            )

    async def _settle(self) -> None:
        """Take events until ``turn/completed`` (the caller bounds and shields it)."""
        try:
            while not self._collector.completed:
                self._accept(await self._sink.get())
        except Exception as exc:  # the connection is gone: nothing more will come
            _log.debug("turn %s did not settle: %s", self.id, exc)

    async def _on_exit(self, exc: BaseException | None) -> None:
        if not self._collector.completed:
            await self._wind_down()
        self._session.router.detach(self.id, self._sink)
