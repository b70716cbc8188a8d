"""Assertions on what the offline model received: the text the model saw, the tool outputs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._model import OfflineModel
from ._requests import RecordedRequest

__all__ = ["assert_model_received", "assert_tool_output"]

_SHOWN = 200  # characters of each received text quoted in a failure message


def _requests(source: OfflineModel | Iterable[RecordedRequest]) -> list[RecordedRequest]:
    if isinstance(source, OfflineModel):
        return source.response_requests
    return list(source)


def _short(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "...")


def _output_text(item: dict[str, Any]) -> str:
    output = item.get("output")
    if isinstance(output, str):
        return output
    if isinstance(output, list):  # content parts
        return "".join(str(p.get("text", "")) for p in output if isinstance(p, dict))
    return "" if output is None else str(output)


def assert_model_received(
    source: OfflineModel | Iterable[RecordedRequest], text: str
) -> RecordedRequest:
    """Assert that a model request carried a user message containing ``text``; return the
    first such request. ``source`` is the ``OfflineModel`` (its Responses requests) or a
    list of ``RecordedRequest``. The failure message lists the user texts received."""
    requests = _requests(source)
    for request in requests:
        if any(text in user_text for user_text in request.user_texts):
            return request
    seen = [t for request in requests for t in request.user_texts[-1:]]
    listing = "\n".join(f"  - {_short(t)}" for t in seen) or "  (no model request was made)"
    raise AssertionError(
        f"the model never received a user message containing {text!r}; "
        f"the last user message of each of the {len(requests)} request(s):\n{listing}"
    )


def assert_tool_output(
    source: OfflineModel | Iterable[RecordedRequest],
    output: str,
    *,
    call_id: str | None = None,
) -> dict[str, Any]:
    """Assert that a tool result sent back to the model (a ``function_call_output``)
    contains ``output`` (only the one of ``call_id`` when given); return that item. The
    failure message lists the tool outputs the model received."""
    items = [
        item
        for request in _requests(source)
        for item in request.function_call_outputs
        if call_id is None or item.get("call_id") == call_id
    ]
    for item in items:
        if output in _output_text(item):
            return item
    which = "" if call_id is None else f" of call {call_id!r}"
    listing = (
        "\n".join(f"  - {item.get('call_id')}: {_short(_output_text(item))}" for item in items)
        or "  (none)"
    )
    raise AssertionError(
        f"no tool output{which} sent to the model contains {output!r}; tool outputs received:\n"
        f"{listing}"
    )
