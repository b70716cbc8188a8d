"""Code review as a turn (``review/start``) with typed findings, against the real runtime."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, Review, ReviewFinding
from openai_codex.testing import OfflineModel, Reply


def finding(
    title: str, body: str, path: Path, start: int, end: int, priority: int, confidence: float = 0.7
) -> Any:
    return {
        "title": title,
        "body": body,
        "confidence_score": confidence,
        "priority": priority,
        "code_location": {
            "absolute_file_path": str(path),
            "line_range": {"start": start, "end": end},
        },
    }


def review_reply(explanation: str, *findings: Any) -> Reply:
    return Reply.text(
        json.dumps(
            {
                "findings": list(findings),
                "overall_correctness": "patch is incorrect" if findings else "patch is correct",
                "overall_explanation": explanation,
                "overall_confidence_score": 0.8,
            }
        )
    )


@pytest.fixture
def repo(workdir: Path) -> Path:
    """A git work tree with a commit and an uncommitted change."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=workdir, check=True, capture_output=True, timeout=30)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (workdir / "app.py").write_text("print('hi')\n")
    git("add", ".")
    git("commit", "-qm", "init")
    (workdir / "app.py").write_text("print('hi')\nx = 1 / 0\n")
    return workdir


def test_review_uncommitted_changes_sync(
    model: OfflineModel, model_config: CodexConfig, repo: Path
) -> None:
    app = repo / "app.py"
    model.enqueue(
        review_reply(
            "The change crashes at import.",
            finding("[P1] Division by zero", "1 / 0 raises.\nAlways.", app, 2, 2, 1),
            finding("[P3] Name — unclear", "Call it ratio.", app, 2, 3, 3),
            # no [Pn] prefix: only the structured review knows its priority
            finding("Unused import", "Drop it.", app, 1, 1, 2, confidence=0.42),
        )
    )
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        result = thread.review()
        assert result.status.value == "completed"
        review = result.review
        assert review is not None
        assert review.structured
        assert review.explanation == "The change crashes at import."
        assert review.correctness == "patch is incorrect"
        assert review.confidence == 0.8
        assert review.findings == (
            ReviewFinding(
                "[P1] Division by zero", "1 / 0 raises.\nAlways.", 1, str(app), 2, 2, 0.7
            ),
            ReviewFinding("[P3] Name — unclear", "Call it ratio.", 3, str(app), 2, 3, 0.7),
            ReviewFinding("Unused import", "Drop it.", 2, str(app), 1, 1, 0.42),
        )
        # the text the runtime rendered loses the priority and the confidences
        from_text = Review.parse(review.text)
        assert not from_text.structured
        assert from_text.findings[2] == ReviewFinding(
            "Unused import", "Drop it.", None, str(app), 1, 1
        )
        assert from_text.correctness is None
        assert from_text.confidence is None
        # the runtime built the review prompt from the work tree's uncommitted changes
        request = model.requests[0]
        assert "current code changes" in request.last_user_text
        # the review is part of the thread: an ordinary turn follows it
        model.enqueue(Reply.text("fixed"))
        assert thread.run("fix it").final_response == "fixed"
        plain = codex.thread_start().run("no review here")
        assert plain.review is None


@pytest.mark.anyio
async def test_review_targets_async(
    model: OfflineModel, model_config: CodexConfig, repo: Path
) -> None:
    model.enqueue(review_reply("Looks good."), review_reply("Fine too."))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            result = await codex.review(cwd=str(repo), base_branch="main")
            assert result.review == Review(
                result.review.text,  # type: ignore[union-attr]
                "Looks good.",
                (),
                "patch is correct",
                0.8,
                structured=True,
            )
            assert "main" in model.requests[0].last_user_text
            thread = await codex.thread_start()
            handle = await thread.start_review(instructions="Check the error handling only.")
            kinds = [ev.method async for ev in handle.stream()]
            assert "item/completed" in kinds
            assert kinds[-1] == "turn/completed"
            done = await handle.run()
            assert done.review is not None
            assert done.review.explanation == "Fine too."
            assert model.requests[1].last_user_text == "Check the error handling only."
            with pytest.raises(ValueError, match="one target at a time"):
                await thread.review(base_branch="main", commit="abc")
            with pytest.raises(ValueError, match="give commit too"):
                await thread.review(commit_title="x")


def test_parse_review_text_forms() -> None:
    rendered = (
        "Two issues.\n\nFull review comments:\n\n"
        "- [P1] A bug — /r/app.py:1-1\n  line one\n  line two\n\n"
        "- Style — dash — /r/b c.py:2-5\n  body b"
    )
    review = Review.parse(rendered)
    assert review.explanation == "Two issues."
    assert review.findings == (
        ReviewFinding("[P1] A bug", "line one\nline two", 1, "/r/app.py", 1, 1),
        ReviewFinding("Style — dash", "body b", None, "/r/b c.py", 2, 5),
    )
    assert Review.parse("Looks good.") == Review("Looks good.", "Looks good.", ())
    raw = json.dumps({"findings": [{"title": "t", "body": "b", "priority": None}]})
    assert Review.parse(raw).findings == (ReviewFinding("t", "b"),)
    assert Review.parse("not json {").findings == ()
    assert not Review.parse(rendered).structured


def test_review_output_in_rollout_reads_the_recorded_item(tmp_path: Path) -> None:
    from openai_codex._core.threads.review import review_output_in_rollout

    output = {"findings": [], "overall_explanation": "ok", "overall_confidence_score": 0.5}
    rollout = tmp_path / "rollout.jsonl"
    rows = [
        {"type": "event_msg", "payload": {"type": "item_completed", "item": {"id": "x"}}},
        "not json ExitedReviewMode item-1",
        {
            "type": "event_msg",
            "payload": {
                "type": "item_completed",
                "item": {"type": "ExitedReviewMode", "id": "item-1", "review_output": output},
            },
        },
    ]
    rollout.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    assert review_output_in_rollout(str(rollout), "item-1") == output
    assert review_output_in_rollout(str(rollout), "item-2") is None
    assert review_output_in_rollout(str(tmp_path / "missing.jsonl"), "item-1") is None
    review = Review.from_output(output)
    assert (review.explanation, review.confidence, review.correctness) == ("ok", 0.5, None)


def test_detached_review_runs_on_a_fork(
    model: OfflineModel, model_config: CodexConfig, repo: Path
) -> None:
    app = repo / "app.py"
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        # a thread with no turn has no stored history to fork: refused at the call
        with pytest.raises(ValueError, match="no turn yet, so there is nothing to fork"):
            thread.review(detached=True)
        assert model.requests == []
        model.enqueue(Reply.text("ready"))
        assert thread.run("get ready").final_response == "ready"
        model.enqueue(review_reply("Crashes.", finding("[P1] Div", "1/0", app, 2, 2, 1, 0.42)))
        handle = thread.start_review(detached=True)
        assert handle.thread_id != thread.id
        result = handle.run(timeout=60)
        review = result.review
        assert review is not None
        assert review.structured
        assert review.findings[0].confidence == 0.42
        # this thread's history is untouched; the fork holds the review turn
        own = [turn.id for turn in thread.read(include_turns=True).thread.turns]
        assert len(own) == 1
        fork = codex.thread_resume(handle.thread_id)
        forked = [turn.id for turn in fork.read(include_turns=True).thread.turns]
        assert forked[0] == own[0]  # the fork's copy of this thread's history
        assert result.id in forked
        assert result.id not in own
