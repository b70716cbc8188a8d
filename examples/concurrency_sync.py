"""Concurrency (sync): several turns on several threads at once, on one client.

``thread.turn(...)`` starts a turn and returns at once, so starting all turns first
and collecting them afterwards runs them concurrently in the runtime. Each handle
sees only its own turn's events.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex

TOPICS = ["rivers", "mountains", "deserts"]


def main() -> None:
    with example_config() as config, Codex(config) as codex:
        handles = []
        for topic in TOPICS:
            thread = codex.thread_start()
            handles.append((topic, thread.turn(f"One fact about {topic}, in one sentence.")))
        for topic, handle in handles:
            result = handle.run()
            print(f"{topic}: {result.final_response}")


if __name__ == "__main__":
    main()
