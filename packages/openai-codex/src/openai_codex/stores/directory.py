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

    Files are written to a temporary name, flushed to disk (``fsync``, unless
    ``durable=False``) and renamed into place, so a killed save leaves the previous state.
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
        if self.durable and name.startswith("manifest-"):
            _fsync_dir(folder)

    def _remove(self, thread_id: str, name: str) -> None:
        (self._folder(thread_id) / name).unlink(missing_ok=True)

    def _thread_ids(self) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.path) if e.is_dir()]
        except FileNotFoundError:
            return []

    def _remove_thread(self, thread_id: str) -> None:
        shutil.rmtree(self._folder(thread_id), ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
