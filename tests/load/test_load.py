"""Load: 256 concurrent turns on one client, then 1,000 sequential turns.

Run with ``nox -s load`` (``pytest -m load tests/load``); not part of the default suite.
Every result must be right, no call may fail (no overload refusal reaches the caller: the
client bounds its requests in flight and retries refusals itself), and file descriptors and
child processes must be back where they were afterwards; over the sequential turns the
client's RSS grows less than 20 MB after the first 100 and no turn stays "active". The offline model runs in a
subprocess so that the client process only holds the SDK.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.testing import write_codex_home

pytestmark = [
    pytest.mark.load,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)"),
]

CONCURRENT = 256
SEQUENTIAL = 1000

_SERVER = """
import sys
from openai_codex.testing import OfflineModel
model = OfflineModel().start()
print(model.base_url, flush=True)
sys.stdin.read()  # serve until the parent closes our stdin
model.close()
"""


@pytest.fixture
def config(tmp_path: Path) -> Iterator[CodexConfig]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        home = write_codex_home(tmp_path / "home", url)
        work = tmp_path / "work"
        work.mkdir()
        yield CodexConfig(env={"CODEX_HOME": str(home)}, cwd=str(work))
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
    """Live children of this process (the model server, the runtime while it runs)."""
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


def test_256_concurrent_turns_on_one_client(config: CodexConfig) -> None:
    fds, children = _open_fds(), _children()

    async def main() -> dict[int, str | None]:
        results: dict[int, str | None] = {}
        async with AsyncCodex(config) as codex:

            async def one(n: int) -> None:
                # no retry here: a ServerBusyError reaching this code fails the test
                thread = await codex.thread_start()
                result = await thread.run(f"load turn {n}", timeout=600)
                results[n] = result.final_response

            async with anyio.create_task_group() as tg:
                for n in range(CONCURRENT):
                    tg.start_soon(one, n)
        return results

    started = time.monotonic()
    results = anyio.run(main)
    elapsed = time.monotonic() - started
    print(f"{CONCURRENT} concurrent turns: {elapsed:.1f} s")
    assert results == {n: f"Offline model reply to: load turn {n}" for n in range(CONCURRENT)}
    assert _open_fds() <= fds
    assert _children() == children  # the runtime is gone, only the model server is left


def _rss_mb() -> float:
    """This process's resident memory (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


#: RSS may grow at most this much over the turns after the first 100 (caches warm by then)
RSS_GROWTH_MB = 20.0


def test_1000_sequential_turns(config: CodexConfig) -> None:
    fds, children = _open_fds(), _children()
    started = time.monotonic()
    warm_rss = 0.0
    with Codex(config) as codex:
        threads = [codex.thread_start() for _ in range(4)]
        for n in range(SEQUENTIAL):
            prompt = f"sequential turn {n}"
            result = threads[n % len(threads)].run(prompt, timeout=120)
            assert result.final_response == f"Offline model reply to: {prompt}"
            if n == 99:
                warm_rss = _rss_mb()
        end_rss = _rss_mb()
        active = codex._async._session.active
        assert active is not None
        assert len(active) == 0  # no completed turn left in the active-turn table
    elapsed = time.monotonic() - started
    print(
        f"{SEQUENTIAL} sequential turns: {elapsed:.1f} s; RSS {warm_rss:.1f} MB after 100, "
        f"{end_rss:.1f} MB after {SEQUENTIAL}"
    )
    assert end_rss - warm_rss < RSS_GROWTH_MB, (warm_rss, end_rss)
    assert _open_fds() <= fds
    assert _children() == children
