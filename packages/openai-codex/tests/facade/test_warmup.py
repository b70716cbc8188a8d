"""The turn models load in a background thread once the first runtime has answered
``initialize`` (while the first thread and turn wait on it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROGRAM = """
import sys, threading
from openai_codex import Codex
from openai_codex.testing import OfflineModel
with OfflineModel() as model, Codex(model.codex_config(cwd=sys.argv[1])) as codex:
    warm = [t for t in threading.enumerate() if t.name == "openai-codex-warmup"]
    for t in warm:
        t.join(60)
    loaded = "openai_codex_types._generated._thread_item" in sys.modules
    print(len(warm), loaded)
    assert codex.thread_start().run("hi").final_response
"""


@pytest.mark.parametrize(("setting", "expected"), [(None, True), ("0", False)])
def test_turn_models_load_after_the_handshake(
    tmp_path: object, setting: str | None, expected: bool
) -> None:
    env = dict(os.environ)
    env.pop("OPENAI_CODEX_WARMUP", None)
    if setting is not None:
        env["OPENAI_CODEX_WARMUP"] = setting
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    threads, loaded = proc.stdout.split()
    assert loaded == str(expected)
    if not expected:
        assert threads == "0"
