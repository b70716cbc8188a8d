"""The hand-written part of the sync face: constructors, lifecycle and the fast stream.

``_sync/generated.py`` (written by ``scripts/generate_sync.py``) subclasses these and adds
one relay per public async method: ``Codex(CodexBase)``, ``Thread(ThreadBase)``, ... A
method defined here is not generated.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._core.client import AsyncCodex, session_of
from .._core.config import CodexConfig
from .._core.config_args import config_from_arguments
from .._core.connection.notifications import Notification
from .._core.resources import Resource
from .._core.threads.thread import AsyncThread
from .._core.turns.handle import AsyncTurnHandle
from .._core.turns.results import ParsedT
from .goal_events import GoalEvents
from .portal import Portal, close_on_exit

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from openai_codex_types import FsChangedNotification

    from .._core.config_args import CodexConfigFields
    from .._core.connection.metadata import InitializeResponse
    from .._core.connection.sink import Item
    from .._core.connection.subscriptions import AsyncEventStream  # noqa: F401 (a base's parameter)
    from .._core.services.commands import AsyncCommandProcess
    from .._core.services.files import AsyncFiles, AsyncFileWatch  # noqa: F401
    from .._core.services.login import (
        AsyncChatgptLoginHandle,
        AsyncDeviceCodeLoginHandle,
        _AsyncLogin,
    )
    from ..events import Event
    from ..handlers import ServerRequestHandlers
    from ..hooks import Hooks
    from .generated import Codex, Files
    from .lowlevel import CodexClient

_log = logging.getLogger("openai_codex")

#: How often a blocked sync stream wakes to let signals (Ctrl-C) through.
_POLL_S = 1.0


class CodexBase(Resource):
    """Synchronous client for Codex: threads, turns, logins.

    Eager: the constructor starts the runtime and completes ``initialize``; if that
    fails, whatever was started is closed and the error is raised. Use it as a
    context manager (or call ``close()``).

    Internally it drives an ``AsyncCodex`` on one background event-loop thread.
    """

    def __init__(
        self,
        config: CodexConfig | None = None,
        *,
        handlers: ServerRequestHandlers | None = None,
        hooks: Hooks | None = None,
        **fields: Unpack[CodexConfigFields],
    ) -> None:
        self._async = AsyncCodex(
            config_from_arguments(type(self).__name__, config, fields),
            handlers=handlers,
            hooks=hooks,
        )
        session = session_of(self._async)
        # the runtime starts booting now, while the event-loop thread comes up (~10 ms
        # of anyio's backend to import), where that is supported (runtime.early_start)
        session.start_early()
        try:
            self._portal = Portal()
        except BaseException:
            session.discard_early()
            raise
        # Closes the runtime if the program forgets to: on garbage collection or at exit.
        self._finalizer = weakref.finalize(self, close_on_exit, self._portal, self._async)
        try:
            self._portal.call(session.ensure_started)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {session_of(self._async).state()}>"

    def close(self) -> None:
        """Stop the runtime and the event-loop thread. Idempotent; never masks errors."""
        self._finalizer()

    @property
    def fs(self) -> Files:
        """The runtime host's file system (see ``AsyncFiles``): ``read_text``, ``watch``, ..."""
        from .generated import Files

        return Files._wrap(self, self._async.fs)  # type: ignore[arg-type]

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize``."""
        return self._async.metadata

    @cached_property
    def client(self) -> CodexClient:
        """The low-level client on this connection: one typed method per runtime request."""
        from .lowlevel import CodexClient

        return CodexClient._bound(self)  # type: ignore[arg-type]

    @property
    def handlers(self) -> ServerRequestHandlers:
        """The client-wide server-request handlers (settable; see ``openai_codex.handlers``).

        Sync handlers run in a worker thread, so they may block (e.g. ask on the console).
        """
        return self._async.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        self._async.handlers = value


AsyncT = TypeVar("AsyncT")


class SyncFace(Resource, Generic[AsyncT]):
    """A sync object over its async twin (``_async``), run through the client's portal;
    ``with`` does what the twin's ``async with`` does on exit."""

    __slots__ = ("_async", "_codex")

    def __init__(self, _codex: Codex, _async: AsyncT) -> None:
        self._codex = _codex
        self._async = _async

    @classmethod
    def _wrap(cls, codex: Codex, twin: AsyncT) -> Self:
        return cls(codex, twin)

    def _on_exit(self, exc: BaseException | None) -> None:
        self._codex._portal.call(self._async.__aexit__, None, None, None)  # type: ignore[attr-defined]


class ThreadBase:
    """A conversation thread: run turns on it."""

    __slots__ = ("_async", "_codex", "id")

    def __init__(self, _codex: Codex, id: str) -> None:
        self._codex = _codex
        self.id = id
        self._async = AsyncThread(session_of(_codex._async), id)

    @classmethod
    def _wrap(cls, codex: Codex, thread: AsyncThread) -> Self:
        return cls(codex, thread.id)

    def __repr__(self) -> str:
        return f"Thread(id={self.id!r})"

    # Notebook and rich displays show the history: one thread/read (bounded by the client's
    # request timeout); a runtime that cannot answer shows why instead.
    def _history(self) -> tuple[list[Any], str | None]:
        from openai_codex_transport import CodexError

        try:
            read = self._codex._portal.call(self._async.read, include_turns=True)
        except CodexError as exc:
            return [], str(exc)
        return list(read.thread.turns), None

    def _repr_html_(self) -> str:
        from ..console._notebook import history_html

        return history_html(self.id, *self._history())

    def _repr_markdown_(self) -> str:
        from ..console._notebook import history_markdown

        return history_markdown(self.id, *self._history())

    def __rich_repr__(self) -> Iterator[Any]:
        turns, error = self._history()
        yield "id", self.id
        if error is not None:
            yield "history", f"unavailable: {error}"
            return
        yield "turns", len(turns)
        for turn in turns[-3:]:
            yield f"turn {turn.id}", getattr(turn.status, "value", turn.status)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ThreadBase) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def goal_events(self) -> GoalEvents:
        """Subscribe to the thread's ``thread/goal/updated`` and ``thread/goal/cleared``
        notifications, live from this call (``with thread.goal_events() as events: for
        event in events: ...``); leaving ``with`` or ``close()`` ends it."""
        portal = self._codex._portal
        return GoalEvents(portal, portal.call_sync(self._async.goal_events))


class TurnHandleBase(Resource, Generic[ParsedT]):
    """One turn (see ``AsyncTurnHandle``). ``with`` interrupts it on exit if running."""

    __slots__ = ("_async", "_codex", "id", "thread_id")

    def __init__(
        self, _codex: Codex, thread_id: str, id: str, *, _async: AsyncTurnHandle | None = None
    ) -> None:
        self._codex = _codex
        self.thread_id = thread_id
        self.id = id
        if _async is None:
            _async = _codex._portal.call_sync(
                AsyncTurnHandle, session_of(_codex._async), thread_id, id
            )
        self._async = _async

    @classmethod
    def _wrap(cls, codex: Codex, handle: AsyncTurnHandle) -> Self:
        return cls(codex, handle.thread_id, handle.id, _async=handle)

    def __repr__(self) -> str:
        # a goal's handle (start_goal) is a TurnHandle here too; its repr says goal=...
        shown = repr(self._async)
        for name in ("AsyncTurnHandle", "AsyncGoalHandle"):
            if shown.startswith(name):
                return "TurnHandle" + shown[len(name) :]
        return shown

    @property
    def done(self) -> bool:
        """True once this handle has seen the turn's ``turn/completed``."""
        return self._async.done

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

    def stream(self) -> Iterator[Event]:
        """This turn's notifications, ending with its ``turn/completed``.

        Each is the typed class of its method (``openai_codex.events``). Reads the turn's
        queue from the calling thread: no portal hop per event. A handle streams its turn
        once: after its end was read (``stream()``/``run()``), ``HandleConsumedError``.
        """
        handle = self._async
        handle._check_not_consumed()
        collector = handle._collector
        sink = handle._sink
        take = sink.take
        queued = sink.queued
        accept = handle._accept
        event = Notification._event
        while collector.raw_turn is None:  # not done
            # what is queued already is taken at once (no timed wait, no clock read)
            if handle._reading:
                handle._begin_read()
            method, params = accept(take() if queued() else self._get())
            yield event(method, params)

    def text_stream(self) -> Iterator[str]:
        """The agent's message text as it is generated (``item/agentMessage/delta``),
        ending when the turn completes; ``run()`` afterwards gives the result."""
        for ev in self.stream():
            if ev.method == "item/agentMessage/delta":
                yield ev.payload.delta

    def _on_exit(self, exc: BaseException | None) -> None:
        if self._codex._portal.closed:
            return
        try:
            self._codex._portal.call(self._async.__aexit__, None, None, None)
        except Exception:
            if exc is None:  # never mask the error that is leaving the block
                raise


class LoginHandleBase(SyncFace["_AsyncLogin"]):
    """A live login attempt (see the async handles)."""

    __slots__ = ("login_id",)

    def __init__(self, _codex: Codex, handle: _AsyncLogin) -> None:
        super().__init__(_codex, handle)
        self.login_id: str = handle.login_id


class ChatgptLoginHandleBase(LoginHandleBase):
    """A browser login: open ``auth_url``, then ``wait()``."""

    __slots__ = ("auth_url",)

    def __init__(self, _codex: Codex, handle: AsyncChatgptLoginHandle) -> None:
        super().__init__(_codex, handle)
        self.auth_url = handle.auth_url


class DeviceCodeLoginHandleBase(LoginHandleBase):
    """A device-code login: visit ``verification_url``, enter ``user_code``, ``wait()``."""

    __slots__ = ("user_code", "verification_url")

    def __init__(self, _codex: Codex, handle: AsyncDeviceCodeLoginHandle) -> None:
        super().__init__(_codex, handle)
        self.verification_url = handle.verification_url
        self.user_code = handle.user_code


class CommandProcessBase(SyncFace["AsyncCommandProcess"]):
    """A running command on the runtime's host (see ``AsyncCommandProcess``).

    ``with`` terminates it if it is still running when the block ends.
    """

    __slots__ = ("args", "process_id")

    def __init__(self, _codex: Codex, process: AsyncCommandProcess) -> None:
        super().__init__(_codex, process)
        self.args = process.args
        self.process_id = process.process_id

    def __repr__(self) -> str:
        return f"CommandProcess(args={self.args!r}, returncode={self.returncode!r})"

    @property
    def returncode(self) -> int | None:
        """The exit status once the process has exited, else ``None``."""
        return self._async.returncode


class FilesBase(SyncFace["AsyncFiles"]):
    """The runtime host's file system (``codex.fs``); see ``AsyncFiles``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Files()"


class FileWatchBase(SyncFace["AsyncFileWatch"]):
    """A live file watch: ``for change in watch``; ``close()`` or ``with`` unwatches."""

    __slots__ = ("path", "watch_id")

    def __init__(self, _codex: Codex, watch: AsyncFileWatch) -> None:
        super().__init__(_codex, watch)
        self.path = watch.path
        self.watch_id = watch.watch_id

    def __repr__(self) -> str:
        return f"FileWatch(path={self.path!r})"

    def __iter__(self) -> Iterator[FsChangedNotification]:
        return self._codex._portal.iterate(self._async.changes())


class EventStreamBase(SyncFace["AsyncEventStream"]):
    """A live subscription to the client's notifications (see ``AsyncEventStream``):
    ``for ev in stream``, ``next(timeout=...)``; ``close()`` or ``with`` ends it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(self._async).replace("AsyncEventStream", "EventStream")

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> Event:
        try:
            return self._codex._portal.call(self._async.next)
        except StopAsyncIteration:
            raise StopIteration from None
