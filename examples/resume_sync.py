"""Resume (sync): continue a thread in a new client, later, by its id.

Threads are stored by the runtime (under CODEX_HOME), so a thread started by one
``Codex`` can be resumed by another with ``thread_resume(thread_id)``. ``thread_list``
finds stored threads; ``thread_fork`` copies one into a new thread.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex


def main() -> None:
    with example_config() as config:
        with Codex(config) as codex:
            thread = codex.thread_start()
            first = thread.run("Remember the word 'pineapple'.")
            print(f"first client, thread {thread.id}: {first.final_response}")
            thread_id = thread.id

        # A new client (a new runtime process) with the same CODEX_HOME.
        with Codex(config) as codex:
            listed = codex.thread_list(limit=5)
            print(f"stored threads: {[t.id for t in listed.data]}")
            thread = codex.thread_resume(thread_id)
            again = thread.run("Which word did I ask you to remember?")
            print(f"second client, thread {thread.id}: {again.final_response}")
            fork = codex.thread_fork(thread_id)
            print(f"forked into thread {fork.id}")


if __name__ == "__main__":
    main()
