"""Deadlines of the public API's waits: a wait given ``timeout=`` that sees nothing in time
raises ``WaitTimeoutError`` naming what it waited for and how long (not a bare
``TimeoutError``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio

from ..errors import WaitTimeoutError


@contextmanager
def wait_deadline(seconds: float | None, what: str) -> Iterator[None]:
    """Run the block within ``seconds`` (``None``: no limit); past it, the block is
    cancelled and ``WaitTimeoutError(what, seconds)`` raised."""
    if seconds is None:
        yield
        return
    with anyio.move_on_after(seconds) as scope:
        yield
    if scope.cancelled_caught:
        raise WaitTimeoutError(what, seconds)
