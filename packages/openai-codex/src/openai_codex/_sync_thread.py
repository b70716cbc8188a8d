"""``Thread``, ``TurnHandle`` and the login handles of the sync client.

Each wraps its async twin and calls it through the client's portal. ``stream()``
reads the turn's queue directly from the calling thread: no portal hop per event.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._async_thread import AsyncThread, AsyncTurnHandle
from ._inputs import Input, RunInput
from ._login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle, _AsyncLogin
from ._notifications import Notification
from ._portal import Portal
from ._presets import ApprovalMode, Sandbox
from ._results import TurnResult
from ._sink import Item

if TYPE_CHECKING:
    from openai_codex_types import (
        AccountLoginCompletedNotification,
        CancelLoginAccountResponse,
        Personality,
        ReasoningEffort,
        ReasoningSummary,
        ThreadCompactStartResponse,
        ThreadReadResponse,
        ThreadSetNameResponse,
        TurnInterruptResponse,
        TurnSteerResponse,
    )

    from ._sync_client import Codex

#: How often a blocked sync stream wakes to let signals (Ctrl-C) through.
_POLL_S = 1.0


class Thread:
    """A conversation thread: run turns on it."""

    __slots__ = ("_async", "_codex", "id")

    def __init__(self, _codex: Codex, id: str) -> None:
        self._codex = _codex
        self.id = id
        self._async = AsyncThread(_codex._async, id)

    def __repr__(self) -> str:
        return f"Thread(id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thread) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def run(
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
        timeout: float | None = None,
    ) -> TurnResult:
        """Run a turn to completion (see ``AsyncThread.run``)."""
        handle = self.turn(
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
        return handle.run(timeout=timeout)

    def turn(
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
    ) -> TurnHandle:
        """Start a turn (or join the active one) and return its handle."""
        handle = self._codex._portal.call_interruptible(
            self._async.turn,
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
        return TurnHandle(self._codex, handle.thread_id, handle.id, _async=handle)

    def read(self, *, include_turns: bool = False) -> ThreadReadResponse:
        return self._codex._portal.call(self._async.read, include_turns=include_turns)

    def set_name(self, name: str) -> ThreadSetNameResponse:
        return self._codex._portal.call(self._async.set_name, name)

    def compact(self) -> ThreadCompactStartResponse:
        return self._codex._portal.call(self._async.compact)


class TurnHandle:
    """One turn (see ``AsyncTurnHandle``). ``with`` interrupts it on exit if running."""

    __slots__ = ("_async", "_codex", "id", "thread_id")

    def __init__(
        self, _codex: Codex, thread_id: str, id: str, *, _async: AsyncTurnHandle | None = None
    ) -> None:
        self._codex = _codex
        self.thread_id = thread_id
        self.id = id
        if _async is None:
            _async = _codex._portal.call_sync(AsyncTurnHandle, _codex._async, thread_id, id)
        self._async = _async

    def __repr__(self) -> str:
        return f"TurnHandle(thread_id={self.thread_id!r}, id={self.id!r})"

    @property
    def done(self) -> bool:
        return self._async.done

    def steer(self, input: Input | str) -> TurnSteerResponse:
        return self._codex._portal.call(self._async.steer, input)

    def interrupt(self) -> TurnInterruptResponse:
        return self._codex._portal.call(self._async.interrupt)

    def _get(self) -> Item:
        handle = self._async
        sink = handle._sink
        handle._begin_read()
        try:
            # No try/except inside the loop: on CPython 3.11 a Ctrl-C landing on the
            # back-edge of a loop inside an except clause skips the handler below.
            while (item := sink.poll(_POLL_S)) is None:
                pass
            return item
        except KeyboardInterrupt:
            self._codex._portal.call(self._async._interrupt_quietly)
            raise
        finally:
            handle._reading = False

    def stream(self) -> Iterator[Notification]:
        """This turn's notifications, ending with its ``turn/completed``."""
        handle = self._async
        while not handle.done:
            method, params = handle._accept(self._get())
            yield Notification._raw(method, params)

    def run(self, *, timeout: float | None = None) -> TurnResult:
        """Wait for the result (see ``AsyncTurnHandle.run``); Ctrl-C interrupts the turn."""
        return self._codex._portal.call_interruptible(self._async.run, timeout=timeout)

    def __enter__(self) -> TurnHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._codex._portal.closed:
            return
        try:
            self._codex._portal.call(self._async.__aexit__, None, None, None)
        except Exception:
            if exc_type is None:  # never mask the error that is leaving the block
                raise


class _SyncLogin:
    __slots__ = ("_async", "_portal", "login_id")

    def __init__(self, portal: Portal, handle: _AsyncLogin) -> None:
        self._portal = portal
        self._async = handle
        self.login_id: str = handle.login_id

    def wait(self) -> AccountLoginCompletedNotification:
        """Wait for the login to finish (``AccountLoginCompletedNotification``)."""
        return self._portal.call_interruptible(self._async.wait)

    def cancel(self) -> CancelLoginAccountResponse:
        """Cancel the login (``CancelLoginAccountResponse``)."""
        return self._portal.call(self._async.cancel)


class ChatgptLoginHandle(_SyncLogin):
    """A browser login: open ``auth_url``, then ``wait()``."""

    __slots__ = ("auth_url",)

    def __init__(self, portal: Portal, handle: AsyncChatgptLoginHandle) -> None:
        super().__init__(portal, handle)
        self.auth_url = handle.auth_url


class DeviceCodeLoginHandle(_SyncLogin):
    """A device-code login: visit ``verification_url``, enter ``user_code``, ``wait()``."""

    __slots__ = ("user_code", "verification_url")

    def __init__(self, portal: Portal, handle: AsyncDeviceCodeLoginHandle) -> None:
        super().__init__(portal, handle)
        self.verification_url = handle.verification_url
        self.user_code = handle.user_code
