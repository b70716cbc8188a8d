"""``retry_on_overload``: retry an operation the runtime refused because it was busy."""

from __future__ import annotations

import inspect
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

from openai_codex_transport import is_retryable_error, is_transient_overload

T = TypeVar("T")


def backoff_delays(
    max_attempts: int, initial_delay_s: float, max_delay_s: float, jitter_ratio: float
) -> list[float]:
    """The sleeps between attempts: exponential, capped, with +-jitter_ratio jitter."""
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
    delays: list[float] = []
    delay = initial_delay_s
    for _ in range(max_attempts - 1):
        base = min(max_delay_s, delay)
        jitter = base * jitter_ratio
        delays.append(max(0.0, base + random.uniform(-jitter, jitter)))
        delay = min(max_delay_s, delay * 2)
    return delays


@overload
def retry_on_overload(
    op: Callable[[], Awaitable[T]],
    *,
    max_attempts: int = ...,
    initial_delay_s: float = ...,
    max_delay_s: float = ...,
    jitter_ratio: float = ...,
) -> Awaitable[T]: ...


@overload
def retry_on_overload(
    op: Callable[[], T],
    *,
    max_attempts: int = ...,
    initial_delay_s: float = ...,
    max_delay_s: float = ...,
    jitter_ratio: float = ...,
) -> T: ...


def retry_on_overload(
    op: Callable[[], Any],
    *,
    max_attempts: int = 3,
    initial_delay_s: float = 0.25,
    max_delay_s: float = 2.0,
    jitter_ratio: float = 0.2,
) -> Any:
    """Call ``op()``; on a retryable error (the runtime is overloaded) wait and try again.

    Waits grow exponentially from ``initial_delay_s`` up to ``max_delay_s`` with
    +-``jitter_ratio`` jitter. Other errors, and the last attempt's error, are raised.
    ``max_attempts < 1`` is a ``ValueError``.

    ``op`` may also return an awaitable (``lambda: thread.run("...")`` on an
    ``AsyncCodex``): then ``retry_on_overload`` returns an awaitable that retries with
    ``anyio.sleep`` between attempts (asyncio and trio).

    Only retry operations that are safe to repeat: an overloaded runtime rejected the
    request before doing anything, but other errors may come after side effects.

    Inside ``op`` the client does not retry refusals itself (``CodexConfig.max_retries``):
    ``max_attempts=N`` sends a refused request exactly N times.
    """
    from ._core.connection.overload import own_retries_paused

    delays = backoff_delays(max_attempts, initial_delay_s, max_delay_s, jitter_ratio)
    for attempt, delay in enumerate([*delays, None]):
        try:
            with own_retries_paused():
                value = op()
        except Exception as exc:
            if delay is None or not is_transient_overload(exc):
                raise
            if delay > 0:
                time.sleep(delay)
            continue
        if inspect.isawaitable(value):
            return _retry_async(op, value, delays[attempt:])
        return value
    raise AssertionError("unreachable")  # pragma: no cover


async def _retry_async(op: Callable[[], Any], first: Awaitable[Any], delays: list[float]) -> Any:
    import anyio

    from ._core.connection.overload import own_retries_paused

    pending: Awaitable[Any] = first
    for delay in [*delays, None]:
        try:
            with own_retries_paused():
                return await pending
        except Exception as exc:
            if delay is None or not is_transient_overload(exc):
                raise
        if delay > 0:
            await anyio.sleep(delay)
        with own_retries_paused():
            pending = op()
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = ["backoff_delays", "is_retryable_error", "retry_on_overload"]
