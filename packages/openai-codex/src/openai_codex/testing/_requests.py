"""What the offline model records about each request, and how replies are matched to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._replies import Reply

__all__ = [
    "Matcher",
    "RecordedRequest",
    "Responder",
    "check_reply_source",
    "echo_reply",
    "make_matcher",
    "parse_body",
]


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the runtime made to the offline model."""

    method: str
    path: str
    headers: Mapping[str, str]
    """Header names are lower-case."""
    body: Any
    """The parsed JSON body (``None`` when there is none or it is not JSON)."""
    raw_body: bytes = field(repr=False)

    @property
    def input(self) -> list[dict[str, Any]]:
        """The Responses API ``input`` items (conversation so far) of this request."""
        if isinstance(self.body, dict) and isinstance(self.body.get("input"), list):
            return [item for item in self.body["input"] if isinstance(item, dict)]
        return []

    @property
    def user_texts(self) -> list[str]:
        """The text of every user message in ``input``, in order (context messages included)."""
        texts: list[str] = []
        for item in self.input:
            if item.get("type") == "message" and item.get("role") == "user":
                parts = [
                    part.get("text", "")
                    for part in item.get("content") or []
                    if isinstance(part, dict) and part.get("type") == "input_text"
                ]
                texts.append("".join(parts))
        return texts

    @property
    def last_user_text(self) -> str | None:
        """The text of the last user message: the prompt of the turn (or steer input)."""
        texts = self.user_texts
        return texts[-1] if texts else None

    @property
    def function_call_outputs(self) -> list[dict[str, Any]]:
        """The ``function_call_output`` items in ``input`` (tool results sent back)."""
        return [item for item in self.input if item.get("type") == "function_call_output"]

    @property
    def tool_names(self) -> list[str]:
        """The names of the tools the runtime offered the model."""
        tools = self.body.get("tools") if isinstance(self.body, dict) else None
        return [str(t.get("name")) for t in tools or [] if isinstance(t, dict) and t.get("name")]

    @property
    def thread_id(self) -> str | None:
        """The runtime's thread id (``thread-id`` header)."""
        return self.headers.get("thread-id")

    @property
    def turn_id(self) -> str | None:
        """The runtime's turn id (from the ``x-codex-turn-metadata`` header)."""
        raw = self.headers.get("x-codex-turn-metadata")
        if not raw:
            return None
        try:
            value = json.loads(raw).get("turn_id")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None


def parse_body(raw: bytes) -> Any:
    """The JSON value of a request body, or ``None`` when it is empty or not JSON."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


Responder = Callable[[RecordedRequest], Reply]
"""A function choosing the reply for a request (for a default or a queued entry)."""

Matcher = Callable[[RecordedRequest], bool]
"""A ``when=`` function: does this queued reply answer this request?"""


def make_matcher(when: str | Matcher | None) -> Matcher | None:
    """The matcher for ``enqueue(..., when=...)``: a string matches the last user message."""
    if when is None:
        return None
    if isinstance(when, str):
        needle = when

        def contains(request: RecordedRequest) -> bool:
            return needle in (request.last_user_text or "")

        return contains
    if callable(when):
        return when
    raise TypeError(
        "when= must be a string (matched against the prompt), a function "
        f"RecordedRequest -> bool, or None; got {type(when).__name__}"
    )


def check_reply_source(value: object, what: str) -> Reply | Responder:
    """Return ``value`` if it is a ``Reply`` or a responder function; else raise ``TypeError``."""
    if isinstance(value, Reply) or callable(value):
        return value
    raise TypeError(
        f"{what} must be a Reply (e.g. Reply.text('...')) or a function "
        f"RecordedRequest -> Reply; got {type(value).__name__}: {value!r:.80}"
    )


def echo_reply(request: RecordedRequest) -> Reply:
    """The default reply: a short deterministic message quoting the prompt, in a few deltas."""
    prompt = request.last_user_text
    if request.function_call_outputs and request.input[-1].get("type") == "function_call_output":
        text = "The tool finished."
    elif prompt and "CONTEXT CHECKPOINT COMPACTION" in prompt:
        text = "Offline model summary of the conversation so far."
    elif prompt:
        text = f"Offline model reply to: {prompt.strip()[:200]}"
    else:
        text = "Offline model reply."
    return Reply.text(text, deltas=min(4, len(text)))
