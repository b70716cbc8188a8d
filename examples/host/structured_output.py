"""Structured output: ask for a pydantic model, get a validated instance in ``result.parsed``.

    python examples/host/structured_output.py

The schema sent is made acceptable to strict structured output (every property required,
no additional properties, recursively). Text that does not validate raises
``StructuredOutputError`` carrying the raw text.
"""

from __future__ import annotations

import json
import sys

from pydantic import BaseModel

from openai_codex import Codex
from openai_codex.structured import StructuredOutputError
from openai_codex.testing import OfflineModel, Reply


class Risk(BaseModel):
    title: str
    severity: int


class Review(BaseModel):
    verdict: str
    risks: list[Risk]
    follow_up: str | None = None


def main() -> int:
    answer = {
        "verdict": "ship it",
        "risks": [{"title": "no retry on 429", "severity": 2}],
        "follow_up": None,
    }
    with OfflineModel() as model:
        model.enqueue(Reply.text(json.dumps(answer)), Reply.text("Looks fine to me!"))
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start()
            result = thread.run("Review the change", output_schema=Review)
            review = result.parsed
            assert isinstance(review, Review)
            print(
                f"verdict: {review.verdict}; first risk: {review.risks[0].title} ({review.risks[0].severity})"
            )
            sent = model.response_requests[0].body["text"]["format"]
            print(
                f"schema sent: strict={sent.get('strict')}, required={sent['schema']['required']}"
            )
            try:
                thread.run("Review it again", output_schema=Review)
            except StructuredOutputError as exc:
                print(f"invalid output rejected, raw text kept: {exc.raw_text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
