"""The chunked layout shared by the file-like stores (a directory, any fsspec URL).

Each thread is a folder of immutable files::

    <thread_id>/chunk-000000000003.bin      bytes appended by save number 3
    <thread_id>/manifest-000000000003.json  the record and the list of chunks, in order

A save writes its chunk, then its manifest (the commit point), then removes what the new
manifest no longer needs. A reader takes the newest manifest that parses, so a save killed
at any point leaves the thread as of the previous complete save (a half-written manifest
is skipped when an older one is still there). Chunks are checked against the record's
size and SHA-256 on every load.
"""

from __future__ import annotations

import json
import re
import threading
from abc import abstractmethod
from typing import Any

from ._blocking import BlockingStore
from ._errors import (
    StoreConflictError,
    StoredThreadCorruptError,
    ThreadNotStoredError,
    ThreadStoreError,
)
from ._record import StoredThread, check_thread_id, digest

__all__ = ["ChunkedStore"]

_FILE = re.compile(r"(chunk|manifest)-(\d{12})\.(bin|json)")
_FORMAT = 1
#: how often a reader lists again when a concurrent save replaced what it listed
_RACE_RETRIES = 5


class _Manifest:
    __slots__ = ("chunks", "generation", "record")

    def __init__(self, generation: int, record: StoredThread, chunks: list[tuple[str, int]]):
        self.generation = generation
        self.record = record
        self.chunks = chunks

    def to_bytes(self) -> bytes:
        body = {"format": _FORMAT, "record": json.loads(self.record.to_json())}
        body["chunks"] = [[n, s] for n, s in self.chunks]
        return json.dumps(body, sort_keys=True).encode()

    @classmethod
    def parse(cls, generation: int, data: bytes) -> _Manifest:
        body: Any = json.loads(data)
        if not isinstance(body, dict) or body.get("format") != _FORMAT:
            raise ValueError("not a manifest of format 1")
        record = StoredThread.from_json(json.dumps(body["record"]))
        chunks = [(str(n), int(s)) for n, s in body["chunks"]]
        return cls(generation, record, chunks)


class ChunkedStore(BlockingStore):
    """A ``ThreadStore`` over a folder-like space of immutable files (see the module doc).

    Subclasses give the file operations (blocking; each store operation runs them on one
    worker thread)."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    # -- what a subclass provides ----------------------------------------------------
    @abstractmethod
    def _describe(self) -> str:
        """A credential-free name of the store for messages."""

    @abstractmethod
    def _names(self, thread_id: str) -> list[str]:
        """The file names in the thread's folder ([] when it has none)."""

    @abstractmethod
    def _read(self, thread_id: str, name: str) -> bytes:
        """A file's bytes (``FileNotFoundError`` when absent)."""

    @abstractmethod
    def _write(self, thread_id: str, name: str, data: bytes) -> None:
        """Create a file (atomically where the medium allows)."""

    @abstractmethod
    def _remove(self, thread_id: str, name: str) -> None:
        """Remove a file if it is there."""

    @abstractmethod
    def _thread_ids(self) -> list[str]:
        """The ids of every thread folder."""

    @abstractmethod
    def _remove_thread(self, thread_id: str) -> None:
        """Remove the thread's folder and whatever is left in it."""

    # -- blocking implementation -----------------------------------------------------
    def _info_blocking(self, thread_id: str) -> StoredThread | None:
        manifest = self._manifest(thread_id)
        return None if manifest is None else manifest.record

    def _lock(self, thread_id: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(thread_id, threading.Lock())

    def _generations(self, thread_id: str) -> tuple[list[int], int]:
        manifests, newest = [], 0
        for name in self._names(thread_id):
            match = _FILE.fullmatch(name)
            if match is None:
                continue
            generation = int(match.group(2))
            newest = max(newest, generation)
            if match.group(1) == "manifest":
                manifests.append(generation)
        return sorted(manifests, reverse=True), newest

    def _manifest(self, thread_id: str) -> _Manifest | None:
        for attempt in range(_RACE_RETRIES):
            manifests, _ = self._generations(thread_id)
            damaged: str | None = None
            vanished = False
            for generation in manifests:
                try:
                    data = self._read(thread_id, f"manifest-{generation:012d}.json")
                    manifest = _Manifest.parse(generation, data)
                except FileNotFoundError:
                    vanished = True  # replaced by a newer save since we listed
                    continue
                except (ValueError, KeyError, TypeError) as exc:
                    damaged = damaged or f"manifest {generation} unreadable: {exc}"
                    continue  # a torn manifest: an older complete one may still be there
                if manifest.record.thread_id != thread_id:
                    raise StoredThreadCorruptError(
                        thread_id,
                        self._describe(),
                        f"its manifest names {manifest.record.thread_id}",
                    )
                return manifest
            if vanished and attempt < _RACE_RETRIES - 1:
                continue  # a concurrent save replaced what we listed: list again
            if damaged is not None:
                raise StoredThreadCorruptError(thread_id, self._describe(), damaged)
            return None
        return None

    def _save_blocking(self, record: StoredThread, data: bytes, offset: int) -> None:
        thread_id = record.thread_id
        if offset < 0 or record.size != offset + len(data):
            raise ValueError(f"record.size {record.size} != offset {offset} + {len(data)} bytes")
        with self._lock(thread_id):
            current = self._manifest(thread_id) if offset else None
            _, newest = self._generations(thread_id)
            generation = newest + 1
            chunks: list[tuple[str, int]] = []
            if offset:
                if current is None or current.record.size != offset:
                    have = "nothing" if current is None else f"{current.record.size} bytes"
                    raise StoreConflictError(
                        f"cannot append to thread {thread_id} at byte {offset}: the store has "
                        f"{have}; save the whole rollout (offset=0)",
                        thread_id=thread_id,
                    )
                chunks = list(current.chunks)
            name = f"chunk-{generation:012d}.bin"
            self._write(thread_id, name, data)
            chunks.append((name, len(data)))
            manifest = _Manifest(generation, record, chunks)
            self._write(thread_id, f"manifest-{generation:012d}.json", manifest.to_bytes())
            keep = {n for n, _ in chunks}
            for old in self._names(thread_id):
                match = _FILE.fullmatch(old)
                if match and int(match.group(2)) < generation and old not in keep:
                    self._remove(thread_id, old)

    def _load_blocking(self, thread_id: str) -> tuple[StoredThread, bytes]:
        seen: int | None = None
        for _ in range(_RACE_RETRIES):
            manifest = self._manifest(thread_id)
            if manifest is None:
                raise ThreadNotStoredError(thread_id, self._describe())
            try:
                return self._chunks(thread_id, manifest)
            except FileNotFoundError as exc:
                if manifest.generation == seen:  # still the newest save: the chunk is gone
                    raise StoredThreadCorruptError(
                        thread_id, self._describe(), f"chunk {exc.args[-1]} is missing"
                    ) from None
                seen = manifest.generation  # a newer save replaced it meanwhile: read again
        raise StoredThreadCorruptError(thread_id, self._describe(), "its chunks keep vanishing")

    def _chunks(self, thread_id: str, manifest: _Manifest) -> tuple[StoredThread, bytes]:
        parts = []
        for name, size in manifest.chunks:
            try:
                part = self._read(thread_id, name)
            except FileNotFoundError:
                raise FileNotFoundError(name) from None
            if len(part) != size:
                raise StoredThreadCorruptError(
                    thread_id, self._describe(), f"chunk {name} has {len(part)} bytes, not {size}"
                )
            parts.append(part)
        data = b"".join(parts)
        record = manifest.record
        if len(data) != record.size or digest(data) != record.sha256:
            raise StoredThreadCorruptError(
                thread_id, self._describe(), "the rollout does not match its SHA-256"
            )
        return record, data

    def _threads_blocking(self) -> list[StoredThread]:
        out = []
        for thread_id in self._thread_ids():
            try:
                check_thread_id(thread_id)
                manifest = self._manifest(thread_id)
            except ThreadStoreError:
                continue  # listed by load() with its error, not here
            if manifest is not None:
                out.append(manifest.record)
        return sorted(out, key=lambda r: r.saved_at, reverse=True)

    def _delete_blocking(self, thread_id: str) -> bool:
        with self._lock(thread_id):
            if not self._names(thread_id):
                return False
            self._remove_thread(thread_id)
            return True
