"""Loading the models of a turn's result while the first runtime boots.

``import openai_codex`` stays light (pydantic and the protocol models load on first use),
but the first ``run()`` then pays for them: ~0.1 s of importing pydantic and building the
models of a turn's items. The runtime's own start-up (spawn to the ``initialize`` answer)
takes longer than that and leaves this process idle, so the first client that starts a
runtime loads those modules in a background thread meanwhile: once per process, daemon,
best effort (any failure is left for the real use to report). ``OPENAI_CODEX_WARMUP=0``
turns it off.
"""

from __future__ import annotations

import contextlib
import os
import threading

_started = False


def start_warmup() -> None:
    """Start loading the turn models in a daemon thread (once per process)."""
    global _started
    if _started:
        return
    _started = True
    if os.environ.get("OPENAI_CODEX_WARMUP", "1") == "0":
        return
    threading.Thread(target=_warm, name="openai-codex-warmup", daemon=True).start()


def _warm() -> None:
    # yield the CPU to the runtime's own start-up (Linux: a thread has its own nice value)
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    try:
        from openai_codex_types import (  # noqa: F401  (imported for their side effect)
            ThreadItem,
            ThreadTokenUsage,
            TokenUsageBreakdown,
            TurnError,
            TurnStatus,
        )
    except Exception:  # pragma: no cover - best effort: the real use reports it
        return
