"""Multi-turn (sync): several turns on one thread; the thread keeps the conversation.

Each ``run()`` is one turn. The runtime sends the whole history to the model on every
turn, so later turns can refer to earlier ones.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex
from openai_codex.testing import Reply

OFFLINE_REPLIES = (
    Reply.text("Noted: your favourite colour is green."),
    Reply.text("You told me your favourite colour is green."),
)


def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config, Codex(config) as codex:
        thread = codex.thread_start()
        for prompt in [
            "My favourite colour is green. Just acknowledge it.",
            "What is my favourite colour?",
        ]:
            result = thread.run(prompt)
            print(f"> {prompt}\n{result.final_response}\n")
        history = thread.read(include_turns=True)
        print(f"thread {thread.id} has {len(history.thread.turns)} turns")


if __name__ == "__main__":
    main()
