"""Calling a user callable that may be sync or async (handlers, tools).

A plain function runs in a worker thread, abandoned when its caller gives up (a handler's
``timeout``): Python cannot stop a thread, so it runs on. At most
:data:`MAX_ABANDONED_SYNC_CALLS` such threads are let run at once; past that, a sync call is
refused at once with :class:`AbandonedCallsError` (a ``TimeoutError``; the dispatcher then
answers the safe default) instead of taking one more thread that may never return.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread

#: How many abandoned sync calls (still running after their caller gave up) may exist.
MAX_ABANDONED_SYNC_CALLS = 8

_lock = threading.Lock()
_abandoned = 0


class AbandonedCallsError(TimeoutError):
    """Too many sync handler/tool calls outlived their timeout and still run."""


def abandoned_sync_calls() -> int:
    """How many sync calls were given up on and still run (their threads)."""
    return _abandoned


async def call_maybe_async(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn``: a coroutine function is awaited; a plain function runs in a worker
    thread (so it may block); an awaitable it returns is awaited too."""
    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - callable objects with async __call__
    ):
        return await fn(*args)
    result = await _run_sync(fn, *args)
    if inspect.isawaitable(result):
        return await result
    return result


async def _run_sync(fn: Callable[..., Any], *args: Any) -> Any:
    global _abandoned
    if _abandoned >= MAX_ABANDONED_SYNC_CALLS:
        name = getattr(fn, "__qualname__", None) or type(fn).__name__
        raise AbandonedCallsError(
            f"{_abandoned} sync handler/tool calls outlived their timeout and still run; "
            f"{name} was not called (make it return in time, or async)"
        )
    state = {"done": False, "abandoned": False}

    def run() -> Any:
        global _abandoned
        try:
            return fn(*args)
        finally:
            with _lock:
                state["done"] = True
                if state["abandoned"]:
                    _abandoned -= 1

    try:
        return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        with _lock:
            if not state["done"]:
                state["abandoned"] = True
                _abandoned += 1
        raise


__all__ = ["AbandonedCallsError", "abandoned_sync_calls", "call_maybe_async"]
