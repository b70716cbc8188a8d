"""``ActiveTurns`` ignores a turn it has already seen complete, whatever the order of
``turn/started``, ``turn/completed`` and the ``turn/start`` answer (issue 27)."""

from __future__ import annotations

import itertools
from typing import Any

import anyio
import pytest

from openai_codex._core.turns.active import ActiveTurns


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


class _Runtime:
    """A fake ``turn/interrupt``: refused ("no active turn") until the turn started."""

    def __init__(self, active: ActiveTurns) -> None:
        self.active = active
        self.calls = 0
        self.running: set[str] = set()

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        from openai_codex_transport import InvalidRequestError

        assert method == "turn/interrupt"
        self.calls += 1
        if params["turnId"] not in self.running:
            raise InvalidRequestError(-32600, "no active turn to interrupt")
        self.active.observe(*_completed(params["turnId"]))
        return {}


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_an_interrupt_of_a_starting_turn_waits_for_it_to_start() -> None:
    active = ActiveTurns()
    runtime = _Runtime(active)
    active.add("th", "t1")  # turn/start answered; turn/started not yet

    async def start_later() -> None:
        await anyio.sleep(0.2)  # the runtime takes a while to start the turn
        runtime.running.add("t1")
        active.observe(*_started("t1"))

    async with anyio.create_task_group() as tg:
        tg.start_soon(start_later)
        with anyio.fail_after(5):
            assert await active.interrupt_turn("th", "t1", runtime.request, 3.0) == {}
    assert runtime.calls == 1  # sent once the turn had started
    assert active.completed("t1")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_an_interrupt_of_an_unknown_turn_is_refused_at_once() -> None:
    from openai_codex_transport import InvalidRequestError

    active = ActiveTurns()
    runtime = _Runtime(active)
    started = anyio.current_time()
    with pytest.raises(InvalidRequestError):
        await active.interrupt_turn("th", "other", runtime.request, 3.0)
    assert anyio.current_time() - started < 0.5
    assert runtime.calls == 1


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_review_whose_started_id_differs_is_interrupted_without_waiting() -> None:
    active = ActiveTurns()
    runtime = _Runtime(active)
    active.add("th", "review")  # turn/start answered with one id...
    active.observe(
        "turn/started", {"threadId": "th", "turn": {"id": "other"}}
    )  # ...started as another
    runtime.running.add("review")
    started = anyio.current_time()
    assert await active.interrupt_turn("th", "review", runtime.request, 3.0) == {}
    assert anyio.current_time() - started < 0.5
    assert len(active) == 0
