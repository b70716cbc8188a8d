"""Code review: ``review/start`` as a turn, and the review's findings, typed.

The runtime runs a review as a turn of the thread (``enteredReviewMode`` ...
``exitedReviewMode``). The authority is the thread's rollout: the runtime records the
``ExitedReviewMode`` item there with ``review_output``, the model's structured review
(findings with title, body, priority, confidence and code location; overall correctness,
explanation and confidence). The ``exitedReviewMode`` item on the wire carries only that
review rendered as text (an explanation, then ``- title — path:start-end`` entries with
indented bodies), or the model's raw answer when it was not a structured review.

A finished review turn reads ``review_output`` from the rollout (checked against runtime
0.163.0); where the rollout is out of reach (a runtime attached on another host, a runtime
that does not record it), ``Review.parse`` reads the text back: then ``confidence`` and
``correctness`` are ``None`` and a priority comes only from a ``[P1]`` title prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arguments import check_text

if TYPE_CHECKING:
    from openai_codex_types import AnyThreadItem

    from ..connection.session import Session
    from ..turns.results import TurnResult

_HEADINGS = ("\n\nFull review comments:\n", "\n\nReview comment:\n")
_PRIORITY = re.compile(r"^\[P(\d)\]")
_LOCATION = re.compile(r"^(?P<path>.+):(?P<start>\d+)-(?P<end>\d+)$")


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One finding: ``title`` (by convention prefixed ``[P0]``..``[P3]``), ``body``,
    ``priority`` (0 most urgent), the code location ``path``, ``line_start``, ``line_end``
    when the review gave one, and the model's ``confidence`` in it (0 to 1).

    From the runtime's structured review every field the model gave is set; read back from
    text, ``priority`` comes from the title's prefix and ``confidence`` is ``None``."""

    title: str
    body: str
    priority: int | None = None
    path: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A finished review: ``text`` as the runtime reported it, the overall
    ``explanation``, the ``findings`` (empty when nothing was flagged), the overall
    ``correctness`` verdict (e.g. ``"patch is correct"``) and the model's overall
    ``confidence`` (0 to 1). ``structured`` is True when the fields come from the runtime's
    structured review, False when they were read back from text (``parse``)."""

    text: str
    explanation: str
    findings: tuple[ReviewFinding, ...]
    correctness: str | None = None
    confidence: float | None = None
    structured: bool = False

    @classmethod
    def from_output(cls, output: Mapping[str, Any], text: str = "") -> Review:
        """A review from the structured review output (the rollout's ``review_output``,
        the shape of the model's review JSON: ``findings``, ``overall_correctness``,
        ``overall_explanation``, ``overall_confidence_score``)."""
        findings = []
        for raw in output.get("findings") or ():
            if not isinstance(raw, Mapping):
                continue
            title = str(raw.get("title") or "")
            location = raw.get("code_location")
            location = location if isinstance(location, Mapping) else {}
            lines = location.get("line_range")
            lines = lines if isinstance(lines, Mapping) else {}
            path = location.get("absolute_file_path")
            start, end = lines.get("start"), lines.get("end")
            findings.append(
                ReviewFinding(
                    title,
                    str(raw.get("body") or ""),
                    _priority(title, raw.get("priority")),
                    path if isinstance(path, str) else None,
                    start if _is_int(start) else None,
                    end if _is_int(end) else None,
                    _score(raw.get("confidence_score")),
                )
            )
        explanation = output.get("overall_explanation")
        correctness = output.get("overall_correctness")
        return cls(
            text,
            explanation if isinstance(explanation, str) else "",
            tuple(findings),
            correctness if isinstance(correctness, str) else None,
            _score(output.get("overall_confidence_score")),
            True,
        )

    @classmethod
    def parse(cls, text: str) -> Review:
        """Read the runtime's review text (rendered, or the model's JSON) back: the
        fallback where the structured review is out of reach."""
        structured = _from_json(text)
        if structured is not None:
            return structured
        explanation, block = text, ""
        for heading in _HEADINGS:
            if heading in text:
                explanation, block = text.split(heading, 1)
                break
        return cls(text, explanation.strip(), tuple(_rendered_findings(block)))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _score(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _priority(title: str, given: object = None) -> int | None:
    if _is_int(given):
        return given  # type: ignore[return-value]
    found = _PRIORITY.match(title)
    return int(found.group(1)) if found else None


def _rendered_findings(block: str) -> list[ReviewFinding]:
    findings: list[ReviewFinding] = []
    head: str | None = None
    body: list[str] = []

    def flush() -> None:
        if head is None:
            return
        title, path, start, end = head, None, None, None
        if " — " in head:
            title_part, location = head.rsplit(" — ", 1)
            found = _LOCATION.match(location)
            if found:
                title = title_part
                path, start, end = found["path"], int(found["start"]), int(found["end"])
        findings.append(
            ReviewFinding(title, "\n".join(body).strip(), _priority(title), path, start, end)
        )

    for line in block.splitlines():
        if line.startswith("- "):
            flush()
            head, body = line[2:], []
        elif head is not None:
            body.append(line[2:] if line.startswith("  ") else line)
    flush()
    return findings


def _from_json(text: str) -> Review | None:
    """A review the runtime passed through as the model's JSON (it did not render it)."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        return None
    return Review.from_output(data, text)


def _exited(items: Sequence[AnyThreadItem]) -> Any:
    from openai_codex_types import ExitedReviewModeThreadItem

    for item in reversed(items):
        if isinstance(item, ExitedReviewModeThreadItem):
            return item
    return None


def review_of(items: Sequence[AnyThreadItem]) -> Review | None:
    """The review among a turn's items read from its text (``exitedReviewMode``), else ``None``."""
    inner = _exited(items)
    return None if inner is None else Review.parse(str(inner.review))


def review_output_in_rollout(path: str, item_id: str) -> dict[str, Any] | None:
    """The ``review_output`` the rollout at ``path`` recorded for item ``item_id``, or None
    (no such file, item or output). Blocking: run it in a worker thread."""
    needle = item_id.encode()
    try:
        with open(path, "rb") as rollout:
            for line in rollout:
                if needle not in line or b"ExitedReviewMode" not in line:
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                payload = record.get("payload") if isinstance(record, dict) else None
                item = payload.get("item") if isinstance(payload, dict) else None
                if (
                    isinstance(item, dict)
                    and item.get("type") == "ExitedReviewMode"
                    and item.get("id") == item_id
                    and isinstance(item.get("review_output"), dict)
                ):
                    output: dict[str, Any] = item["review_output"]
                    return output
    except OSError:
        return None
    return None


async def structured_review(session: Session, thread_id: str, result: TurnResult) -> None:
    """Give a finished review turn's ``result`` the runtime's structured review, read from
    the thread's rollout (``thread/read`` gives its path); left to the text otherwise."""
    import anyio

    inner = _exited(result.items)
    if inner is None:
        return
    try:
        read = await session.request("thread/read", {"threadId": thread_id})
    except Exception:  # the text fallback stays; the review itself succeeded
        return
    thread = read.get("thread") if isinstance(read, dict) else None
    path = thread.get("path") if isinstance(thread, dict) else None
    if not isinstance(path, str):
        return
    output = await anyio.to_thread.run_sync(review_output_in_rollout, path, str(inner.id))
    if output is not None:
        result._review = Review.from_output(output, str(inner.review))


def review_target(
    *,
    base_branch: str | None,
    commit: str | None,
    commit_title: str | None,
    instructions: str | None,
) -> dict[str, Any]:
    """The wire ``target``: at most one of base branch, commit, instructions; none:
    the uncommitted changes (staged, unstaged and untracked)."""
    given = [
        name
        for name, value in (
            ("base_branch", base_branch),
            ("commit", commit),
            ("instructions", instructions),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise ValueError(f"review one target at a time; got {', '.join(given)}")
    if commit_title is not None and commit is None:
        raise ValueError("commit_title labels a commit review: give commit too")
    if base_branch is not None:
        check_text(base_branch, "base_branch")
        return {"type": "baseBranch", "branch": base_branch}
    if commit is not None:
        check_text(commit, "commit")
        target: dict[str, Any] = {"type": "commit", "sha": commit}
        if commit_title is not None:
            check_text(commit_title, "commit_title")
            target["title"] = commit_title
        return target
    if instructions is not None:
        check_text(instructions, "instructions")
        return {"type": "custom", "instructions": instructions}
    return {"type": "uncommittedChanges"}
