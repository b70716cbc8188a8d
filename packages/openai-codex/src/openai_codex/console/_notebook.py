"""A ``TurnResult`` and a thread's history as HTML and Markdown (Jupyter) and rich's repr fields.

The same lines the terminal renderer prints (:class:`~._view.TurnView`), built from the
result's (or each stored turn's) items and usage; no ``rich`` needed.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._view import Line, MessageDone, Print, TurnView, _Usage

if TYPE_CHECKING:
    from .._core.turns.results import TurnResult

__all__ = [
    "history_html",
    "history_lines",
    "history_markdown",
    "result_html",
    "result_lines",
    "result_markdown",
    "result_rich_repr",
]

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


def _item_lines(view: TurnView, items: Any) -> list[Line]:
    lines: list[Line] = []
    for item in items:
        raw = {"item": _dump(item)}
        for method in ("item/started", "item/completed"):
            for output in view.feed(method, raw):
                if isinstance(output, (Print, MessageDone)):
                    lines.extend(output.lines)
    return lines


def result_lines(result: TurnResult) -> list[Line]:
    """The terminal renderer's lines for a finished turn (prompt, steps, answer, summary)."""
    view = TurnView()
    lines = _item_lines(view, result.items)
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


def history_lines(turns: Any) -> list[Line]:
    """A thread's stored turns (``thread.read(include_turns=True).thread.turns``) as the
    terminal renderer's lines: each turn's title, then its prompt, steps and answer."""
    lines: list[Line] = []
    for turn in turns:
        status = getattr(turn.status, "value", turn.status)
        lines.append(Line(f"── turn {turn.id}: {status}", "bold"))
        lines.extend(_item_lines(TurnView(), turn.items))
    return lines


def _history_title(thread_id: str, turns: Any, error: str | None) -> str:
    if error is not None:
        return f"Thread {thread_id} (history unavailable: {error})"
    count = len(turns)
    return f"Thread {thread_id}: {count} turn{'' if count == 1 else 's'}"


def history_html(thread_id: str, turns: Any, error: str | None = None) -> str:
    """``Thread._repr_html_``: the thread's id and its turns' lines, coloured."""
    return _html(_history_title(thread_id, turns, error), history_lines(turns))


def history_markdown(thread_id: str, turns: Any, error: str | None = None) -> str:
    """``Thread._repr_markdown_``: the thread's id, then its turns' lines."""
    fence = "````"
    steps = "\n".join(line.text for line in history_lines(turns))
    parts = [f"**{_history_title(thread_id, turns, error)}**"]
    if steps:
        parts.append(f"{fence}text\n{steps}\n{fence}")
    return "\n\n".join(parts)


def result_html(result: TurnResult) -> str:
    """``TurnResult._repr_html_``: a title and the turn's lines, coloured, in a ``<pre>``."""
    return _html(_title(result), result_lines(result))


def _html(title: str, lines: list[Line]) -> str:
    rows = []
    for line in lines:
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
        f"<div><strong>{html.escape(title)}</strong>"
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
