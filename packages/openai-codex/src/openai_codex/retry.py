"""``retry_on_overload``: retry an operation the runtime refused because it was busy."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from openai_codex_transport import is_retryable_error

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


def retry_on_overload(
    op: Callable[[], T],
    *,
    max_attempts: int = 3,
    initial_delay_s: float = 0.25,
    max_delay_s: float = 2.0,
    jitter_ratio: float = 0.2,
) -> T:
    """Call ``op()``; on a retryable error (server overloaded) wait and try again.

    Waits grow exponentially from ``initial_delay_s`` up to ``max_delay_s`` with
    +-``jitter_ratio`` jitter. Other errors, and the last attempt's error, are raised.
    ``max_attempts < 1`` is a ``ValueError``.
    """
    delays = backoff_delays(max_attempts, initial_delay_s, max_delay_s, jitter_ratio)
    for delay in delays:
        try:
            return op()
        except Exception as exc:
            if not is_retryable_error(exc):
                raise
        if delay > 0:
            time.sleep(delay)
    return op()
