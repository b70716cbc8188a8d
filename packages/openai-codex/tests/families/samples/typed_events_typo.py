"""Must NOT type-check: a misspelt method literal, a wrong payload attribute."""

from __future__ import annotations

from openai_codex.events import Event


def typo(ev: Event) -> str:
    if ev.method == "item/agentMessage/deltas":  # TYPO-LINE
        return "never"
    if ev.method == "item/agentMessage/delta":
        return ev.payload.text  # WRONG-FIELD-LINE
    return ""
