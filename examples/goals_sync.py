"""Goals (sync): an objective the runtime pursues over as many turns as it needs.

1. ``run_goal``: the runtime works until the model reports the goal complete; the
   result covers every turn of it (one logical turn).
2. A token budget: the goal stops ``budgetLimited``, a result rather than an error.
3. ``start_goal`` + ``stream()``; ``interrupt()`` pauses the goal, ``resume_goal()``
   continues it later.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex
from openai_codex.testing import Reply, Usage

OFFLINE_REPLIES = (
    # 1. two turns: the runtime starts the second because the goal is still active
    Reply.text("Haiku one: rivers bend, the stones stay."),
    Reply.update_goal("complete"),
    Reply.text("Both haiku are written."),
    # 2. each turn costs 2,200 tokens against a 5,000 token budget
    Reply.text("Catalogued the first shelf.", usage=Usage(input_tokens=2000, output_tokens=200)),
    Reply.text("Catalogued the second shelf.", usage=Usage(input_tokens=2000, output_tokens=200)),
    Reply.text("Catalogued the third shelf.", usage=Usage(input_tokens=2000, output_tokens=200)),
    # 3. a turn that is still running when we interrupt it, then the resumed goal
    Reply.hang(partial_text="Sorting the photos by year: 1998, "),
    Reply.update_goal("complete"),
    Reply.text("The photos are sorted."),
)


def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config, Codex(config) as codex:
        thread = codex.thread_start()

        result = thread.run_goal("Write two haiku about rivers.")
        assert result.goal is not None
        print(f"goal: {result.goal.objective!r} -> {result.goal.status.value}")
        for item in result.items:
            if item.type == "agentMessage":
                print(f"  agent: {item.text}")
        if result.usage is not None:
            print(f"  {result.usage.total.total_tokens} tokens in {result.duration_ms} ms")

        result = thread.run_goal("Catalogue the whole library.", token_budget=5000)
        assert result.goal is not None
        print(
            f"goal: {result.goal.objective!r} -> {result.goal.status.value} "
            f"({result.goal.tokens_used} of {result.goal.token_budget} tokens)"
        )

        handle = thread.start_goal("Sort the photo archive.")
        for event in handle.stream():
            if event.method == "item/agentMessage/delta":
                print(f"agent started: {event.payload.delta!r}; interrupting")
                handle.interrupt()
            elif event.method == "turn/completed":
                print(f"goal turn: {event.payload.turn.status.value}")
        goal = thread.goal()
        assert goal is not None
        print(f"goal now: {goal.status.value}")

        result = thread.resume_goal().run()
        assert result.goal is not None
        print(f"resumed: {result.final_response} -> {result.goal.status.value}")


if __name__ == "__main__":
    main()
