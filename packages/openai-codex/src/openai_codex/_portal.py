"""The sync side's event loop: one background thread running the async core."""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

from openai_codex_transport import TransportClosedError

T = TypeVar("T")
_log = logging.getLogger("openai_codex")

#: How long a KeyboardInterrupt waits for the cancelled operation to clean up
#: (send ``turn/interrupt`` and so on) before it propagates.
CLEANUP_TIMEOUT_S = 25.0


class Portal:
    """Runs coroutines of the async core on its loop thread, from any other thread."""

    def __init__(self) -> None:
        self._cm: AbstractContextManager[BlockingPortal] | None = start_blocking_portal()
        self._portal: BlockingPortal | None = self._cm.__enter__()

    @property
    def closed(self) -> bool:
        return self._portal is None

    def _live(self) -> BlockingPortal:
        portal = self._portal
        if portal is None:
            raise TransportClosedError("this Codex client is closed")
        return portal

    def call(self, fn: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the loop and return its result."""
        return self._live().call(partial(fn, *args, **kwargs))

    def call_sync(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a plain function on the loop thread (for state owned by the loop)."""
        return self._live().call(partial(fn, *args, **kwargs))

    def call_interruptible(
        self, fn: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any
    ) -> T:
        """Like ``call``, but a KeyboardInterrupt cancels the operation on the loop
        and waits (bounded) for its cleanup before propagating."""
        finished = threading.Event()

        async def runner() -> T:
            try:
                return await fn(*args, **kwargs)
            finally:
                finished.set()

        future = self._live().start_task_soon(runner)
        try:
            return future.result()
        except KeyboardInterrupt:
            future.cancel()
            finished.wait(CLEANUP_TIMEOUT_S)
            raise

    def close(self) -> None:
        cm, self._cm, self._portal = self._cm, None, None
        if cm is not None:
            try:
                cm.__exit__(None, None, None)
            except Exception:  # closing must not mask the error that led here
                _log.debug("error while stopping the event-loop thread", exc_info=True)
