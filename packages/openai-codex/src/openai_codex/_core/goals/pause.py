"""Pausing goals when their client closes (``AsyncCodex.close()``).

A goal left ``active`` is pursued by the runtime on its own: it starts the goal's next
turn whenever one ends, and a later client that merely resumes the thread sets it off
again. ``close()`` pauses the goals it knows to be active before it interrupts their
turns, the way a goal handle's ``interrupt()`` does (``resume_goal()`` continues them).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import anyio

_log = logging.getLogger("openai_codex")

#: Bound on pausing every goal when a client closes (the interrupts follow).
PAUSE_TIMEOUT_S = 1.0


async def pause_goals(
    request: Callable[[str, dict[str, Any]], Awaitable[Any]],
    thread_ids: Iterable[str],
    *,
    seconds: float = PAUSE_TIMEOUT_S,
) -> None:
    """Set each thread's goal ``paused``, concurrently, all within ``seconds``; never raises."""
    threads = tuple(thread_ids)
    if not threads:
        return

    async def one(thread_id: str) -> None:
        try:
            await request("thread/goal/set", {"threadId": thread_id, "status": "paused"})
        except Exception as exc:  # no goal any more, or the runtime is gone
            _log.debug("pausing the goal of thread %s failed: %s", thread_id, exc)

    with anyio.move_on_after(seconds):
        async with anyio.create_task_group() as tg:
            for thread_id in threads:
                tg.start_soon(one, thread_id)
