"""Crash messages point at the cause: exit status and signal first, then the stderr tail
without the runtime's harmless start-up warnings. A missing cwd is named as such."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex_transport import (
    CodexBinaryNotFoundError,
    JsonRpcConnection,
    StdioTransport,
    TransportClosedError,
    WorkingDirectoryNotFoundError,
)
from openai_codex_transport._stderr import HARMLESS_STARTUP_NOISE, StderrBuffer

FakeArgv = Callable[..., list[str]]

# What runtime 0.163.0 printed at start-up on this machine (CODEX_HOME under /tmp, no system
# bubblewrap), colours included.
PATH_ALIASES = (
    "WARNING: proceeding, even though we could not create PATH aliases: Refusing to create "
    'helper binaries under temporary dir "/tmp" (codex_home: AbsolutePathBuf("/tmp/tmpt21opo_f"))'
)
BUBBLEWRAP = (
    "\x1b[2m2026-12-03T08:56:35.386982Z\x1b[0m \x1b[31mERROR\x1b[0m \x1b[2mcodex_app_server"
    "\x1b[0m\x1b[2m:\x1b[0m Codex could not find bubblewrap on PATH. Install bubblewrap with "
    "your OS package manager. See the sandbox prerequisites: https://developers.openai.com/"
    "codex/concepts/sandboxing#prerequisites. Codex will use the bundled bubblewrap in the "
    "meantime."
)
CAUSE = (
    "\x1b[2m2026-12-03T08:57:00.000000Z\x1b[0m \x1b[31mERROR\x1b[0m codex_app_server: "
    "fatal: state db is corrupt"
)


def test_tail_leaves_out_startup_noise_and_colours() -> None:
    buffer = StderrBuffer()
    buffer.append(f"{PATH_ALIASES}\n{BUBBLEWRAP}\n{CAUSE}\n{BUBBLEWRAP}\n".encode())
    assert (
        buffer.tail()
        == "2026-12-03T08:57:00.000000Z ERROR codex_app_server: fatal: state db is corrupt"
    )
    assert "bubblewrap" in buffer.text()  # the full text keeps everything (colours stripped)
    assert "\x1b[" not in buffer.text()
    only_noise = StderrBuffer()
    only_noise.append(f"{PATH_ALIASES}\n{BUBBLEWRAP}\n".encode())
    assert only_noise.tail() == ""


def test_tail_is_bounded_and_keeps_whole_lines() -> None:
    buffer = StderrBuffer(limit=1000)
    buffer.append(b"".join(f"line {i:04d}\n".encode() for i in range(500)))
    tail = buffer.tail(max_chars=100)
    assert len(tail) <= 100
    assert tail.endswith("line 0499")
    assert all(line.startswith("line ") and len(line) == 9 for line in tail.splitlines())


@pytest.mark.anyio
async def test_fake_crash_message_status_first_then_the_cause(fake_argv: FakeArgv) -> None:
    argv = fake_argv("--banner", PATH_ALIASES, "--banner", BUBBLEWRAP)
    transport = await StdioTransport.spawn(argv)
    conn = JsonRpcConnection(transport)
    with anyio.fail_after(10), pytest.raises(TransportClosedError) as info:
        await conn.request("die", {"code": 3, "stderr": CAUSE + "\n"})
    error = info.value
    text = str(error)
    assert text.startswith(f"codex app-server (pid {transport.pid}) exited with code 3\n")
    assert error.exit_code == 3
    assert error.stderr_tail is not None
    assert error.stderr_tail.endswith("fatal: state db is corrupt")
    assert "\x1b[" not in text
    for marker in HARMLESS_STARTUP_NOISE:
        assert marker not in text
        assert marker in transport.stderr_text()  # it was printed, and left out
    await conn.aclose()


@pytest.mark.anyio
async def test_real_runtime_killed_message(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> None:
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    conn = JsonRpcConnection(transport, request_timeout=60)
    await conn.request("initialize", init_params)
    await conn.notify("initialized")
    await conn.request("thread/start", {"ephemeral": True})
    with anyio.fail_after(30):
        # Wait until its start-up warnings are in (stderr offers no event but our buffer).
        while not any(m in transport.stderr_text() for m in HARMLESS_STARTUP_NOISE):  # noqa: ASYNC110
            await anyio.sleep(0.02)
    os.kill(transport.pid, signal.SIGKILL)
    with anyio.fail_after(10), pytest.raises(TransportClosedError) as info:
        await conn.request("model/list", {})
    text = str(info.value)
    assert text.startswith(
        f"codex app-server (pid {transport.pid}) exited with signal SIGKILL (-9)"
    )
    assert info.value.exit_code == -signal.SIGKILL
    for marker in HARMLESS_STARTUP_NOISE:
        assert marker not in text
    await conn.aclose()


@pytest.mark.anyio
async def test_missing_cwd_is_named_not_a_missing_binary(
    fake_argv: FakeArgv, tmp_path: Path
) -> None:
    missing = tmp_path / "does" / "not" / "exist"
    with pytest.raises(WorkingDirectoryNotFoundError) as info:
        await StdioTransport.spawn(fake_argv(), cwd=missing)
    assert not isinstance(info.value, CodexBinaryNotFoundError)
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.cwd == str(missing)
    assert str(missing) in str(info.value)
    assert "does not exist" in str(info.value)
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(WorkingDirectoryNotFoundError, match="is not a directory"):
        await StdioTransport.spawn(fake_argv(), cwd=a_file)
    with pytest.raises(TypeError, match="cwd must be"):
        await StdioTransport.spawn(fake_argv(), cwd=7)  # type: ignore[arg-type]
    # a missing binary is still that, even with a cwd given
    with pytest.raises(CodexBinaryNotFoundError):
        await StdioTransport.spawn(["/nonexistent/codex", "app-server"], cwd=tmp_path)
    transport = await StdioTransport.spawn(fake_argv(), cwd=tmp_path)
    async with JsonRpcConnection(transport) as conn:
        assert await conn.request("cwd", timeout=10) == str(tmp_path)
