"""Soak: 500 turns on one client; file descriptors, child processes and Python memory stay flat.

Run with ``nox -s soak`` (``pytest -m soak tests/soak``); not part of the default suite. The
offline model runs in a subprocess so that its request log is not counted as client memory.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from openai_codex import Codex, CodexConfig
from openai_codex.testing import write_codex_home

pytestmark = [pytest.mark.soak, pytest.mark.timeout(900)]

TURNS = 500
WARMUP = 100
THREADS = 5

_SERVER = """
import sys, time
from openai_codex.testing import OfflineModel
model = OfflineModel().start()
print(model.base_url, flush=True)
sys.stdin.read()  # serve until the parent closes our stdin
model.close()
"""


@pytest.fixture
def model_url() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _children() -> int:
    me = str(os.getpid())
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[1] == me and fields[0] != "Z":
            count += 1
    return count


def _python_memory() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_500_turns_on_one_client_leave_no_growth(model_url: str, tmp_path: Path) -> None:
    home = write_codex_home(tmp_path / "home", model_url)
    work = tmp_path / "work"
    work.mkdir()
    config = CodexConfig(env={"CODEX_HOME": str(home)}, cwd=str(work))
    samples: dict[int, tuple[int, int, int]] = {}
    with Codex(config) as codex:
        threads = [codex.thread_start() for _ in range(THREADS)]
        for n in range(1, TURNS + 1):
            thread = threads[n % THREADS]
            prompt = f"soak turn {n}"
            if n % 2:
                result = thread.run(prompt)
            else:
                handle = thread.turn(prompt)
                for _ in handle.stream():
                    pass
                result = handle.run()
            assert result.final_response == f"Offline model reply to: {prompt}"
            if n == WARMUP:
                tracemalloc.start()
            if n in (WARMUP, 300, TURNS):
                samples[n] = (_open_fds(), _children(), _python_memory())
        tracemalloc.stop()
    fds = {n: s[0] for n, s in samples.items()}
    children = {n: s[1] for n, s in samples.items()}
    memory = {n: s[2] for n, s in samples.items()}
    print(f"fds={fds} children={children} python_memory={memory}")
    assert fds[TURNS] <= fds[WARMUP], fds
    assert children[TURNS] == children[WARMUP] == 2, children  # runtime + model server
    # bounded buffers are full by turn 300; after that the client must not grow
    assert memory[TURNS] - memory[300] < 512 * 1024, memory
