"""The thread stores' errors (defined in :mod:`openai_codex.errors`, with every other)."""

from __future__ import annotations

from ..errors import (
    RolloutSecretError,
    StoreConflictError,
    StoredThreadCorruptError,
    ThreadNotStoredError,
    ThreadStoreError,
)

__all__ = [
    "RolloutSecretError",
    "StoreConflictError",
    "StoredThreadCorruptError",
    "ThreadNotStoredError",
    "ThreadStoreError",
]
