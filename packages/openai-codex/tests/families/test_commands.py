"""Commands without a turn (``command/exec``) against the real runtime, sync and async."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from openai_codex import (
    AsyncCodex,
    Codex,
    CodexConfig,
    CommandError,
    CommandTimeoutError,
    Sandbox,
    TransportClosedError,
)

from ._served import ServedRuntime


def test_run_command_sync(model_config: CodexConfig, workdir: Path) -> None:
    with Codex(model_config) as codex:
        result = codex.run_command(["sh", "-c", "echo hi; echo err >&2; pwd; exit 3"])
        assert result.returncode == 3
        assert result.stdout == f"hi\n{workdir}\n"
        assert result.stderr == "err\n"
        assert result.args == ("sh", "-c", "echo hi; echo err >&2; pwd; exit 3")
        with pytest.raises(CommandError) as failed:
            codex.run_command(["sh", "-c", "echo out; exit 2"], check=True)
        assert (failed.value.returncode, failed.value.stdout) == (2, "out\n")
        assert codex.run_command(["cat"], input="from stdin\n").stdout == "from stdin\n"
        assert codex.run_command(["cat"], input=b"").stdout == ""
        sub = workdir / "sub"
        sub.mkdir()
        env_result = codex.run_command(
            ["sh", "-c", "pwd; echo $GREETING"], cwd=str(sub), env={"GREETING": "hello"}
        )
        assert env_result.stdout == f"{sub}\nhello\n"
        started = time.monotonic()
        with pytest.raises(CommandTimeoutError) as timed_out:
            codex.run_command(["sh", "-c", "echo before; sleep 30"], timeout=1.0)
        assert time.monotonic() - started < 8
        assert timed_out.value.stdout == "before\n"
        assert isinstance(timed_out.value, TimeoutError)
        # the sandbox refuses a write under a read-only policy, allows it in the workspace
        denied = codex.run_command(["sh", "-c", "echo x > denied.txt"], sandbox=Sandbox.read_only)
        assert denied.returncode != 0
        assert not (workdir / "denied.txt").exists()
        allowed = codex.run_command(
            ["sh", "-c", "echo x > ok.txt"], sandbox=Sandbox.workspace_write, check=True
        )
        assert allowed.returncode == 0
        assert (workdir / "ok.txt").read_text() == "x\n"


def test_bad_arguments_fail_at_the_call(model_config: CodexConfig) -> None:
    with Codex(model_config) as codex:
        with pytest.raises(TypeError, match="sequence of strings"):
            codex.run_command("ls -l")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="must not be empty"):
            codex.run_command([])
        with pytest.raises(ValueError, match="timeout"):
            codex.run_command(["true"], timeout=-1)
        with pytest.raises(ValueError, match="only for a PTY"):
            codex.start_command(["true"], size=(24, 80))


def test_streamed_process_sync(model_config: CodexConfig) -> None:
    with (
        Codex(model_config) as codex,
        codex.start_command(["sh", "-c", "cat; echo done >&2"]) as process,
    ):
        assert process.returncode is None
        process.write("line one\n")
        process.write(b"line two\n")
        process.close_stdin()
        chunks = list(process.output())
        assert b"".join(c.data for c in chunks if c.stream == "stdout") == (b"line one\nline two\n")
        assert [c.text for c in chunks if c.stream == "stderr"] == ["done\n"]
        result = process.wait(timeout=30)
        assert result.returncode == 0
        assert process.returncode == 0
        assert result.stdout == "line one\nline two\n"
        assert result.stderr == "done\n"
        with pytest.raises(RuntimeError, match="already exited"):
            process.write("late")


@pytest.mark.anyio
async def test_process_terminate_timeout_and_pty_async(model_config: CodexConfig) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            async with await codex.start_command(["sleep", "30"]) as sleeper:
                await sleeper.terminate()
                result = await sleeper.wait(timeout=10)
            assert result.returncode != 0
            waiting = await codex.start_command(["sh", "-c", "echo early; sleep 30"])
            with pytest.raises(CommandTimeoutError) as timed_out:
                await waiting.wait(timeout=1)
            assert timed_out.value.stdout == "early\n"
            assert waiting.returncode is not None
            # runtime 0.163.0 spawns a sandboxed PTY through codex-linux-sandbox, which the
            # wheel does not ship: the SDK links it onto the runtime's PATH
            sandboxed = await codex.start_command(["sh", "-c", "echo in-sandbox"], tty=True)
            assert b"".join([c.data async for c in sandboxed.output()]) == b"in-sandbox\r\n"
            assert (await sandboxed.wait(timeout=10)).returncode == 0
            pty = await codex.start_command(
                ["sh", "-c", "stty size; read line; stty size"],
                tty=True,
                size=(24, 80),
                sandbox=Sandbox.full_access,
            )
            seen = b""
            resized = False
            async for chunk in pty.output():
                seen += chunk.data
                # once: the terminal echoes the newline, and the process may be gone after it
                if b"24 80" in seen and not resized:
                    resized = True
                    await pty.resize(30, 100)
                    await pty.write("\n")
            assert b"24 80" in seen
            assert b"30 100" in seen
            assert (await pty.wait()).returncode == 0


@pytest.mark.anyio
async def test_commands_over_a_unix_socket_and_a_drop(
    serve: Callable[..., ServedRuntime],
) -> None:
    served = serve("unix")
    with anyio.fail_after(60):
        async with AsyncCodex(CodexConfig(url=served.url)) as codex:
            result = await codex.run_command(["sh", "-c", "echo attached"], check=True)
            assert result.stdout == "attached\n"
            process = await codex.start_command(["sh", "-c", "echo go; sleep 30"])
            first = await process.output().__anext__()
            assert first.data == b"go\n"
            served.stop()
            with pytest.raises(TransportClosedError):
                await process.wait(timeout=20)
