"""The sync client starts its runtime before its event-loop thread (``runtime.early_start``)
where that is supported and the first-start lock is free; the loop then adopts it. The
adopted runtime behaves as a spawned one: turns, errors, death and close leave nothing
behind, and clients starting together on a fresh home still take turns at its first start."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from openai_codex import Codex, CodexConfig, TransportClosedError, WorkingDirectoryNotFoundError
from openai_codex.testing import OfflineModel, Reply
from openai_codex_transport import early_start_supported

from .conftest import runtime_pid

pytestmark = pytest.mark.skipif(
    not early_start_supported(), reason="no pidfd here: the sync client spawns on its loop"
)


def _process_kind(codex: Codex) -> str:
    transport: Any = codex._async._session.connection.transport  # type: ignore[union-attr]
    return type(transport._process).__name__


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _settled(model: OfflineModel, workdir: Path) -> CodexConfig:
    """A config whose home holds the runtime's state (one client has started in it)."""
    config = model.codex_config(cwd=str(workdir))
    with Codex(config) as first:
        assert _process_kind(first) == "PopenProcess"  # a fresh home, its lock free
    return config


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_settled_home_starts_early_and_runs_turns(model: OfflineModel, tmp_path: Path) -> None:
    config = _settled(model, tmp_path)
    fds = _open_fds()
    model.enqueue(Reply.text("early and well", deltas=3))
    with Codex(config) as codex:
        assert _process_kind(codex) == "PopenProcess"
        pid = runtime_pid(codex)
        assert codex.thread_start().run("hi").final_response == "early and well"
        events = [ev.method for ev in codex.thread_start().turn("more").stream()]
        assert events[-1] == "turn/completed"
    assert _gone(pid)
    assert _open_fds() <= fds  # pipes and the pidfd closed


def test_a_runtime_that_dies_mid_session_is_reported(model: OfflineModel, tmp_path: Path) -> None:
    config = _settled(model, tmp_path)
    with Codex(config) as codex:
        pid = runtime_pid(codex)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(TransportClosedError, match="signal SIGKILL"):
            codex.thread_start()
    assert _gone(pid)


def test_start_errors_are_raised_as_the_spawn_raises_them(
    model: OfflineModel, tmp_path: Path
) -> None:
    config = _settled(model, tmp_path)
    gone = tmp_path / "gone"
    gone.mkdir()
    config = dataclasses.replace(config, cwd=str(gone))
    gone.rmdir()  # removed after the config was made: the start itself finds out
    with pytest.raises(WorkingDirectoryNotFoundError, match="gone"):
        Codex(config)


def test_a_runtime_that_exits_before_initialize_is_an_error_and_leaves_nothing(
    model: OfflineModel, tmp_path: Path
) -> None:
    config = _settled(model, tmp_path)
    script = tmp_path / "dies.py"
    script.write_text("import sys\nsys.stderr.write('boom at start\\n')\nsys.exit(3)\n")
    fds = _open_fds()
    with pytest.raises(TransportClosedError, match="code 3"):
        Codex(dataclasses.replace(config, launch_args_override=[sys.executable, str(script)]))
    assert _open_fds() <= fds


def test_an_early_start_never_adopted_is_stopped(model: OfflineModel, tmp_path: Path) -> None:
    from openai_codex import AsyncCodex

    config = _settled(model, tmp_path)
    session = AsyncCodex(config)._session
    session.start_early()
    early = session._early
    assert early is not None
    pid = early.child.popen.pid
    session.discard_early()
    assert early.child.popen.returncode is not None  # killed and reaped
    assert _gone(pid)
    session.discard_early()  # idempotent


def test_sync_clients_starting_together_on_a_fresh_home_all_start(tmp_path: Path) -> None:
    import threading

    with OfflineModel() as model:
        config = model.codex_config(cwd=str(tmp_path), fresh_home=True)
        home = Path(config.env["CODEX_HOME"])  # type: ignore[index]
        assert not list(home.glob("state_*.sqlite"))
        kinds: list[str] = []
        failures: list[BaseException] = []
        go = threading.Barrier(6)

        def one() -> None:
            go.wait(timeout=30)
            try:
                with Codex(config) as codex:
                    kinds.append(_process_kind(codex))
                    codex.models()
            except Exception as exc:
                failures.append(exc)

        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
    assert failures == []
    assert len(kinds) == 6
    assert "PopenProcess" in kinds  # the one that got the lock started early


def test_a_first_start_that_fails_releases_the_lock(tmp_path: Path) -> None:
    from openai_codex._core.connection.start_lock import BUSY, claim_now, release

    with OfflineModel() as model:
        config = model.codex_config(cwd=str(tmp_path), fresh_home=True)
        home = str(config.env["CODEX_HOME"])  # type: ignore[index]
        script = tmp_path / "dies.py"
        script.write_text("import sys\nsys.exit(3)\n")
        with pytest.raises(TransportClosedError, match="code 3"):
            Codex(dataclasses.replace(config, launch_args_override=[sys.executable, str(script)]))
        claimed = claim_now(home)  # free again (still fresh: the lock is handed out)
        assert claimed != BUSY
        release(claimed)
        with Codex(config) as codex:  # and the next start goes ahead
            assert _process_kind(codex) == "PopenProcess"


def _runtime_children() -> set[int]:
    """Our child processes running the runtime (from /proc)."""
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == os.getpid() and comm.startswith("codex"):
            found.add(int(entry))
    return found


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_concurrent_first_calls_of_an_async_client_start_one_runtime(
    model: OfflineModel, tmp_path: Path
) -> None:
    import anyio

    from openai_codex import AsyncCodex

    config = model.codex_config(cwd=str(tmp_path))
    before = _runtime_children()
    codex = AsyncCodex(config)
    try:
        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                for _ in range(5):
                    tg.start_soon(codex.models)
        started = _runtime_children() - before
        assert len(started) == 1, started
        transport: Any = codex._session.connection.transport  # type: ignore[union-attr]
        assert type(transport._process).__name__ == "PopenProcess"  # started early, adopted
    finally:
        with anyio.fail_after(30):
            await codex.close()
    assert not (_runtime_children() - before)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_first_start_lock_held_too_long_is_a_clear_timeout(tmp_path: Path) -> None:
    import anyio

    from openai_codex import WaitTimeoutError
    from openai_codex._core.connection.start_lock import claim_now, first_start_lock, release

    home = str(tmp_path / "home")
    os.makedirs(home)
    held = claim_now(home)  # a fresh home: the lock is held (as another start would)
    assert held >= 0
    try:
        with anyio.fail_after(10), pytest.raises(WaitTimeoutError) as caught:
            async with first_start_lock(home, 0.2):
                pass
    finally:
        release(held)
    assert isinstance(caught.value, TimeoutError)
    assert home in str(caught.value)
    assert "remove" in str(caught.value)
