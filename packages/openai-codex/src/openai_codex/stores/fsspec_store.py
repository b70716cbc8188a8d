"""``FsspecStore``: threads kept at any fsspec URL (S3, GCS, Azure, ``file://``, ``memory://``).

Needs ``fsspec`` and the URL's filesystem package (``s3fs``, ``gcsfs``, ``adlfs``):
``pip install 'openai-codex[fsspec]' s3fs``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ._errors import ThreadStoreError
from ._layout import ChunkedStore

__all__ = ["FsspecStore"]


def _import_fsspec() -> Any:
    try:
        import fsspec  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ThreadStoreError(
            "FsspecStore needs fsspec: pip install 'openai-codex[fsspec]' (plus the URL's "
            "filesystem package, such as s3fs, gcsfs or adlfs)"
        ) from None
    return fsspec


class FsspecStore(ChunkedStore):
    """Threads under a URL that fsspec knows: ``FsspecStore("s3://bucket/codex-threads")``.

    Every file is written once and never changed (chunks, then the manifest that commits
    them), so a store on an object store needs no rename and no lock; a killed save
    leaves the previous save. ``storage_options`` go to the filesystem (credentials are
    best left to the filesystem's own environment variables or config files: they are
    never shown in this object's repr or errors)."""

    def __init__(self, url: str, **storage_options: Any) -> None:
        super().__init__()
        fsspec = _import_fsspec()
        fs, root = fsspec.core.url_to_fs(url, **storage_options)
        self._fs: Any = fs
        self._root = str(root).rstrip("/")
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        self.url = (
            f"{protocol}://{self._root.lstrip('/')}"
            if protocol != "file"
            else (f"file://{self._root}")
        )

    def __repr__(self) -> str:
        return f"FsspecStore({self.url!r})"

    def _describe(self) -> str:
        return f"the fsspec store {self.url}"

    def _folder(self, thread_id: str) -> str:
        return f"{self._root}/{thread_id}"

    def _names(self, thread_id: str) -> list[str]:
        folder = self._folder(thread_id)
        self._fs.invalidate_cache(folder)  # another process may have saved since
        try:
            entries = self._fs.ls(folder, detail=False)
        except FileNotFoundError:
            return []
        return [str(e).rstrip("/").rsplit("/", 1)[-1] for e in entries]

    def _read(self, thread_id: str, name: str) -> bytes:
        data: bytes = self._fs.cat_file(f"{self._folder(thread_id)}/{name}")
        return data

    def _write(self, thread_id: str, name: str, data: bytes) -> None:
        folder = self._folder(thread_id)
        self._fs.makedirs(folder, exist_ok=True)
        self._fs.pipe_file(f"{folder}/{name}", data)

    def _remove(self, thread_id: str, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._fs.rm_file(f"{self._folder(thread_id)}/{name}")

    def _thread_ids(self) -> list[str]:
        self._fs.invalidate_cache(self._root)
        try:
            entries = self._fs.ls(self._root, detail=True)
        except FileNotFoundError:
            return []
        return [
            str(e["name"]).rstrip("/").rsplit("/", 1)[-1]
            for e in entries
            if e.get("type") == "directory"
        ]

    def _remove_thread(self, thread_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._fs.rm(self._folder(thread_id), recursive=True)
