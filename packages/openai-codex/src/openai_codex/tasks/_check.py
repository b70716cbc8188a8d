"""A task's check command: run in its workspace, bounded by a deadline, its output kept."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import anyio

__all__ = ["CheckOutcome", "run_check"]

_TAIL_LINES = 30
_KILL_WAIT_S = 5.0


@dataclass(frozen=True)
class CheckOutcome:
    """The check's exit status (``None`` when it ran out of time) and its last lines."""

    exit_code: int | None
    output: str
    timed_out: bool


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-_TAIL_LINES:])


def _kill_group(pid: int) -> None:
    """Kill the check's process group (its own session: whatever it started goes too)."""
    if os.name == "nt":  # no process groups to signal: taskkill the tree
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


async def run_check(
    command: str | list[str], cwd: Path, *, limit_s: float, log: Path
) -> CheckOutcome:
    """Run ``command`` (a string through ``/bin/sh -c``, not a login shell, or ``cmd /c`` on
    Windows; or an argv list)
    in ``cwd`` with its output in ``log``; past ``limit_s`` seconds its process group is
    killed."""
    if isinstance(command, str):
        shell = ["cmd", "/c"] if os.name == "nt" else ["/bin/sh", "-c"]
        argv = [*shell, command]
    else:
        argv = list(command)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = await anyio.open_process(
            argv,
            cwd=str(cwd),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    timed_out = False
    try:
        with anyio.move_on_after(limit_s) as scope:
            await process.wait()
        if scope.cancelled_caught:
            timed_out = True
            _kill_group(process.pid)
            with anyio.move_on_after(_KILL_WAIT_S, shield=True):
                await process.wait()
    finally:
        if process.returncode is None:  # cancelled from outside: leave nothing running
            _kill_group(process.pid)
            with anyio.move_on_after(_KILL_WAIT_S, shield=True):
                await process.wait()
        else:
            _kill_group(process.pid)  # anything it left in the background
    output = _tail(log)
    if timed_out:
        return CheckOutcome(None, output + f"\n(check killed after {limit_s:g} s)", True)
    return CheckOutcome(process.returncode, output, False)
