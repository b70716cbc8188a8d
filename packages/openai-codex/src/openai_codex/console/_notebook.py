"""A ``TurnResult`` as HTML and Markdown (Jupyter) and as rich's repr fields.

The same lines the terminal renderer prints (:class:`~._view.TurnView`), built from the
result's items and usage; no ``rich`` needed.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._view import Line, MessageDone, Print, TurnView, _Usage

if TYPE_CHECKING:
    from .._core.turns.results import TurnResult

__all__ = ["result_html", "result_lines", "result_markdown", "result_rich_repr"]

#: rich style words -> CSS colours for the HTML repr
_COLOURS = {
    "green": "#1a7f37",
    "red": "#cf222e",
    "yellow": "#9a6700",
    "cyan": "#0969da",
    "blue": "#0550ae",
    "magenta": "#8250df",
}


def _dump(model: Any) -> Any:
    dump = getattr(model, "model_dump", None)
    return dump(mode="json", by_alias=True) if callable(dump) else model


def result_lines(result: TurnResult) -> list[Line]:
    """The terminal renderer's lines for a finished turn (prompt, steps, answer, summary)."""
    view = TurnView()
    lines: list[Line] = []
    for item in result.items:
        raw = {"item": _dump(item)}
        for method in ("item/started", "item/completed"):
            for output in view.feed(method, raw):
                if isinstance(output, (Print, MessageDone)):
                    lines.extend(output.lines)
    scope = ""
    if result.usage is not None:
        # only the thread's totals are known here (the turn's own need its first call)
        total = result.usage.total
        view.usage = _Usage(total.total_tokens, total.input_tokens, total.output_tokens)
        scope = " in the thread"
    view.status = str(getattr(result.status, "value", result.status))
    error = _dump(result.error) if result.error is not None else {}
    error = error if isinstance(error, dict) else {}
    lines.extend(view.summary_lines(result.duration_ms, error, usage_scope=scope))
    return lines


def _title(result: TurnResult) -> str:
    status = getattr(result.status, "value", result.status)
    return f"Turn {result.id}: {status}"


def result_html(result: TurnResult) -> str:
    """``TurnResult._repr_html_``: a title and the turn's lines, coloured, in a ``<pre>``."""
    rows = []
    for line in result_lines(result):
        text = html.escape(line.text)
        words = line.style.split()
        css = [f"color:{_COLOURS[w]}" for w in words if w in _COLOURS]
        if "bold" in words:
            css.append("font-weight:bold")
        if "dim" in words:
            css.append("opacity:0.7")
        if "italic" in words:
            css.append("font-style:italic")
        rows.append(f'<span style="{";".join(css)}">{text}</span>' if css else text)
    body = "\n".join(rows)
    return (
        f"<div><strong>{html.escape(_title(result))}</strong>"
        f'<pre style="white-space:pre-wrap">{body}</pre></div>'
    )


def result_markdown(result: TurnResult) -> str:
    """``TurnResult._repr_markdown_``: a title, the final response, then the steps."""
    fence = "````"
    steps = "\n".join(line.text for line in result_lines(result))
    parts = [f"**{_title(result)}**"]
    if result.final_response:
        parts.append(result.final_response)
    parts.append(f"{fence}text\n{steps}\n{fence}")
    return "\n\n".join(parts)


def result_rich_repr(result: TurnResult) -> Iterator[Any]:
    """``TurnResult.__rich_repr__``: the fields worth reading, long ones cut short."""
    yield "id", result.id
    yield "status", getattr(result.status, "value", result.status)
    final = result.final_response
    if final is not None and len(final) > 80:
        final = final[:77] + "..."
    yield "final_response", final
    yield "items", len(result.items)
    if result.usage is not None:
        yield "tokens", result.usage.total.total_tokens
    if result.duration_ms is not None:
        yield "duration_ms", result.duration_ms
    if result.error is not None:
        yield "error", result.error.message
    if result.parsed is not None:
        yield "parsed", result.parsed
