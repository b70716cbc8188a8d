"""The sync side's event loop: one background thread running the async core."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from functools import partial
from typing import Any, TypeVar, cast

import anyio
from anyio.from_thread import BlockingPortal

from openai_codex_transport import TransportClosedError

T = TypeVar("T")
_log = logging.getLogger("openai_codex")

#: How long a KeyboardInterrupt waits for the cancelled operation to clean up
#: (send ``turn/interrupt`` and so on) before it propagates.
CLEANUP_TIMEOUT_S = 25.0
#: How often a waiting caller wakes up (lets signals through, notices a dead loop).
_POLL_S = 0.5


def _poll(q: queue.SimpleQueue[tuple[bool, Any]], timeout: float) -> tuple[bool, Any] | None:
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        return None


class Portal:
    """Runs coroutines of the async core on its loop thread, from any other thread.

    The loop thread is a daemon: a program that forgets ``close()`` still exits (the
    client's finalizer closes the runtime at exit; an orphaned runtime sees its stdin
    close and exits too).
    """

    def __init__(self) -> None:
        self._portal: BlockingPortal | None = None
        self._stop: anyio.Event | None = None
        ready = threading.Event()
        failure: list[BaseException] = []

        async def serve() -> None:
            async with BlockingPortal() as portal:
                self._portal = portal
                self._stop = anyio.Event()
                ready.set()
                await self._stop.wait()

        def run() -> None:
            try:
                anyio.run(serve)
            except BaseException as exc:  # pragma: no cover - loop failed to start
                failure.append(exc)
            finally:
                ready.set()

        self._thread = threading.Thread(target=run, name="openai-codex-loop", daemon=True)
        self._thread.start()
        ready.wait()
        if self._portal is None:
            raise RuntimeError("could not start the event-loop thread") from (
                failure[0] if failure else None
            )

    @property
    def closed(self) -> bool:
        return self._portal is None

    def on_loop_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def _live(self) -> BlockingPortal:
        portal = self._portal
        if portal is None:
            raise TransportClosedError("this Codex client is closed")
        return portal

    def call(self, fn: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the loop and return its result.

        A KeyboardInterrupt while waiting cancels the operation on the loop (so a turn
        being awaited is interrupted) and waits, bounded, for that cleanup before it
        propagates. The wait uses a ``SimpleQueue``: ``Future.result()`` can deadlock
        when Ctrl-C lands inside its condition variable.
        """
        if self.on_loop_thread():
            raise RuntimeError(
                "the sync Codex client was called from its own event-loop thread (for "
                "example from a handler running there); this would deadlock"
            )
        outcome: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()

        async def runner() -> None:
            try:
                value = await fn(*args, **kwargs)
            except BaseException as exc:
                outcome.put((False, exc))
                if not isinstance(exc, Exception):
                    raise  # cancellation and friends stay with the loop
                return
            outcome.put((True, value))

        future = self._live().start_task_soon(runner)
        try:
            # No try/except inside the loop: on CPython 3.11 a Ctrl-C landing on the
            # back-edge of a loop inside an except clause skips the handler below.
            while (got := _poll(outcome, _POLL_S)) is None:
                if future.done() and outcome.empty():
                    future.result()  # the runner died without an outcome: re-raise
                    raise TransportClosedError("the event-loop thread stopped")
            ok, value = got
        except KeyboardInterrupt:
            future.cancel()
            with contextlib.suppress(queue.Empty):
                outcome.get(timeout=CLEANUP_TIMEOUT_S)
            raise
        if ok:
            return cast(T, value)
        raise value

    def iterate(self, items: AsyncIterator[T]) -> Iterator[T]:
        """A sync iterator over an async one, each step run on the loop."""
        try:
            while True:
                try:
                    item = self.call(items.__anext__)
                except StopAsyncIteration:
                    return
                yield item
        finally:
            close = getattr(items, "aclose", None)
            if close is not None and not self.closed:
                self.call(close)

    def call_sync(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a plain function on the loop thread (for state owned by the loop)."""
        return self._live().call(partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Stop the loop thread (idempotent)."""
        portal, self._portal = self._portal, None
        if portal is None:
            return
        stop = self._stop
        if threading.current_thread() is self._thread:
            return  # called from the loop itself (a finalizer): the daemon thread stays
        try:
            if stop is not None:
                portal.call(stop.set)
            self._thread.join(10)
        except Exception:  # closing must not mask the error that led here
            _log.debug("error while stopping the event-loop thread", exc_info=True)


def close_on_exit(portal: Portal, client: Any) -> None:
    """Close ``client`` (an async client driven by ``portal``) and then the portal: run
    by a sync client's finalizer when the program forgets to close it."""
    if portal.closed or portal.on_loop_thread():
        return
    try:
        portal.call(client.close)
    except Exception:  # closing must not mask the error that led here
        _log.debug("error while closing", exc_info=True)
    finally:
        portal.close()
