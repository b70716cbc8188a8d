"""``GoalFold`` on scripted notification sequences (the orders the runtime produces, and
the races between them), without a runtime."""

from __future__ import annotations

from typing import Any

from openai_codex._core.goals.fold import GoalFold

THREAD = "thread-1"


def started(turn_id: str) -> tuple[str, dict[str, Any]]:
    return "turn/started", {
        "threadId": THREAD,
        "turn": {"id": turn_id, "status": "inProgress", "startedAt": 100, "items": []},
    }


def completed(turn_id: str, status: str = "completed", **extra: Any) -> tuple[str, dict[str, Any]]:
    turn = {
        "id": turn_id,
        "rootTurnId": turn_id,
        "status": status,
        "startedAt": 100,
        "completedAt": 105,
        "items": [{"type": "agentMessage", "id": f"msg-{turn_id}", "text": turn_id}],
        **extra,
    }
    return "turn/completed", {"threadId": THREAD, "turn": turn}


def goal(status: str, turn_id: str | None = None) -> tuple[str, dict[str, Any]]:
    return "thread/goal/updated", {
        "threadId": THREAD,
        "turnId": turn_id,
        "goal": {"threadId": THREAD, "objective": "o", "status": status, "tokensUsed": 1},
    }


def item(turn_id: str, text: str) -> tuple[str, dict[str, Any]]:
    return "item/completed", {
        "threadId": THREAD,
        "turnId": turn_id,
        "item": {"type": "agentMessage", "id": text, "text": text},
    }


def feed(fold: GoalFold, *events: tuple[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for method, params in events:
        out.extend(fold.feed(method, params))
    return out


def test_two_runtime_turns_become_one_logical_turn() -> None:
    fold = GoalFold(THREAD)
    events = feed(
        fold,
        ("thread/goal/cleared", {"threadId": THREAD}),  # the previous goal, replaced
        goal("active"),
        ("thread/status/changed", {"threadId": THREAD, "status": {"type": "active"}}),
        started("t1"),
        item("t1", "one"),
        goal("active", "t1"),
        completed("t1"),
        started("t2"),
        item("t2", "two"),
        goal("complete", "t2"),
        completed("t2"),
    )
    methods = [m for m, _ in events]
    assert methods == [
        "turn/started",
        "thread/goal/updated",
        "item/completed",
        "thread/goal/updated",
        "item/completed",
        "thread/goal/updated",
        "turn/completed",
    ]
    assert fold.finished
    assert fold.logical_id == "t1"
    assert {p["turnId"] for m, p in events if isinstance(p.get("turnId"), str)} == {"t1"}
    final = events[-1][1]["turn"]
    assert final["id"] == "t1"
    assert final["status"] == "completed"
    assert [i["text"] for i in final["items"]] == ["t1", "t2"]
    assert final["startedAt"] == 100
    assert final["completedAt"] == 105
    assert final["rootTurnId"] == "t1"


def test_events_before_the_first_turn_and_of_other_turns_are_dropped() -> None:
    fold = GoalFold(THREAD)
    assert feed(fold, item("other", "x"), completed("other")) == []
    events = feed(fold, started("t1"), item("other", "late"), item("t1", "mine"))
    assert [p.get("item", {}).get("text") for _, p in events] == [None, "mine"]
    assert not fold.finished


def test_pause_between_turns_ends_the_logical_turn() -> None:
    fold = GoalFold(THREAD)
    feed(fold, goal("active"), started("t1"), completed("t1"))
    assert not fold.finished  # the goal is active: a follow-up turn comes
    events = feed(fold, goal("paused"))
    assert [m for m, _ in events] == ["thread/goal/updated", "turn/completed"]
    assert events[-1][1]["turn"]["status"] == "completed"


def test_pause_during_a_turn_ends_after_it() -> None:
    fold = GoalFold(THREAD)
    feed(fold, goal("active"), started("t1"), goal("paused"))
    assert not fold.finished
    events = feed(fold, item("t1", "last words"), completed("t1"))
    assert [m for m, _ in events] == ["item/completed", "turn/completed"]


def test_a_requested_interrupt_marks_the_logical_turn_interrupted() -> None:
    fold = GoalFold(THREAD)
    feed(fold, goal("active"), started("t1"), completed("t1"))
    fold.interrupt_requested = True
    events = feed(fold, goal("paused"))
    assert events[-1][1]["turn"]["status"] == "interrupted"


def test_an_interrupted_runtime_turn_ends_the_goal_turn() -> None:
    fold = GoalFold(THREAD)
    events = feed(fold, goal("active"), started("t1"), completed("t1", status="interrupted"))
    assert fold.finished
    assert events[-1][1]["turn"]["status"] == "interrupted"


def test_a_failed_runtime_turn_ends_the_goal_turn_failed() -> None:
    fold = GoalFold(THREAD)
    error = {"message": "boom", "codexErrorInfo": "internalServerError"}
    events = feed(
        fold,
        goal("active"),
        started("t1"),
        completed("t1"),
        started("t2"),
        goal("blocked", "t2"),
        completed("t2", status="failed", error=error),
    )
    assert fold.finished
    final = events[-1][1]["turn"]
    assert final["status"] == "failed"
    assert final["error"] == error


def test_clearing_the_goal_ends_the_goal_turn() -> None:
    fold = GoalFold(THREAD)
    feed(fold, goal("active"), started("t1"), ("thread/goal/cleared", {"threadId": THREAD}))
    assert fold.goal is None
    events = feed(fold, completed("t1"))
    assert fold.finished
    assert events[-1][1]["turn"]["status"] == "completed"


def test_nothing_is_emitted_after_the_end() -> None:
    fold = GoalFold(THREAD)
    feed(fold, goal("active"), started("t1"), goal("complete", "t1"), completed("t1"))
    assert feed(fold, started("t9"), item("t9", "x"), goal("active")) == []
