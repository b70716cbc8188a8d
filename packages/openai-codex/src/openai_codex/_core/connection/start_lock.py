"""One first start per CODEX_HOME at a time.

Runtime 0.163.0 creates its sqlite state on the first start in a CODEX_HOME; several
runtimes doing that at once fail ("failed to initialize sqlite state runtime"), all but one.
So every spawn takes an advisory lock (``fcntl``, one file per home under the temp
directory) and, holding it, looks at the home: a fresh one keeps the lock from the spawn
until ``initialize`` is answered; a home with state releases it at once, so later starts
stay concurrent.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio


def codex_home_of(env: Mapping[str, str] | None) -> str:
    """The CODEX_HOME a runtime started with ``env`` (merged over ours) will use."""
    value = (env or {}).get("CODEX_HOME") or os.environ.get("CODEX_HOME")
    return os.path.expanduser(value) if value else os.path.join(os.path.expanduser("~"), ".codex")


def is_fresh(home: str) -> bool:
    """True while ``home`` holds no runtime state database yet."""
    try:
        names = os.listdir(home)
    except OSError:
        return True
    return not any(n.startswith("state_") and n.endswith(".sqlite") for n in names)


def lock_path(home: str) -> str:
    """The lock file for ``home`` (outside it: nothing is written into the user's home)."""
    from openai_codex_transport import path_digest, sdk_temp_dir

    name = f"first-start-{path_digest(os.path.realpath(home))}.lock"
    return os.path.join(sdk_temp_dir(), name)


#: ``claim_now``: the lock is busy (a first start is under way): wait for it on the loop
BUSY = -2
#: ``claim_now``: the home holds its state; a runtime may start without the lock
FREE = -1


def _open_lock(home: str) -> tuple[str, int]:
    """The lock file of ``home`` (made if missing), opened: its path and descriptor."""
    path = lock_path(home)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    return path, os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` if it is free (False: another start holds it)."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def claim_now(home: str) -> int:
    """The first-start lock of ``home`` without waiting, for code that cannot wait (the
    sync client's early start): :data:`BUSY` if another start holds it (or it cannot be
    had here), :data:`FREE` if the home holds its state (the lock is not needed), else the
    held lock's file descriptor (a fresh home: pass it to :func:`release` once the
    runtime has answered ``initialize``)."""
    if sys.platform == "win32":
        return BUSY
    try:
        _, fd = _open_lock(home)
    except OSError:
        return BUSY
    try:
        locked = _try_lock(fd)
    except OSError:
        locked = False
    if not locked:
        os.close(fd)
        return BUSY
    if is_fresh(home):
        return fd  # held until the first runtime has made the home's state
    release(fd)
    return FREE


def release(fd: int) -> None:
    """Release a held lock (no-op for ``FREE``/``BUSY``) and close its descriptor."""
    if fd < 0:
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@asynccontextmanager
async def first_start_lock(home: str, seconds: float) -> AsyncIterator[None]:
    """Hold the first-start lock of ``home`` if it is fresh; waits at most ``seconds``
    (then ``WaitTimeoutError``, a ``TimeoutError``, naming the home and the lock file).

    The fresh-home decision is made while holding the lock: the runtime writes its state
    file well before it answers ``initialize`` (15-40 ms vs 120-170 ms after the spawn), so
    a check without the lock would let a start in that gap skip it and collide. A home
    with state costs one brief, uncontended lock."""
    if sys.platform == "win32":
        yield
        return
    path, fd = _open_lock(home)
    try:
        deadline = time.monotonic() + seconds
        pause = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                from ...errors import WaitTimeoutError

                raise WaitTimeoutError(
                    f"free first-start lock of the fresh CODEX_HOME {home!r} (another "
                    f"process is starting a runtime there; if none is, remove {path!r})",
                    seconds,
                ) from None
            await anyio.sleep(pause)
            pause = min(pause * 2, 0.1)
    except BaseException:
        os.close(fd)
        raise
    if not is_fresh(home):  # a first start already made the state: go concurrently
        release(fd)
        yield
        return
    try:
        yield
    finally:
        release(fd)
