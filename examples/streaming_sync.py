"""Streaming (sync): print a turn's answer as it arrives, then its summary.

``thread.turn(...)`` starts the turn and returns a handle at once; ``handle.stream()``
yields every notification of that turn (deltas, items, token usage) and ends with its
``turn/completed``.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex
from openai_codex.testing import Reply

OFFLINE_REPLY = Reply.text(
    "Streaming means you see the answer piece by piece, as the model writes it.",
    deltas=8,
    reasoning="Explain streaming briefly.",
)


def main() -> None:
    with example_config(OFFLINE_REPLY) as config, Codex(config) as codex:
        thread = codex.thread_start()
        turn = thread.turn("Explain streaming in one sentence.")
        counts: dict[str, int] = {}
        for event in turn.stream():
            counts[event.method] = counts.get(event.method, 0) + 1
            if event.method == "item/agentMessage/delta":
                print(event.payload.delta, end="", flush=True)
            elif event.method == "item/completed":
                print(f"\n[item completed: {event.payload.item.type}]")
        print(f"deltas received: {counts.get('item/agentMessage/delta', 0)}")


if __name__ == "__main__":
    main()
