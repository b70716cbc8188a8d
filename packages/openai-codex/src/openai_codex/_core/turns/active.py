"""The running turns of one client, and threads with a lost turn/start.

A router listener keeps it current (``turn/completed`` removes a turn). ``close()`` uses it
to interrupt running turns before it closes the runtime (which ignores EOF while turns are
active). When a ``turn/start`` got no answer in time, its thread is *suspect*: the runtime
may start that turn later. The first ``turn/started`` seen on a suspect thread is taken for
that late turn and interrupted: at once by a detached watcher (:meth:`ActiveTurns.watch`),
and failing that by :meth:`ActiveTurns.reconcile`, which the next turn on the thread awaits
first, and by ``close()``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from openai_codex_transport import Detached, InvalidRequestError

from ..connection.router import turn_id_of

_log = logging.getLogger("openai_codex")

#: Shared bound on interrupting running turns and seeing them end (close, reconcile).
WIND_DOWN_TIMEOUT_S = 2.0

#: How many ids of turns completed before being added are remembered.
_DONE_EARLY_LIMIT = 1024

Request = Callable[[str, dict[str, Any]], Awaitable[Any]]


class ActiveTurns:
    """Running turns of one client (turn id -> thread id) and suspect threads."""

    def __init__(self) -> None:
        self._turns: dict[str, str] = {}
        # thread id -> the late turn's id once seen (None: not seen yet)
        self._suspects: dict[str, str | None] = {}
        # turns that completed before their turn/start answered (add() must not keep them)
        self._done_early: OrderedDict[str, None] = OrderedDict()
        # the latest completed turns (interrupt() of a turn that ended first waits for it)
        self._completed: OrderedDict[str, None] = OrderedDict()
        # the latest turns the runtime reported started (an interrupt before that is refused)
        self._started: OrderedDict[str, None] = OrderedDict()
        # turns this client started whose turn/started has not come yet
        self._starting: set[str] = set()
        self._changed = anyio.Event()
        self._watchers: list[Detached] = []

    def __len__(self) -> int:
        return len(self._turns)

    async def wait_completed(self, turn_id: str, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``turn/completed`` of ``turn_id``; True if it came."""
        with anyio.move_on_after(seconds):
            while turn_id not in self._completed:
                await self._changed.wait()
        return turn_id in self._completed

    async def wait_started(self, turn_id: str, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``turn/started`` (or the end) of ``turn_id``."""
        with anyio.move_on_after(seconds):
            while turn_id not in self._started and turn_id not in self._completed:
                await self._changed.wait()
        return turn_id in self._started or turn_id in self._completed

    def completed(self, turn_id: str) -> bool:
        """True once ``turn/completed`` of ``turn_id`` was seen (the latest turns)."""
        return turn_id in self._completed

    async def interrupt_turn(
        self, thread_id: str, turn_id: str, request: Request, seconds: float
    ) -> Any:
        """Send ``turn/interrupt`` for a turn, even one that is still starting.

        The runtime refuses an interrupt ("no active turn") between its ``turn/start``
        answer and the turn's ``turn/started``: for a turn of this client still starting,
        wait (within ``seconds``) for it to start first, and retry a refusal until the turn
        ends or ``seconds`` pass. Returns the answer (``{}`` when the turn ended first);
        raises the refusal for a turn this client does not know to be running, or at the
        deadline.
        """
        deadline = anyio.current_time() + seconds
        if turn_id in self._starting:
            await self.wait_started(turn_id, seconds)
        pause = 0.02
        while True:
            if turn_id in self._completed:
                return {}
            try:
                return await request("turn/interrupt", {"threadId": thread_id, "turnId": turn_id})
            except InvalidRequestError:
                left = deadline - anyio.current_time()
                if turn_id in self._completed:
                    return {}
                if turn_id not in self._turns or left <= 0:
                    raise  # not known to run (a joined turn that ended), or out of time
                if turn_id not in self._started:
                    await self.wait_started(turn_id, left)
                elif await self.wait_completed(turn_id, min(pause, left)):
                    return {}
                pause = min(pause * 2, 0.25)

    def add(self, thread_id: str, turn_id: str) -> None:
        """A turn this client started (``turn/start`` answered)."""
        if self._done_early.pop(turn_id, 0) is None or turn_id in self._completed:
            return  # it already ended (its turn/completed came before this answer)
        self._turns[turn_id] = thread_id
        if turn_id not in self._started:
            self._starting.add(turn_id)

    def running_on(self, thread_id: str) -> str | None:
        """The id of a turn running on ``thread_id`` (started, not completed), else None."""
        for turn_id, owner in self._turns.items():
            if owner == thread_id:
                return turn_id
        return None

    def suspect(self, thread_id: str, started: str | None = None) -> None:
        """``turn/start`` on ``thread_id`` got no answer: watch for its late turn
        (``started``: its id, when its ``turn/started`` was already seen)."""
        if started is not None and started in self._completed:
            return  # it already ended: nothing to interrupt
        if started is not None:
            self._turns.setdefault(started, thread_id)
            self._suspects[thread_id] = started
        else:
            self._suspects.setdefault(thread_id, None)

    def is_suspect(self, thread_id: str) -> bool:
        """True while a lost ``turn/start`` on ``thread_id`` is unaccounted for."""
        return thread_id in self._suspects

    #: the methods :meth:`observe` follows (it listens to these only)
    OBSERVED = ("turn/started", "turn/completed")

    def observe(self, method: str, params: dict[str, Any]) -> None:
        """Router listener: track ``turn/started`` on suspect threads and ``turn/completed``."""
        if method == "turn/started":
            thread_id = params.get("threadId")
            turn_id = turn_id_of(method, params)
            if not isinstance(thread_id, str) or turn_id is None:
                return
            self._started[turn_id] = None
            self._starting.discard(turn_id)
            # one turn at a time per thread: a turn of this client still starting on it has
            # started too (a review's turn/started names another id than its turn/start)
            for other in [t for t in self._starting if self._turns.get(t) == thread_id]:
                self._starting.discard(other)
                self._started[other] = None
            while len(self._started) > _DONE_EARLY_LIMIT:
                self._started.popitem(last=False)
            if turn_id in self._completed:
                self._notify()
                return  # out of order: the turn already ended, it is not running
            known = turn_id in self._turns
            # every running turn counts (goal turns the runtime starts too): close() stops them
            self._turns[turn_id] = thread_id
            if not known and thread_id in self._suspects and self._suspects[thread_id] is None:
                _log.info("late turn %s on thread %s (turn/start timed out)", turn_id, thread_id)
                self._suspects[thread_id] = turn_id
            self._notify()
        elif method == "turn/completed":
            turn_id = turn_id_of(method, params)
            self._starting.discard(turn_id or "")
            self._forget_others_on(params.get("threadId"), turn_id)
            if turn_id is not None and self._turns.pop(turn_id, None) is not None:
                thread_id = params.get("threadId")
                if isinstance(thread_id, str) and self._suspects.get(thread_id) == turn_id:
                    del self._suspects[thread_id]
                self._notify()
            elif turn_id is not None:
                self._done_early[turn_id] = None
                while len(self._done_early) > _DONE_EARLY_LIMIT:
                    self._done_early.popitem(last=False)
            if turn_id is not None:
                self._completed[turn_id] = None
                while len(self._completed) > _DONE_EARLY_LIMIT:
                    self._completed.popitem(last=False)
                self._notify()

    async def watch(self, thread_id: str, request: Request, seconds: float) -> None:
        """Interrupt the late turn of suspect ``thread_id`` as soon as it shows up.

        Runs detached (the caller has its ``TurnStartTimeoutError`` at once), for at most
        ``seconds``; :meth:`cancel_watchers` (``close()``) stops it.
        """

        async def watcher(_: object) -> None:
            with anyio.move_on_after(seconds):
                while thread_id in self._suspects and self._suspects[thread_id] is None:
                    await self._changed.wait()
            late = self._suspects.get(thread_id)
            if late is not None and late in self._turns:
                await self._interrupt({late: thread_id}, request, seconds)

        self._watchers = [w for w in self._watchers if not w.finished]
        detached = Detached(watcher, name=f"openai_codex late turn watch {thread_id}")
        self._watchers.append(detached)
        await detached.start()

    def cancel_watchers(self) -> None:
        """Stop every :meth:`watch` (the client is closing)."""
        for watcher in self._watchers:
            watcher.cancel()
        self._watchers.clear()

    def _forget_others_on(self, thread_id: Any, turn_id: str | None) -> None:
        """A thread runs one turn at a time: its ``turn/completed`` ends whatever this table
        still holds for it (a review's ``turn/started`` names another id than its
        ``turn/completed`` on runtime 0.163.0)."""
        if not isinstance(thread_id, str):
            return
        others = [t for t, th in self._turns.items() if th == thread_id and t != turn_id]
        for other in others:
            del self._turns[other]
        if others:
            self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = anyio.Event()

    async def _wait_gone(self, turn_ids: set[str]) -> None:
        while turn_ids & self._turns.keys():
            await self._changed.wait()

    async def interrupt_all(
        self, request: Request, *, seconds: float = WIND_DOWN_TIMEOUT_S
    ) -> None:
        """Interrupt every running turn and wait for them to end, all within ``seconds``."""
        await self._interrupt(dict(self._turns), request, seconds)

    async def _interrupt(self, turns: dict[str, str], request: Request, seconds: float) -> None:
        if not turns:
            return

        async def one(turn_id: str, thread_id: str) -> None:
            try:
                await self.interrupt_turn(thread_id, turn_id, request, seconds)
            except Exception as exc:  # already over, or the runtime is gone
                _log.debug("interrupting turn %s failed: %s", turn_id, exc)

        with anyio.move_on_after(seconds):
            async with anyio.create_task_group() as tg:
                for turn_id, thread_id in turns.items():
                    tg.start_soon(one, turn_id, thread_id)
            await self._wait_gone(set(turns))

    async def reconcile(
        self, thread_id: str, request: Request, *, seconds: float = WIND_DOWN_TIMEOUT_S
    ) -> None:
        """Before a new turn on a suspect thread: interrupt its late turn if there is one.

        The late turn is the one seen in ``turn/started``, or else an in-progress turn
        ``thread/read`` reports. If none is found the suspicion is dropped.
        """
        if thread_id not in self._suspects:
            return
        late = self._suspects[thread_id]
        turns: dict[str, str] = {}
        if late is not None:
            if late in self._turns:
                turns[late] = thread_id
        else:
            try:
                with anyio.move_on_after(seconds):
                    read = await request(
                        "thread/read", {"threadId": thread_id, "includeTurns": True}
                    )
                    for turn in (read.get("thread") or {}).get("turns") or ():
                        if isinstance(turn, dict) and turn.get("status") == "inProgress":
                            turns[str(turn.get("id"))] = thread_id
            except Exception as exc:
                _log.debug("thread/read of suspect thread %s failed: %s", thread_id, exc)
            for turn_id in turns:
                self._turns.setdefault(turn_id, thread_id)
        await self._interrupt(turns, request, seconds)
        self._suspects.pop(thread_id, None)
