"""Type-checks under mypy --strict: code written for the published SDK's model kinds."""

from __future__ import annotations

from openai_codex import Thread
from openai_codex.types import ReasoningSummary
from openai_codex_types import ReasoningSummary as ReasoningSummaryValue


def summaries(thread: Thread) -> None:
    """``summary=`` takes the published root model and the enum value alike."""
    thread.run("hi", summary=ReasoningSummary.model_validate("concise"))
    thread.run("hi", summary=ReasoningSummaryValue.detailed)
    thread.turn("hi", summary=ReasoningSummary(ReasoningSummaryValue.auto))
