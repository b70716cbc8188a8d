"""Requests the runtime refused as overloaded are sent again, with backoff, within their deadline.

The runtime answers ``-32001`` (``ServerBusyError``) when its queue of incoming requests is
full; such a request was not processed, so sending it again is safe for every method. The
client bounds its own requests in flight (``CodexConfig.max_requests_in_flight``), so this is
rare from one client; many clients sharing one runtime still meet it. ``RetryLimitExceededError``
(the runtime already retried and gave up) is not retried.

How many times is ``CodexConfig.max_retries``; inside ``retry_on_overload(...)``, which
retries itself, the client sends each request once (:func:`own_retries_paused`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import anyio

from openai_codex_transport import ServerBusyError, is_transient_overload

_log = logging.getLogger("openai_codex")

#: attempts in all (the first included) before the refusal is raised, by default
#: (``CodexConfig.max_retries`` + 1)
MAX_ATTEMPTS = 10
#: the first pause; each next one doubles, up to MAX_DELAY_S, each jittered by +-50%
FIRST_DELAY_S = 0.05
MAX_DELAY_S = 2.0


#: True inside ``retry_on_overload``: the caller retries, the client sends each request once
_PAUSED: ContextVar[bool] = ContextVar("openai_codex_own_retries_paused", default=False)


@contextmanager
def own_retries_paused() -> Iterator[None]:
    """Within this block (and the tasks and portal calls it starts), the client does not
    retry overload refusals itself."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


def attempts_allowed(max_retries: int) -> int:
    """The attempts in all a request may make (1 when retries are paused or disabled)."""
    return 1 if _PAUSED.get() else 1 + max_retries


async def send_retrying_overload(
    send: Callable[[float | None], Awaitable[Any]],
    method: str,
    seconds: float | None,
    refused: ServerBusyError,
    max_attempts: int = MAX_ATTEMPTS,
) -> Any:
    """After the first attempt was ``refused``: ``await send(seconds_left)`` again, after a
    pause, while attempts (``max_attempts`` in all) and the deadline (``seconds`` from now;
    ``None``: none) allow; the last refusal is raised when they do not."""
    deadline = None if seconds is None else time.monotonic() + seconds
    delay = FIRST_DELAY_S
    attempt = 1
    while True:
        if attempt >= max_attempts or not is_transient_overload(refused):
            raise refused
        pause = delay * random.uniform(0.5, 1.5)
        if deadline is not None and time.monotonic() + pause >= deadline:
            raise refused
        _log.debug("%s refused as overloaded (attempt %d); again in %.2f s", method, attempt, pause)
        await anyio.sleep(pause)
        delay = min(delay * 2, MAX_DELAY_S)
        attempt += 1
        left = None if deadline is None else max(deadline - time.monotonic(), 0.001)
        try:
            return await send(left)
        except ServerBusyError as exc:
            refused = exc
