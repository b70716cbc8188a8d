"""Short-form answer coercion: what a handler returns -> the response's wire JSON.

Each function takes a handler's answer (already dumped to JSON if it was a pydantic
model) and expands the short form of its request kind; anything else passes through
unchanged and is validated against the response model afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DENIED_REJECTION",
    "wrap_decision",
    "wrap_elicitation",
    "wrap_legacy",
    "wrap_permissions",
    "wrap_time",
    "wrap_tool",
    "wrap_user_input",
]

DENIED_REJECTION = "The host application declined this request (no handler accepted it)."
"""The rejection text of a legacy ``denied`` decision."""


def wrap_decision(answer: Any) -> Any:
    """``"accept"`` -> ``{"decision": "accept"}`` (command / file-change approvals)."""
    if isinstance(answer, str):
        return {"decision": answer}
    return answer


def wrap_legacy(answer: Any) -> Any:
    """``"denied"`` -> a denial with a rejection text; other names -> ``{"decision": name}``."""
    if answer == "denied":
        return {"decision": {"denied": {"rejection": DENIED_REJECTION}}}
    if isinstance(answer, str):
        return {"decision": answer}
    return answer


def wrap_permissions(answer: Any) -> Any:
    """``"decline"`` -> grant nothing for this turn."""
    if answer == "decline":
        return {"permissions": {}, "scope": "turn"}
    return answer


def wrap_user_input(answer: Any) -> Any:
    """``{question_id: "text" | ["a", "b"]}`` -> ``{"answers": {qid: {"answers": [...]}}}``."""
    if isinstance(answer, Mapping):
        answers = answer.get("answers")
        if isinstance(answers, Mapping) and all(
            isinstance(v, Mapping) and "answers" in v for v in answers.values()
        ):
            return answer
        out: dict[str, Any] = {}
        for qid, value in answer.items():
            if isinstance(value, str):
                out[str(qid)] = {"answers": [value]}
            elif isinstance(value, Mapping):
                out[str(qid)] = value
            else:
                out[str(qid)] = {"answers": [str(v) for v in value]}
        return {"answers": out}
    return answer


def wrap_elicitation(answer: Any) -> Any:
    """``"accept"``/``"decline"``/``"cancel"`` -> ``{"action": ...}`` (no content)."""
    if isinstance(answer, str):
        return {"action": answer}
    return answer


def wrap_tool(answer: Any) -> Any:
    """A ``str`` -> a successful text result."""
    if isinstance(answer, str):
        return {"contentItems": [{"type": "inputText", "text": answer}], "success": True}
    return answer


def wrap_time(answer: Any) -> Any:
    """A number (not a bool) -> ``{"currentTimeAt": int(seconds)}``."""
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return {"currentTimeAt": int(answer)}
    return answer
