"""Finding the Codex runtime binary and building the ``app-server`` command line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import CodexBinaryNotFoundError

if TYPE_CHECKING:
    from pathlib import Path  # imported where used: pathlib pulls in urllib.parse, ipaddress

__all__ = [
    "app_server_argv",
    "default_codex_home",
    "default_control_socket_path",
    "linux_sandbox_helper_dir",
    "resolve_codex_binary",
]

_INSTALL_HINT = (
    "Install the runtime with `pip install openai-codex-cli-bin` (the `openai-codex` package "
    "depends on the reviewed version), or pass the path of a `codex` executable "
    "(CodexConfig(codex_bin=...))."
)


def resolve_codex_binary(explicit: str | os.PathLike[str] | None = None) -> tuple[str, str | None]:
    """Return ``(path, extra_path_dir)`` for the runtime binary.

    An explicit path wins and must exist. Otherwise the installed ``codex_cli_bin`` package
    supplies ``bundled_codex_path()`` and ``bundled_path_dir()`` (helper tools the runtime expects
    on its PATH: the caller prepends that directory to the child's PATH). Anything else raises
    :class:`CodexBinaryNotFoundError` saying how to fix it.
    """
    from pathlib import Path

    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise CodexBinaryNotFoundError(
                f"codex binary not found at {str(path)!r} (codex_bin). Check the path, or leave "
                f"codex_bin unset to use the installed openai-codex-cli-bin package."
            )
        if not os.access(path, os.X_OK):
            raise CodexBinaryNotFoundError(f"codex binary at {str(path)!r} is not executable")
        return str(path), None
    try:
        import codex_cli_bin  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise CodexBinaryNotFoundError(
            "No codex runtime binary: the openai-codex-cli-bin package is not installed. "
            + _INSTALL_HINT
        ) from None
    try:
        bundled = Path(codex_cli_bin.bundled_codex_path())
    except Exception as exc:  # the package reports a broken install in its own way
        raise CodexBinaryNotFoundError(
            f"openai-codex-cli-bin is installed but has no usable binary ({exc}). "
            "Reinstall it for this platform. " + _INSTALL_HINT
        ) from exc
    if not bundled.is_file():
        raise CodexBinaryNotFoundError(
            f"openai-codex-cli-bin points at {str(bundled)!r}, which does not exist. "
            "Reinstall it for this platform. " + _INSTALL_HINT
        )
    dirs: list[str] = []
    helper = linux_sandbox_helper_dir(bundled)
    if helper is not None:
        dirs.append(helper)
    path_dir = getattr(codex_cli_bin, "bundled_path_dir", None)
    if callable(path_dir):
        candidate = path_dir()
        if candidate is not None and Path(candidate).is_dir():
            dirs.append(str(candidate))
    return str(bundled), os.pathsep.join(dirs) or None


def linux_sandbox_helper_dir(codex: str | os.PathLike[str]) -> str | None:
    """A private directory holding ``codex-linux-sandbox``, a link to ``codex``, or None.

    On Linux the runtime starts sandboxed processes (a PTY of ``command/exec``) through a
    ``codex-linux-sandbox`` executable it looks up on its PATH: the ``codex`` binary itself
    under that name. The wheel does not ship the name, so the link is made here (once, in a
    per-user directory only its owner can write) and the directory goes first on the
    runtime's PATH. Anywhere that fails (no symlinks, a foreign owner) the answer is None and
    the runtime reports the refused spawn itself.
    """
    import sys

    if not sys.platform.startswith("linux"):
        return None
    target = os.path.realpath(codex)
    base = sdk_temp_dir()
    directory = os.path.join(base, f"sandbox-{path_digest(target)}")
    link = os.path.join(directory, "codex-linux-sandbox")
    try:
        if os.path.islink(link) and os.readlink(link) == target and _private(base):
            return directory
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _private(base) or not _private(directory):
            return None
        staging = f"{link}.{os.getpid()}.tmp"
        if os.path.lexists(staging):
            os.unlink(staging)
        os.symlink(target, staging)
        os.replace(staging, link)  # atomic: concurrent starts agree
    except OSError:
        return None
    return directory


def sdk_temp_dir() -> str:
    """``<temp dir>/openai-codex-<uid>``: where the SDK keeps its lock files and links (not
    created here). The temp directory is the one ``tempfile.gettempdir()`` names on POSIX,
    found without importing ``tempfile`` (shutil, bz2, lzma, random: ~6 ms on a start)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(_temp_dir(), f"openai-codex-{uid}")


def _temp_dir() -> str:
    for name in ("TMPDIR", "TEMP", "TMP"):
        value = os.environ.get(name)
        if value and os.path.isdir(value):
            return os.path.abspath(value)
    for candidate in ("/tmp", "/var/tmp", "/usr/tmp"):
        if os.path.isdir(candidate):
            return candidate
    return os.getcwd()


def path_digest(path: str) -> str:
    """16 hex digits naming ``path`` in a file name (64-bit FNV-1a; stable across processes,
    no ``hashlib`` import)."""
    value = 0xCBF29CE484222325
    for byte in path.encode():
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def _private(path: str) -> bool:
    """The directory is ours and nobody else can write into it."""
    import stat

    info = os.lstat(path)
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def app_server_argv(
    codex_bin: str | os.PathLike[str],
    config_overrides: Iterable[str] = (),
    *,
    listen: str = "stdio://",
) -> list[str]:
    """``[codex, --config K=V..., "app-server", "--listen", listen]``."""
    argv = [os.fspath(codex_bin)]
    for override in config_overrides:
        argv += ["--config", override]
    argv += ["app-server", "--listen", listen]
    return argv


def default_codex_home() -> Path:
    """``$CODEX_HOME`` if set, else ``~/.codex`` (the runtime's own default)."""
    from pathlib import Path

    env = os.environ.get("CODEX_HOME")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".codex"


def default_control_socket_path(codex_home: str | os.PathLike[str] | None = None) -> Path:
    """The control socket ``codex app-server daemon`` (and ``--listen unix://``) serves.

    ``$CODEX_HOME/app-server-control/app-server-control.sock`` (checked against runtime 0.163.0).
    """
    from pathlib import Path

    home = Path(codex_home).expanduser() if codex_home is not None else default_codex_home()
    return home / "app-server-control" / "app-server-control.sock"
