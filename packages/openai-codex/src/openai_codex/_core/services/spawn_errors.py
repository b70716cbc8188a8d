"""Why a command did not start, said the way ``subprocess.run`` says it.

The runtime reports a command that could not start in two ways: ``command/exec`` fails
with ``failed to spawn command: No such file or directory (os error 2)`` (no sandbox, or
a bad ``cwd``), or the sandbox helper exits with status 101 after a Rust panic whose
stderr says ``Failed to execvp NAME: ... (os error 2)``. Both become the ``OSError``
subclass of that error number (``FileNotFoundError``, ``PermissionError``,
``NotADirectoryError``), naming the executable or the missing ``cwd``.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Awaitable, Callable

from openai_codex_transport import JsonRpcError

__all__ = ["panic_os_error", "spawn_os_error"]

_SPAWN = re.compile(r"failed to spawn command: (?P<text>.*?) \(os error (?P<code>\d+)\)")
_EXECVP = re.compile(r"Failed to execvp (?P<path>.+?): (?P<text>.*?) \(os error (?P<code>\d+)\)")

#: the exit status of the runtime's sandbox helper when it panics (Rust's default)
PANIC_STATUS = 101


def panic_os_error(returncode: int, stderr: str) -> OSError | None:
    """The ``OSError`` of a sandboxed command whose ``execvp`` failed, else None."""
    if returncode != PANIC_STATUS:
        return None
    found = _EXECVP.search(stderr)
    if found is None:
        return None
    return OSError(int(found["code"]), found["text"], found["path"])


async def spawn_os_error(
    exc: JsonRpcError,
    argv0: str,
    cwd: str | None,
    cwd_exists: Callable[[str], Awaitable[bool]],
) -> OSError | None:
    """The ``OSError`` for a refused ``command/exec`` (``None`` if it is another error):
    about ``cwd`` when that is what is missing or not a directory, else the executable."""
    found = _SPAWN.search(exc.message or "")
    if found is None:
        return None
    code, text = int(found["code"]), found["text"]
    if cwd is not None:
        if code == errno.ENOTDIR:
            return OSError(code, f"{text}: the command's cwd", cwd)
        if code == errno.ENOENT and not await cwd_exists(cwd):
            return OSError(code, f"{text}: the command's cwd does not exist", cwd)
    return OSError(code, text, argv0)
