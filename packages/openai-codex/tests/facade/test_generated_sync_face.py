"""The committed sync face and option signatures are what scripts/generate_sync.py writes."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import openai_codex

ROOT = Path(__file__).resolve().parents[4]


def test_generate_sync_check_passes_from_the_committed_tree() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/generate_sync.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "up to date" in proc.stdout


def test_sync_and_async_signatures_list_the_same_keywords() -> None:
    pairs = [
        (openai_codex.Codex, openai_codex.AsyncCodex),
        (openai_codex.Thread, openai_codex.AsyncThread),
        (openai_codex.TurnHandle, openai_codex.AsyncTurnHandle),
    ]
    for sync_cls, async_cls in pairs:
        for name in ("thread_start", "thread_resume", "thread_fork", "run", "turn", "steer"):
            if not hasattr(async_cls, name):
                continue
            sync_params = list(inspect.signature(getattr(sync_cls, name)).parameters)
            async_params = list(inspect.signature(getattr(async_cls, name)).parameters)
            assert sync_params == async_params, (sync_cls, name)
            assert getattr(sync_cls, name).__doc__, (sync_cls, name)
    assert "turn_service_tier" in inspect.signature(openai_codex.Thread.run).parameters
