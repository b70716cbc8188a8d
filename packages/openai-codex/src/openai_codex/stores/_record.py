"""``StoredThread``: what a store keeps about a thread besides its rollout bytes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from ._errors import ThreadStoreError

__all__ = ["StoredThread", "check_thread_id", "digest"]

_THREAD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_ROLLOUT_NAME = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


def check_thread_id(thread_id: str) -> str:
    """Refuse ids that could name anything but one thread (path separators, ``..``)."""
    if not isinstance(thread_id, str) or not _THREAD_ID.fullmatch(thread_id) or ".." in thread_id:
        raise ThreadStoreError(f"not a thread id: {thread_id!r}")
    return thread_id


def digest(data: bytes) -> str:
    """The checksum a store keeps of a rollout (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StoredThread:
    """A stored thread: its id, where its rollout goes under CODEX_HOME, its size and checksum.

    - ``rollout_name``: the rollout's path relative to CODEX_HOME (``sessions/YYYY/MM/DD/...``)
    - ``size``/``sha256``: of the whole stored rollout (complete JSON lines only)
    - ``saved_at``: seconds since the epoch of the last save
    - ``name``/``cwd``: the thread's name and working directory when saved, if any
    """

    thread_id: str
    rollout_name: str
    size: int
    sha256: str
    saved_at: float
    name: str | None = None
    cwd: str | None = None

    def __post_init__(self) -> None:
        check_thread_id(self.thread_id)
        name = self.rollout_name
        if not _ROLLOUT_NAME.fullmatch(name) or any(p in ("", ".", "..") for p in name.split("/")):
            raise ThreadStoreError(
                f"rollout name {name!r} of thread {self.thread_id} is not a relative path "
                "under CODEX_HOME"
            )

    def to_json(self) -> str:
        """This record as a JSON object (what the stores write)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> StoredThread:
        """Parse :meth:`to_json`'s output (``ValueError``/``TypeError`` when it is not one)."""
        data: Any = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a stored thread record is a JSON object")
        return cls(
            thread_id=str(data["thread_id"]),
            rollout_name=str(data["rollout_name"]),
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            saved_at=float(data["saved_at"]),
            name=None if data.get("name") is None else str(data["name"]),
            cwd=None if data.get("cwd") is None else str(data["cwd"]),
        )
