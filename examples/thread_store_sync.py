"""Thread store (sync): save a thread on one machine, continue it on another.

``thread.save(store)`` copies the thread's rollout into a store (a directory here;
SQLite, Postgres and any fsspec URL work the same); ``codex.thread_restore(thread_id,
store)`` brings it into another runtime's CODEX_HOME and resumes it, so the model gets the
earlier turns. Offline, the two "machines" are two CODEX_HOMEs. See docs/stores.md.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _support import two_machines

from openai_codex import Codex
from openai_codex.stores import DirectoryStore, SyncThreadStore
from openai_codex.testing import Reply


def main() -> None:
    replies = (
        Reply.text("Noted: the word is 'pineapple'."),
        Reply.text("You asked me to remember 'pineapple'."),
    )
    with tempfile.TemporaryDirectory() as tmp, two_machines(*replies) as (machine_a, machine_b):
        store = DirectoryStore(Path(tmp) / "threads")

        with Codex(machine_a) as codex:
            thread = codex.thread_start()
            first = thread.run("Remember the word 'pineapple'.")
            print(f"machine A: {first.final_response}")
            saved = thread.save(store)
            print(f"saved thread {saved.thread_id}: {saved.size} bytes ({saved.rollout_name})")

        print(f"stored threads: {[t.thread_id for t in SyncThreadStore(store).threads()]}")

        with Codex(machine_b) as codex:
            thread = codex.thread_restore(saved.thread_id, store)
            again = thread.run("Which word did I ask you to remember?")
            print(f"machine B, same thread {thread.id}: {again.final_response}")
            turns = thread.read(include_turns=True).thread.turns
            print(f"the thread has {len(turns)} turns on machine B")


if __name__ == "__main__":
    main()
