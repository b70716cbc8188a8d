"""Backend helpers: detached background work and cheap one-shot waiters, for asyncio and trio.

A client that starts lazily (on its first awaited call) has no task group of its caller to put
its reader in, and may be closed from another task. :class:`Detached` runs
``fn(task_group)`` inside an anyio task group inside a cancel scope, in a task of its own:

- asyncio: a loop task, strongly referenced until it ends (the loop keeps only weak refs);
- trio: ``trio.lowlevel.spawn_system_task``. A system task must never raise (trio would turn it
  into ``TrioInternalError``), so every exception other than cancellation is logged and
  swallowed here.

``cancel()`` cancels the scope; ``wait()`` returns when the work has finished.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio

from .redaction import logger

if TYPE_CHECKING:
    import asyncio

    from anyio.abc import TaskGroup

__all__ = ["Detached", "Waiter", "current_backend", "make_waiter"]

# Strong references to running detached asyncio tasks (asyncio keeps only weak ones).
_LIVE_TASKS: set[asyncio.Task[None]] = set()


def current_backend() -> str:
    """``"trio"`` inside a trio run, else ``"asyncio"``."""
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            pass
        else:
            return "trio"
    return "asyncio"


class Detached:
    """``fn(task_group)`` running in a task group of its own, detached from the caller."""

    def __init__(self, fn: Callable[[TaskGroup], Awaitable[None]], *, name: str) -> None:
        self._fn = fn
        self._name = name
        self._scope: anyio.CancelScope | None = None
        self._done: anyio.Event | None = None
        self._finished = False

    @property
    def finished(self) -> bool:
        """True once the work has ended (returned, failed or was cancelled)."""
        return self._finished

    async def start(self) -> None:
        """Schedule the work (returns at once; the work starts at the next scheduling point)."""
        if self._scope is not None:
            raise RuntimeError(f"{self._name} already started")
        self._scope = anyio.CancelScope()
        self._done = anyio.Event()
        if current_backend() == "trio":
            import trio

            trio.lowlevel.spawn_system_task(self._main, name=self._name)
        else:
            import asyncio

            task = asyncio.get_running_loop().create_task(self._main(), name=self._name)
            _LIVE_TASKS.add(task)
            task.add_done_callback(_LIVE_TASKS.discard)

    def cancel(self) -> None:
        """Cancel the work (safe before it started running, and more than once)."""
        if self._scope is not None:
            self._scope.cancel()

    async def wait(self) -> None:
        """Return when the work has finished (after ``cancel()``, promptly)."""
        if self._done is not None:
            await self._done.wait()

    async def _main(self) -> None:
        assert self._scope is not None
        assert self._done is not None
        try:
            with self._scope:
                async with anyio.create_task_group() as tg:
                    await self._fn(tg)
        except anyio.get_cancelled_exc_class():
            raise  # the event loop itself is shutting down; let its machinery see it
        except BaseException:
            logger.exception("background task %s failed", self._name)
        finally:
            self._finished = True
            self._done.set()


class Waiter:
    """A one-shot slot a response is delivered into (the base class documents the interface)."""

    __slots__ = ()

    def resolve(self, value: Any) -> None:
        raise NotImplementedError

    async def wait(self) -> Any:
        raise NotImplementedError


class _AsyncioWaiter(Waiter):
    __slots__ = ("_future",)

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._future: asyncio.Future[Any] = loop.create_future()

    def resolve(self, value: Any) -> None:
        if not self._future.done():
            self._future.set_result(value)

    async def wait(self) -> Any:
        return await self._future


class _EventWaiter(Waiter):
    __slots__ = ("_event", "_value")

    def __init__(self, event: Any) -> None:
        self._event = event
        self._value: Any = None

    def resolve(self, value: Any) -> None:
        if not self._event.is_set():
            self._value = value
            self._event.set()

    async def wait(self) -> Any:
        await self._event.wait()
        return self._value


def make_waiter_factory() -> Callable[[], Waiter]:
    """A factory of waiters for the running backend (a bare future on asyncio)."""
    if current_backend() == "trio":
        import trio

        event_cls = trio.Event
        return lambda: _EventWaiter(event_cls())
    import asyncio

    loop = asyncio.get_running_loop()
    return lambda: _AsyncioWaiter(loop)


def make_waiter() -> Waiter:
    return make_waiter_factory()()
