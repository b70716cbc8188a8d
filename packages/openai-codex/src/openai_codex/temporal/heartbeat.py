"""The turn activity's heartbeat: throttled on turn progress, kept alive while idle.

Temporal detects a dead or frozen worker by missing heartbeats (the activity's
``heartbeat_timeout``) and delivers cancellation with a heartbeat's response. The
:class:`TurnHeartbeat` sends the activity's :class:`~openai_codex.temporal.TurnProgress`
(thread id, turn id, counts) at most every ``every_s`` seconds while events arrive, and
every ``every_s`` seconds when nothing happens (a long model call, an approval waiting
for a person), so only a worker that stopped running misses it.

Temporal's SDK sends an activity's first heartbeat at once and later ones at most every
0.8 x ``heartbeat_timeout`` (the last details win), so the turn activity sends its first
heartbeat when the turn has started, with the thread id and the turn id together: what a
retry needs reaches the server without waiting for a throttle window.
"""

from __future__ import annotations

import time

import anyio
from temporalio import activity

from .models import TurnProgress


class TurnHeartbeat:
    """Progress of one activity attempt, heartbeated with throttling.

    Must be created and used inside the activity (its context carries the heartbeat).
    """

    def __init__(self, progress: TurnProgress, *, every_s: float) -> None:
        if every_s <= 0:
            raise ValueError(f"every_s must be positive, got {every_s!r}")
        self.progress = progress
        self.every_s = every_s
        self.sent = 0
        self._last = time.monotonic()

    def update(self, *, send: bool = True, **changes: object) -> None:
        """Change the progress and (unless ``send=False``) heartbeat it now."""
        self.progress = self.progress.model_copy(update=changes)
        if send:
            self.send()

    def event(self, *, item_completed: bool = False) -> None:
        """Count one turn event; heartbeat if the last one is ``every_s`` old."""
        self.progress = self.progress.model_copy(
            update={
                "events": self.progress.events + 1,
                "items_completed": self.progress.items_completed + int(item_completed),
            }
        )
        if time.monotonic() - self._last >= self.every_s:
            self.send()

    def send(self) -> None:
        """Heartbeat the current progress."""
        self._last = time.monotonic()
        self.sent += 1
        activity.heartbeat(self.progress.model_dump(mode="json"))

    async def keep_alive(self) -> None:
        """Heartbeat whenever ``every_s`` passed without one (runs until cancelled)."""
        while True:
            await anyio.sleep(max(0.0, self._last + self.every_s - time.monotonic()))
            if time.monotonic() - self._last >= self.every_s:
                self.send()


def recorded_progress() -> TurnProgress | None:
    """The progress a previous attempt of this activity heartbeated, if any."""
    details = activity.info().heartbeat_details
    if not details:
        return None
    return TurnProgress.model_validate(details[0])
