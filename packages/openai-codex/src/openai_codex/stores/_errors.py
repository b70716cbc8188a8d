"""The thread stores' errors, under :class:`openai_codex.errors.CodexError`."""

from __future__ import annotations

from openai_codex_transport import CodexError

__all__ = [
    "RolloutSecretError",
    "StoreConflictError",
    "StoredThreadCorruptError",
    "ThreadNotStoredError",
    "ThreadStoreError",
]


class ThreadStoreError(CodexError):
    """A thread store could not do what was asked (the message says what to do)."""

    def __init__(self, message: str, *, thread_id: str | None = None) -> None:
        super().__init__(message)
        self.thread_id = thread_id


class ThreadNotStoredError(ThreadStoreError, KeyError):
    """The store holds no thread with this id: save it first (``thread.save(store)``)."""

    def __init__(self, thread_id: str, store: str) -> None:
        super().__init__(
            f"thread {thread_id} is not in {store}: save it there first with thread.save(store)",
            thread_id=thread_id,
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class StoredThreadCorruptError(ThreadStoreError):
    """The stored data of a thread is damaged (a checksum or a record does not match)."""

    def __init__(self, thread_id: str, store: str, detail: str) -> None:
        super().__init__(
            f"the stored copy of thread {thread_id} in {store} is corrupt ({detail}); save "
            "the thread again from a runtime that has it, or delete it with store.delete()",
            thread_id=thread_id,
        )


class StoreConflictError(ThreadStoreError):
    """An incremental save found the stored thread changed since it was read.

    ``thread.save`` handles it by saving the whole rollout; only direct users of
    ``ThreadStore.save`` see it."""


class RolloutSecretError(ThreadStoreError):
    """The rollout holds something shaped like a credential, so it is not stored.

    A rollout has the conversation (messages, tool calls and outputs) and the session's
    metadata, never the runtime's login; this fires when a credential was typed into the
    conversation or printed by a command. Revert the turn that holds it
    (``thread.revert(turn_id)`` does not remove it from the rollout file: start a new
    thread) or rotate the credential."""
