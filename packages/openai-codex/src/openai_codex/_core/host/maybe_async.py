"""Calling a user callable that may be sync or async (handlers, tools)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread


async def call_maybe_async(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn``: a coroutine function is awaited; a plain function runs in a worker
    thread (so it may block); an awaitable it returns is awaited too."""
    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - callable objects with async __call__
    ):
        return await fn(*args)
    result = await anyio.to_thread.run_sync(functools.partial(fn, *args), abandon_on_cancel=True)
    if inspect.isawaitable(result):
        return await result
    return result


__all__ = ["call_maybe_async"]
