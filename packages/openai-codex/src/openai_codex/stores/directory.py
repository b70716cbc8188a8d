"""``DirectoryStore``: threads kept in a local directory (the default store; no service)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ._layout import ChunkedStore

__all__ = ["DirectoryStore"]


class DirectoryStore(ChunkedStore):
    """Threads in a directory: one folder per thread of immutable chunks and manifests.

    A save writes its chunk, flushes it to disk (``fsync``, unless ``durable=False``),
    then writes the manifest that commits it to a temporary name, flushes it and renames
    it into place, so a killed save leaves the previous state (after a power loss, the
    last save may be missing, never half there).
    The directory may be on a shared filesystem (NFS, a mounted volume) that several
    machines use; two processes saving the *same* thread at once are not supported."""

    def __init__(self, path: str | os.PathLike[str], *, durable: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.durable = durable

    def __repr__(self) -> str:
        return f"DirectoryStore({str(self.path)!r})"

    def _describe(self) -> str:
        return f"the directory store {self.path}"

    def _folder(self, thread_id: str) -> Path:
        return self.path / thread_id

    def _names(self, thread_id: str) -> list[str]:
        try:
            return os.listdir(self._folder(thread_id))
        except FileNotFoundError:
            return []

    def _read(self, thread_id: str, name: str) -> bytes:
        return (self._folder(thread_id) / name).read_bytes()

    def _write(self, thread_id: str, name: str, data: bytes) -> None:
        folder = self._folder(thread_id)
        folder.mkdir(parents=True, exist_ok=True)
        if name.startswith("chunk-"):
            # written once under a new name and referenced only by a later manifest: a
            # partial chunk left by a kill is never read, so no temporary name is needed
            with (folder / name).open("wb") as out:
                out.write(data)
                if self.durable:
                    out.flush()
                    os.fsync(out.fileno())
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                if self.durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _remove(self, thread_id: str, name: str) -> None:
        (self._folder(thread_id) / name).unlink(missing_ok=True)

    def _thread_ids(self) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.path) if e.is_dir()]
        except FileNotFoundError:
            return []

    def _remove_thread(self, thread_id: str) -> None:
        shutil.rmtree(self._folder(thread_id), ignore_errors=True)
