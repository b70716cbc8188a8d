"""Moving a thread between a runtime and a store: ``thread.save`` and ``codex.thread_restore``.

Save reads the rollout the runtime writes (``Thread.path``, under CODEX_HOME/sessions),
keeps its complete JSON lines (a save during a running turn stores the consistent prefix
written so far) and, when the store already holds a prefix of it, appends only what is
new. Restore writes the rollout at the same place under the other runtime's CODEX_HOME and
resumes the thread there (``thread/resume``), so the next turn sends the model the whole
conversation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

from ._errors import StoreConflictError, ThreadStoreError
from ._protocol import ThreadStore
from ._record import StoredThread, check_thread_id
from ._secrets import check_no_secrets

if TYPE_CHECKING:
    from .._core.client import AsyncCodex
    from .._core.connection.session import Session
    from .._core.threads.thread import AsyncThread
    from ._sync import SyncThreadStore

__all__ = ["as_async_store", "place_rollout", "save_thread"]


def as_async_store(store: ThreadStore | SyncThreadStore) -> ThreadStore:
    """The async store behind ``store`` (a ``SyncThreadStore`` is unwrapped)."""
    inner = getattr(store, "async_store", store)
    if not isinstance(inner, ThreadStore):
        raise TypeError(f"not a ThreadStore: {store!r}")
    return inner


def _rollout_name(path: str, codex_home: str) -> str:
    """The rollout's path relative to CODEX_HOME (``sessions/<file>`` when outside it)."""
    try:
        rel = Path(path).relative_to(codex_home)
    except ValueError:
        return f"sessions/{Path(path).name}"
    return PurePosixPath(*rel.parts).as_posix()


async def _read_rollout(session: Session, path: str) -> bytes:
    """The rollout's bytes: from disk when this machine sees it, else through the runtime."""
    local = anyio.Path(path)
    if await local.is_file():
        return await local.read_bytes()
    from .._core.services.files import AsyncFiles

    return await AsyncFiles(session).read_bytes(path)


async def save_thread(
    thread: AsyncThread, session: Session, store: ThreadStore | SyncThreadStore
) -> StoredThread:
    """Save ``thread`` (of ``session``) into ``store`` (incrementally when the store has a
    prefix of it)."""
    target = as_async_store(store)
    read = await thread.read()
    record = read.thread
    if record.path is None:
        raise ThreadStoreError(
            f"thread {thread.id} has no rollout file (an ephemeral thread): start it "
            "without ephemeral=True to save it",
            thread_id=thread.id,
        )
    path = str(record.path)
    name = _rollout_name(path, str(session.metadata.codex_home))
    data = await _read_rollout(session, path)
    data = data[: data.rfind(b"\n") + 1]  # complete lines only: a consistent prefix
    if not data:
        raise ThreadStoreError(
            f"thread {thread.id} has nothing recorded yet: run a turn, then save it",
            thread_id=thread.id,
        )
    current = await target.info(thread.id)
    offset = 0
    full = hashlib.sha256()
    if current is not None and current.rollout_name == name and current.size <= len(data):
        prefix = hashlib.sha256(memoryview(data)[: current.size])
        if prefix.hexdigest() == current.sha256:
            if current.size == len(data):
                return current  # nothing new
            offset, full = current.size, prefix
    check_no_secrets(thread.id, data, offset)
    full.update(data[offset:])
    cwd = getattr(record, "cwd", None)
    stored = StoredThread(
        thread_id=thread.id,
        rollout_name=name,
        size=len(data),
        sha256=full.hexdigest(),
        saved_at=time.time(),
        name=record.name,
        cwd=None if cwd is None else str(cwd),
    )
    try:
        await target.save(stored, data[offset:], offset=offset)
    except StoreConflictError:  # another save moved the stored copy: store it whole
        stored = dataclasses.replace(stored, sha256=hashlib.sha256(data).hexdigest())
        await target.save(stored, data, offset=0)
    return stored


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _local_extends(path: Path, record: StoredThread, data: bytes) -> bool:
    """Whether ``path`` already holds the stored rollout (and perhaps more after it)."""
    try:
        with path.open("rb") as existing:
            head = existing.read(record.size)
    except FileNotFoundError:
        return False
    return head == data


async def place_rollout(
    codex: AsyncCodex, thread_id: str, store: ThreadStore | SyncThreadStore
) -> bool:
    """Write the stored rollout of ``thread_id`` under this runtime's CODEX_HOME.

    ``False`` when nothing needed writing: the runtime's rollout file already holds the
    stored one (a save from this runtime, perhaps followed by more turns).
    ``ThreadStoreError`` when the runtime has the thread loaded from an older rollout."""
    check_thread_id(thread_id)
    source = as_async_store(store)
    record, data = await source.load(thread_id)
    loaded = thread_id in await codex.loaded_threads()
    home = str(codex.metadata.codex_home)
    target = Path(home, *PurePosixPath(record.rollout_name).parts)
    if await anyio.Path(home).is_dir():
        if await anyio.to_thread.run_sync(_local_extends, target, record, data):
            return False
        if loaded:
            raise ThreadStoreError(
                f"this runtime has thread {thread_id} loaded, older than its copy in the "
                "store (another runtime ran turns since): a runtime keeps a loaded thread "
                "in memory, so continue it on a runtime that has not loaded it (a new client)",
                thread_id=thread_id,
            )
        await anyio.to_thread.run_sync(_write_atomic, target, data)
    elif loaded:  # an attached runtime on another machine: its loaded copy is kept
        return False
    else:  # an attached runtime on another machine: write through it
        await codex.fs.mkdir(str(target.parent), parents=True)
        await codex.fs.write_bytes(str(target), data)
    return True
