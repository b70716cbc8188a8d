"""Steer and interrupt (sync): change a running turn's course, or stop it.

- ``handle.steer(input)`` adds input to the turn while it runs; the agent takes it
  into account at its next step (same turn id).
- ``handle.interrupt()`` stops the turn; it then completes with status ``interrupted``.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex
from openai_codex.testing import Reply

OFFLINE_REPLIES = (
    # A slow first answer, so there is time to steer it...
    Reply.text("Once upon a time, in a land far away, there lived " * 3, deltas=30, delay=0.05),
    # ...the model's next step sees the steer input.
    Reply.text("The end: a one-sentence story, as you asked."),
    # A turn that never finishes on its own: it has to be interrupted.
    Reply.hang(partial_text="1, 2, 3, 4, 5, "),
)


def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config, Codex(config) as codex:
        thread = codex.thread_start()

        handle = thread.turn("Tell me a long story.")
        steered = False
        for event in handle.stream():
            if event.method == "item/agentMessage/delta" and not steered:
                handle.steer("Actually, finish it in one sentence.")
                steered = True
            elif event.method == "item/completed" and event.payload.item.type == "agentMessage":
                print(f"agent: {event.payload.item.text}")
            elif event.method == "turn/completed":
                print(f"steered turn: {event.payload.turn.status}\n")

        handle = thread.turn("Count to one million, one number at a time.")
        for event in handle.stream():
            if event.method == "item/agentMessage/delta":
                print(f"agent started: {event.payload.delta!r}; interrupting")
                handle.interrupt()
            elif event.method == "turn/completed":
                print(f"interrupted turn: {event.payload.turn.status}")


if __name__ == "__main__":
    main()
