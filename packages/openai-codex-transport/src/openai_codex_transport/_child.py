"""The runtime child: the command and options that start it (three pipes, its own process
group, the environment merged over ours), the error when it cannot start, and how it ended.
Shared by :meth:`StdioTransport.spawn` and :meth:`EarlyChild.start`."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import CodexBinaryNotFoundError, TransportClosedError, WorkingDirectoryNotFoundError
from .redaction import redact_text

_POSIX = os.name == "posix"


def _describe_exit(code: int | None) -> str:
    """How the child ended, status first: ``exited with signal SIGKILL (-9)``."""
    if code is None:
        return "is still running but closed its stdout"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "an unknown signal"
        return f"exited with signal {name} ({code})"
    return f"exited with code {code}"


def _checked_cwd(cwd: object) -> str | None:
    """``cwd`` as a path string, after checking it is an existing directory."""
    if cwd is None:
        return None
    if not isinstance(cwd, (str, os.PathLike)):
        raise TypeError(f"cwd must be a str or os.PathLike, not {type(cwd).__name__}")
    path = os.fsdecode(os.fspath(cwd))
    if not os.path.isdir(path):
        reason = "is not a directory" if os.path.exists(path) else "does not exist"
        raise WorkingDirectoryNotFoundError(path, reason)
    return path


def _child_env(env: Mapping[str, str | None] | None, extra_path_dir: str | None) -> dict[str, str]:
    """The child's environment: ours, with ``env`` merged over it (``None`` removes)."""
    child_env = dict(os.environ)
    for key, value in (env or {}).items():
        if not isinstance(key, str):
            raise TypeError(f"env keys must be str, not {type(key).__name__}")
        if value is None:
            child_env.pop(key, None)
        elif isinstance(value, str):
            child_env[key] = value
        else:  # never show the value: it may be a secret
            raise TypeError(f"env[{key!r}] must be a str or None, not {type(value).__name__}")
    if extra_path_dir:
        old = child_env.get("PATH")
        child_env["PATH"] = extra_path_dir + (os.pathsep + old if old else "")
    return child_env


def _child_args(
    argv: Sequence[Any],
    env: Mapping[str, str | None] | None,
    cwd: str | os.PathLike[str] | None,
    extra_path_dir: str | None,
) -> tuple[list[str], dict[str, Any]]:
    """The command and the process options of the runtime child (checked: ``argv`` not
    empty, ``cwd`` an existing directory, ``env`` of strings): three pipes, its own
    process group on POSIX."""
    import subprocess

    if not argv:
        raise ValueError("argv must not be empty")
    kwargs: dict[str, Any] = {
        "stdin": subprocess.PIPE,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "cwd": _checked_cwd(cwd),
        "env": _child_env(env, extra_path_dir),
    }
    if _POSIX:
        kwargs["start_new_session"] = True
    return [os.fspath(a) for a in argv], kwargs


def _start_error(exc: OSError, argv: Sequence[Any], cwd_path: str | None) -> Exception:
    """The error for a child that could not be started."""
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        if cwd_path is not None and not os.path.isdir(cwd_path):  # removed since the check
            return WorkingDirectoryNotFoundError(cwd_path)
        return CodexBinaryNotFoundError(
            f"could not start {redact_text(str(argv[0]))!r}: {exc.strerror or exc}"
        )
    return TransportClosedError(f"could not start {redact_text(str(argv[0]))!r}: {exc}")
