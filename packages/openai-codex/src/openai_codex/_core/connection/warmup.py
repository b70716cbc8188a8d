"""Loading the models of a turn's result while the first thread and turn wait on the runtime.

``import openai_codex`` stays light (pydantic and the protocol models load on first use),
but the first ``run()`` then pays for them: ~0.1 s of importing pydantic and building the
models of a turn's items. Once the first runtime has answered ``initialize`` (not before:
loading them while the runtime boots competed with its start-up for a small machine's
CPUs and slowed the cold start), this process mostly waits on the runtime (``thread/start``,
the model's reply), so the first client that starts a runtime loads those modules in a
background thread then: once per process, daemon, best effort (any failure is left for the
real use to report). ``OPENAI_CODEX_WARMUP=0`` turns it off.
"""

from __future__ import annotations

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
    # (normal priority: the first result() waits for these imports, so a lowered priority
    # let other load on a busy machine stall the first turn behind this thread)
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
