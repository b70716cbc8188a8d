"""Thread store (async): save a thread on one machine, continue it on another.

The async twin of ``thread_store_sync.py``, with a SQLite store: ``await
thread.save(store)``, ``await codex.thread_restore(thread_id, store)``. See docs/stores.md.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from _support import two_machines

from openai_codex import AsyncCodex
from openai_codex.stores import SQLiteStore
from openai_codex.testing import Reply


async def main() -> None:
    replies = (
        Reply.text("Noted: the word is 'pineapple'."),
        Reply.text("You asked me to remember 'pineapple'."),
    )
    with tempfile.TemporaryDirectory() as tmp, two_machines(*replies) as (machine_a, machine_b):
        store = SQLiteStore(Path(tmp) / "threads.sqlite")

        async with AsyncCodex(machine_a) as codex:
            thread = await codex.thread_start()
            first = await thread.run("Remember the word 'pineapple'.")
            print(f"machine A: {first.final_response}")
            saved = await thread.save(store)
            print(f"saved thread {saved.thread_id}: {saved.size} bytes")

        async with AsyncCodex(machine_b) as codex:
            thread = await codex.thread_restore(saved.thread_id, store)
            again = await thread.run("Which word did I ask you to remember?")
            print(f"machine B, same thread {thread.id}: {again.final_response}")


if __name__ == "__main__":
    asyncio.run(main())
