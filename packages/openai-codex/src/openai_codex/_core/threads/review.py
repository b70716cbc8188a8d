"""Code review: ``review/start`` as a turn, and the review's findings, typed.

The runtime runs a review as a turn of the thread (``enteredReviewMode`` ...
``exitedReviewMode``). Its ``exitedReviewMode`` item carries the review as text: the
model's structured review rendered by the runtime (an explanation, then ``- title —
path:start-end`` entries with indented bodies), or the model's raw answer when it was
not a structured review. ``Review`` reads either back into findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arguments import check_text

if TYPE_CHECKING:
    from openai_codex_types import AnyThreadItem

_HEADINGS = ("\n\nFull review comments:\n", "\n\nReview comment:\n")
_PRIORITY = re.compile(r"^\[P(\d)\]")
_LOCATION = re.compile(r"^(?P<path>.+):(?P<start>\d+)-(?P<end>\d+)$")


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One finding: ``title`` (by convention prefixed ``[P0]``..``[P3]``), ``body``,
    ``priority`` (0 most urgent; from the prefix, ``None`` without one), and the code
    location ``path``, ``line_start``, ``line_end`` when the review gave one."""

    title: str
    body: str
    priority: int | None = None
    path: str | None = None
    line_start: int | None = None
    line_end: int | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A finished review: ``text`` as the runtime reported it, the overall
    ``explanation`` and the ``findings`` (empty when nothing was flagged)."""

    text: str
    explanation: str
    findings: tuple[ReviewFinding, ...]

    @classmethod
    def parse(cls, text: str) -> Review:
        """Read the runtime's review text (rendered, or the model's JSON) back."""
        structured = _from_json(text)
        if structured is not None:
            return structured
        explanation, block = text, ""
        for heading in _HEADINGS:
            if heading in text:
                explanation, block = text.split(heading, 1)
                break
        return cls(text, explanation.strip(), tuple(_rendered_findings(block)))


def _priority(title: str, given: object = None) -> int | None:
    if isinstance(given, int) and not isinstance(given, bool):
        return given
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
    findings = []
    for raw in data["findings"]:
        if not isinstance(raw, dict):
            continue
        title = str(raw.get("title") or "")
        location = raw.get("code_location")
        location = location if isinstance(location, dict) else {}
        lines = location.get("line_range")
        lines = lines if isinstance(lines, dict) else {}
        path = location.get("absolute_file_path")
        start, end = lines.get("start"), lines.get("end")
        findings.append(
            ReviewFinding(
                title,
                str(raw.get("body") or ""),
                _priority(title, raw.get("priority")),
                path if isinstance(path, str) else None,
                start if isinstance(start, int) else None,
                end if isinstance(end, int) else None,
            )
        )
    explanation = data.get("overall_explanation")
    return Review(text, explanation if isinstance(explanation, str) else "", tuple(findings))


def review_of(items: Sequence[AnyThreadItem]) -> Review | None:
    """The review among a turn's items (its ``exitedReviewMode``), else ``None``."""
    from openai_codex_types import ExitedReviewModeThreadItem

    for item in reversed(items):
        if isinstance(item, ExitedReviewModeThreadItem):
            return Review.parse(str(item.review))
    return None


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
