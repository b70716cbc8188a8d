"""``TurnResult`` and how a turn's notifications are collected into it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic

from ..parsing import validate
from .lazy import LazyField, peek, wire
from .presenters import presenter

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from openai_codex_types import (
        AnyThreadItem,
        ThreadGoal,
        ThreadTokenUsage,
        TokenUsageBreakdown,
        TurnError,
        TurnStatus,
    )

    from ..threads.review import Review

    #: the type of ``TurnResult.parsed`` (``Any`` when not given)
    ParsedT = TypeVar("ParsedT", default=Any)
else:
    from typing import TypeVar

    ParsedT = TypeVar("ParsedT")


@dataclass
class TurnResult(Generic[ParsedT]):
    """What a finished turn produced.

    Generic in ``parsed``: ``thread.run(..., output_schema=Answer)`` is a
    ``TurnResult[Answer]``, so ``result.parsed`` is typed as ``Answer``.

    ``final_response``: the last agent message with phase ``final_answer``, else the
    latest agent message without a phase (never commentary), else ``None``.
    ``items`` are the turn's completed items in order, each its concrete class
    (``AgentMessageThreadItem``, ...: narrow on ``item.type`` or ``isinstance``); ``usage`` is the last token
    usage reported for the turn. Times are unix seconds.
    """

    id: str
    status: TurnStatus
    error: TurnError | None
    started_at: int | None
    completed_at: int | None
    duration_ms: int | None
    final_response: str | None
    items: list[AnyThreadItem]
    usage: ThreadTokenUsage | None
    #: The validated structured output when ``run(..., output_schema=...)`` was given.
    parsed: ParsedT = None  # type: ignore[assignment]  # None until output_schema is used
    #: For a goal's logical turn (``run_goal``/``start_goal``/``resume_goal``): the goal
    #: as it ended (``ThreadGoal``: status, tokens and time used); ``None`` otherwise.
    goal: ThreadGoal | None = None
    #: The tokens of this turn alone: the sum of its model calls (``usage.last`` is only
    #: the last call; ``usage.total`` is the whole thread so far, see ``thread_usage``).
    turn_usage: TokenUsageBreakdown | None = None
    #: A review turn's structured review (set from the rollout when the turn finishes).
    _review: Review | None = field(default=None, repr=False, compare=False)

    if not TYPE_CHECKING:  # typed on first read (lazy.py); a type checker sees the fields
        error = LazyField(lambda raw: validate(_model("TurnError"), raw, "the turn error"))
        items = LazyField(
            lambda raw: [validate(_model("ThreadItem"), i, "a turn item").root for i in raw]
        )
        usage = LazyField(lambda raw: validate(_model("ThreadTokenUsage"), raw, "the token usage"))
        turn_usage = LazyField(
            lambda raw: validate(_model("TokenUsageBreakdown"), raw, "the turn's token usage"),
            default=None,
        )

    @property
    def thread_usage(self) -> TokenUsageBreakdown | None:
        """The thread's total tokens as this turn ended (``usage.total``)."""
        return None if self.usage is None else self.usage.total

    @property
    def review(self) -> Review | None:
        """For a review turn (``thread.review(...)``): the ``Review`` (findings with
        priority and confidence, overall correctness, explanation and confidence) from the
        runtime's structured review; read back from the ``exitedReviewMode`` item's text
        where that is out of reach (``review.structured`` is False); ``None`` for other
        turns."""
        if self._review is not None:
            return self._review
        from ..threads.review import review_of

        return review_of(self.items)

    def __repr__(self) -> str:
        status = getattr(self.status, "value", self.status)
        parts = [f"id={self.id!r}", f"status={status!r}", f"items={len(peek(self, 'items'))}"]
        text = self.final_response
        if text is not None:
            short = text if len(text) <= 60 else text[:57] + "..."
            parts.append(f"final_response={short!r}")
        usage = self.turn_usage or (None if self.usage is None else self.usage.last)
        if usage is not None:
            parts.append(f"tokens={usage.total_tokens}")
        if self.parsed is not None:
            parts.append(f"parsed={type(self.parsed).__name__}")
        return f"TurnResult({', '.join(parts)})"

    # Notebook and rich displays: the console's (presenters.py; no rich needed).
    def _repr_html_(self) -> str:
        html: str = presenter("html")(self)
        return html

    def _repr_markdown_(self) -> str:
        markdown: str = presenter("markdown")(self)
        return markdown

    def __rich_repr__(self) -> Iterator[Any]:
        rows: Iterator[Any] = presenter("rich_repr")(self)
        return rows


def _model(name: str) -> Any:
    import openai_codex_types

    return getattr(openai_codex_types, name)


def final_response_of(raw_items: list[dict[str, Any]]) -> str | None:
    """The final answer among raw ``ThreadItem`` dicts (see ``TurnResult``)."""
    fallback: str | None = None
    for item in reversed(raw_items):
        if item.get("type") != "agentMessage":
            continue
        text = item.get("text")
        if not isinstance(text, str):
            continue
        phase = item.get("phase")
        if phase == "final_answer":
            return text
        if phase is None and fallback is None:
            fallback = text
    return fallback


#: the methods :meth:`TurnCollector.feed` takes something from
_COLLECTED = frozenset({"item/completed", "thread/tokenUsage/updated", "error", "turn/completed"})


class TurnCollector:
    """Accumulates one turn's raw notifications; cheap per event, parses at the end.

    (A plain class: one per turn handle, and a dataclass costs ~0.3 ms at import.)
    """

    __slots__ = ("errors", "raw_items", "raw_turn", "raw_usage", "turn_id", "usage_sum")

    def __init__(self, turn_id: str) -> None:
        self.turn_id = turn_id
        self.raw_items: list[dict[str, Any]] = []
        self.raw_usage: dict[str, Any] | None = None
        #: the sum of the ``last`` breakdowns of the turn's usage updates (one per model call)
        self.usage_sum: dict[str, int] | None = None
        self.raw_turn: dict[str, Any] | None = None
        self.errors: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"TurnCollector(turn_id={self.turn_id!r}, items={len(self.raw_items)})"

    #: the methods :meth:`feed` takes in (it returns False for any other at once: a caller
    #: on the per-notification path tests this first and skips the call)
    COLLECTED = _COLLECTED

    def feed(self, method: str, params: dict[str, Any]) -> bool:
        """Take one notification; True once the turn has completed."""
        if method not in _COLLECTED:  # a streamed delta, most of the time
            return False
        if method == "item/completed":
            item = params.get("item")
            if isinstance(item, dict):
                self.raw_items.append(item)
        elif method == "thread/tokenUsage/updated":
            usage = params.get("tokenUsage")
            if isinstance(usage, dict):
                self.raw_usage = usage
                self._add_usage(usage.get("last"))
        elif method == "error":
            self.errors.append(params)
        elif method == "turn/completed":
            turn = params.get("turn")
            self.raw_turn = turn if isinstance(turn, dict) else {"id": self.turn_id}
            return True
        return False

    def _add_usage(self, last: Any) -> None:
        if not isinstance(last, dict):
            return
        total = self.usage_sum if self.usage_sum is not None else {}
        for key, value in last.items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
        self.usage_sum = total

    @property
    def completed(self) -> bool:
        return self.raw_turn is not None

    def result(self) -> TurnResult:
        """The result so far (partial if the turn has not completed); its items and usage
        stay wire data until read (see ``TurnResult``)."""
        from openai_codex_types import TurnStatus

        turn = self.raw_turn or {}
        status_raw = turn.get("status", "inProgress")
        error_raw = turn.get("error")
        return TurnResult(
            id=self.turn_id,
            status=validate(TurnStatus, status_raw, "the turn status"),
            error=None if error_raw is None else wire(error_raw),
            started_at=turn.get("startedAt"),
            completed_at=turn.get("completedAt"),
            duration_ms=turn.get("durationMs"),
            final_response=final_response_of(self.raw_items),
            items=wire(list(self.raw_items)),
            usage=None if self.raw_usage is None else wire(self.raw_usage),
            turn_usage=None if self.usage_sum is None else wire(dict(self.usage_sum)),
        )

    @property
    def failed(self) -> bool:
        return self.raw_turn is not None and self.raw_turn.get("status") == "failed"
