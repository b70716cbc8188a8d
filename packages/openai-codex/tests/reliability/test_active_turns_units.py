"""``ActiveTurns`` ignores a turn it has already seen complete, whatever the order of
``turn/started``, ``turn/completed`` and the ``turn/start`` answer (issue 27)."""

from __future__ import annotations

import itertools

import pytest

from openai_codex._core.active_turns import ActiveTurns


def _started(turn_id: str) -> tuple[str, dict[str, object]]:
    return "turn/started", {"threadId": "th", "turn": {"id": turn_id}}


def _completed(turn_id: str) -> tuple[str, dict[str, object]]:
    return "turn/completed", {"threadId": "th", "turn": {"id": turn_id}}


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["started", "completed", "answered"]))
)
def test_a_completed_turn_never_stays_active(order: tuple[str, ...]) -> None:
    active = ActiveTurns()
    for step in order:
        if step == "answered":
            active.add("th", "t1")
        elif step == "started":
            active.observe(*_started("t1"))
        else:
            active.observe(*_completed("t1"))
    assert len(active) == 0
    assert active.completed("t1")


def test_a_running_turn_is_active_until_it_completes() -> None:
    active = ActiveTurns()
    active.add("th", "t1")
    active.observe(*_started("t1"))
    assert len(active) == 1
    active.observe(*_completed("t1"))
    assert len(active) == 0


def test_a_thousand_sequential_turns_leave_nothing_behind() -> None:
    active = ActiveTurns()
    orders = itertools.cycle(itertools.permutations(["started", "completed", "answered"]))
    for n, order in zip(range(1000), orders, strict=False):
        turn_id = f"t{n}"
        for step in order:
            if step == "answered":
                active.add("th", turn_id)
            elif step == "started":
                active.observe(*_started(turn_id))
            else:
                active.observe(*_completed(turn_id))
    assert len(active) == 0
