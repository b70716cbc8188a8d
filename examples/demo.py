"""The demo: a real Codex thread and a streamed turn, printed as the answer arrives.

    nox -s demo                      # against the offline model (no network, no key)
    python examples/demo.py          # the same, in any environment with the SDK installed
    python examples/demo.py --live   # against the real service (run `codex login` first)

Offline, the real ``codex`` runtime runs exactly as it would live; only the model
behind it is ``openai_codex.testing.OfflineModel``, a loopback server speaking the
Responses API, scripted here to think briefly and then answer in small pieces.
"""

from __future__ import annotations

import sys

from _support import LIVE, example_config

from openai_codex import Codex
from openai_codex.testing import Reply

PROMPT = "In two sentences: what is a Codex thread, and what is a turn?"

OFFLINE_ANSWER = (
    "A thread is one conversation with Codex: it keeps the history, settings and "
    "working directory across many requests. A turn is one request inside it: your "
    "input, the agent's work (reasoning, commands, edits), and its final answer."
)


def main() -> int:
    reply = Reply.text(
        OFFLINE_ANSWER,
        deltas=24,
        delay=0.03,
        phase="final_answer",
        reasoning="The user asks for definitions of thread and turn.",
    )
    with example_config(reply) as config, Codex(config) as codex:
        meta = codex.metadata
        print(f"runtime: {meta.userAgent}")
        print(f"model:   {'your Codex account (live)' if LIVE else 'offline model (loopback)'}")
        if LIVE:
            account = codex.account()
            if account.account is None and account.requires_openai_auth:
                print("Not logged in: run `codex login` first (see docs/getting-started.md).")
                return 1
        thread = codex.thread_start()
        print(f"thread:  {thread.id}")
        print(f"\n> {PROMPT}\n")
        turn = thread.turn(PROMPT)
        tokens = 0
        for event in turn.stream():
            if event.method == "item/agentMessage/delta":
                print(event.payload.delta, end="", flush=True)
            elif event.method == "item/completed" and event.payload.item.root.type == "reasoning":
                for summary in event.payload.item.root.summary:
                    print(f"(thinking: {summary})\n")
            elif event.method == "error":
                print(f"\n[error: {event.payload.error.message}]", file=sys.stderr)
            elif event.method == "thread/tokenUsage/updated":
                tokens = event.payload.token_usage.last.total_tokens
            elif event.method == "turn/completed":
                print(f"\n\n[turn {turn.id}: {event.payload.turn.status}, {tokens} tokens]")
                if event.payload.turn.error is not None:
                    return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
