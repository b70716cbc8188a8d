"""The router with synthetic notifications: routing by turn id, early events, bounds."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from anyio import wait_all_tasks_blocked

from openai_codex import Notification, TransportClosedError, UnknownNotification
from openai_codex._core.connection.router import Router, turn_id_of
from openai_codex._core.connection.sink import Sink


def _drain(sink: Sink) -> list[Any]:
    out = []
    while (item := sink.get_nowait()) is not None:
        out.append(item)
    return out


def _ev(method: str, thread: str, turn: str, **extra: Any) -> dict[str, Any]:
    if method in ("turn/started", "turn/completed"):
        return {"threadId": thread, "turn": {"id": turn, "status": "completed", **extra}}
    return {"threadId": thread, "turnId": turn, **extra}


def test_turn_id_extraction() -> None:
    assert turn_id_of("item/completed", {"turnId": "t"}) == "t"
    assert turn_id_of("turn/completed", {"turn": {"id": "t"}}) == "t"
    assert turn_id_of("thread/started", {"thread": {"id": "x"}}) is None


def test_events_before_the_turn_start_response_are_claimed_in_order() -> None:
    router = Router()
    router.begin_turn_request("th")
    router.route("turn/started", _ev("turn/started", "th", "t1"))
    router.route("item/started", _ev("item/started", "th", "t1", n=1))
    sink = Sink()
    router.end_turn_request("th", "t1", sink)
    router.route("item/completed", _ev("item/completed", "th", "t1", n=2))
    router.route("turn/completed", _ev("turn/completed", "th", "t1"))
    methods = [m for m, _ in _drain(sink)]
    assert methods == ["turn/started", "item/started", "item/completed", "turn/completed"]
    assert router._turns == {}


def test_each_turn_sees_only_its_own_events() -> None:
    router = Router()
    sinks = {}
    for thread, turn in [("a", "ta"), ("b", "tb")]:
        router.begin_turn_request(thread)
        sinks[turn] = Sink()
        router.end_turn_request(thread, turn, sinks[turn])
    for i in range(10):
        router.route("item/completed", _ev("item/completed", "a", "ta", i=i))
        router.route("item/completed", _ev("item/completed", "b", "tb", i=i))
    for turn, sink in sinks.items():
        items = _drain(sink)
        assert len(items) == 10
        assert all(params["turnId"] == turn for _, params in items)
        assert [params["i"] for _, params in items] == list(range(10))


def test_a_joining_handle_gets_its_own_complete_stream_of_the_same_turn() -> None:
    router = Router()
    first, second = Sink(), Sink()
    router.begin_turn_request("th")
    router.route("turn/started", _ev("turn/started", "th", "t1"))
    router.end_turn_request("th", "t1", first)
    router.route("item/agentMessage/delta", _ev("item/agentMessage/delta", "th", "t1", n="d"))
    router.route("item/completed", _ev("item/completed", "th", "t1", n=1))
    router.begin_turn_request("th")  # a second turn() on the busy thread joins t1
    router.route("item/completed", _ev("item/completed", "th", "t1", n=2))
    router.end_turn_request("th", "t1", second)
    router.route("turn/completed", _ev("turn/completed", "th", "t1"))
    assert [(m, p.get("n")) for m, p in _drain(first)] == [
        ("turn/started", None),
        ("item/agentMessage/delta", "d"),
        ("item/completed", 1),
        ("item/completed", 2),
        ("turn/completed", None),
    ]
    # the joiner gets the turn so far (without past deltas), then everything live
    assert [(m, p.get("n")) for m, p in _drain(second)] == [
        ("turn/started", None),
        ("item/completed", 1),
        ("item/completed", 2),
        ("turn/completed", None),
    ]
    assert router._history == {}


def test_unclaimed_notifications_are_bounded() -> None:
    router = Router(orphan_limit=5)
    for i in range(100):
        router.route("thread/status/changed", {"threadId": "x", "i": i})
        router.route("item/completed", _ev("item/completed", "x", f"unknown-{i}"))
    recent = [(m, p) for _, m, p in router._orphans]
    assert len(recent) == 5


def test_failed_turn_request_releases_buffered_events() -> None:
    router = Router(orphan_limit=10)
    router.begin_turn_request("th")
    router.route("thread/status/changed", {"threadId": "th"})
    router.end_turn_request("th", None, None)
    assert [(m, p) for _, m, p in router._orphans] == [
        ("thread/status/changed", {"threadId": "th"})
    ]


def test_attach_by_id_claims_recent_unclaimed_events() -> None:
    router = Router()
    router.route("turn/started", _ev("turn/started", "th", "t9"))
    sink = Sink()
    router.attach("t9", sink)
    router.route("turn/completed", _ev("turn/completed", "th", "t9"))
    assert [m for m, _ in _drain(sink)] == ["turn/started", "turn/completed"]


def test_listeners_see_everything_and_cannot_break_routing() -> None:
    router = Router()
    seen: list[str] = []

    def bad(method: str, params: dict[str, Any]) -> None:
        raise RuntimeError("listener bug")

    router.add_listener(bad)
    remove = router.add_listener(lambda m, p: seen.append(m))
    router.route("account/updated", {})
    remove()
    router.route("account/updated", {})
    assert seen == ["account/updated"]


def test_login_completion_is_buffered_when_early() -> None:
    router = Router()
    router.route("account/login/completed", {"loginId": "L", "success": True})
    sink = Sink()
    router.wait_login("L", sink)
    assert _drain(sink) == [("account/login/completed", {"loginId": "L", "success": True})]
    late = Sink()
    router.wait_login("M", late)
    router.route("account/login/completed", {"loginId": "M", "success": False})
    assert len(_drain(late)) == 1


def test_fail_all_reaches_every_waiter_and_later_registrations() -> None:
    router = Router()
    sink = Sink()
    router.begin_turn_request("th")
    router.end_turn_request("th", "t1", sink)
    err = TransportClosedError("gone", exit_code=1)
    router.fail_all(err)
    assert _drain(sink) == [err]
    later = Sink()
    router.attach("t2", later)
    assert _drain(later) == [err]


@pytest.mark.anyio
async def test_async_sink_wakes_the_waiting_consumer() -> None:
    sink = Sink()
    got: list[Any] = []

    async def consume() -> None:
        got.append(await sink.get())

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(consume)
            await wait_all_tasks_blocked()
            sink.push(("x", {}))
    assert got == [("x", {})]


def test_notification_payload_is_lazy_and_unknown_methods_stay_raw() -> None:
    note = Notification._raw("brand/new", {"a": 1})
    assert note._payload is not None
    assert isinstance(note.payload, UnknownNotification)
    assert note.payload.params == {"a": 1}
    known = Notification._raw(
        "thread/tokenUsage/updated",
        {
            "threadId": "th",
            "turnId": "t",
            "tokenUsage": {
                "total": {
                    "totalTokens": 3,
                    "inputTokens": 1,
                    "cachedInputTokens": 0,
                    "outputTokens": 2,
                    "reasoningOutputTokens": 0,
                },
                "last": {
                    "totalTokens": 3,
                    "inputTokens": 1,
                    "cachedInputTokens": 0,
                    "outputTokens": 2,
                    "reasoningOutputTokens": 0,
                },
            },
        },
    )
    assert known.method == "thread/tokenUsage/updated"
    assert known.params["turnId"] == "t"


@pytest.mark.anyio
async def test_a_newer_runtimes_unknown_events_do_not_break_run_or_stream() -> None:
    from openai_codex import AsyncCodex, AsyncTurnHandle

    codex = AsyncCodex()  # never started: the handle is fed synthetic events
    events: list[tuple[str, dict[str, Any]]] = [
        ("turn/started", _ev("turn/started", "th", "t1")),
        ("item/teleported", {"threadId": "th", "turnId": "t1", "where": "mars"}),
        (
            "item/completed",
            {"threadId": "th", "turnId": "t1", "item": {"type": "hologram", "id": "h", "x": 1}},
        ),
        (
            "item/completed",
            {
                "threadId": "th",
                "turnId": "t1",
                "item": {"type": "agentMessage", "id": "m", "text": "still fine"},
            },
        ),
        (
            "turn/completed",
            {"threadId": "th", "turn": {"id": "t1", "status": "quantum", "items": []}},
        ),
    ]
    for consume in ("run", "stream"):
        sink = Sink()
        for item in events:
            sink.push(item)
        handle = AsyncTurnHandle(codex._session, "th", "t1", _sink=sink)
        with anyio.fail_after(5):
            if consume == "stream":
                seen = [n async for n in handle.stream()]
                assert [n.method for n in seen] == [m for m, _ in events]
                assert isinstance(seen[1].payload, UnknownNotification)
                assert seen[1].payload.params["where"] == "mars"
            result = await handle.run()
        assert result.final_response == "still fine"
        assert len(result.items) == 2
        assert "quantum" in str(result.status)


@pytest.mark.anyio
async def test_a_second_concurrent_consumer_of_one_handle_gets_a_clear_error() -> None:
    from openai_codex import AsyncCodex, AsyncTurnHandle

    sink = Sink()
    handle = AsyncTurnHandle(AsyncCodex()._session, "th", "t1", _sink=sink)
    errors: list[BaseException] = []

    async def second() -> None:
        try:
            await handle.run()
        except RuntimeError as exc:
            errors.append(exc)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(handle.run)
            await wait_all_tasks_blocked()
            tg.start_soon(second)
            await wait_all_tasks_blocked()
            sink.push(("turn/completed", _ev("turn/completed", "th", "t1")))
    assert len(errors) == 1
    assert "already being consumed" in str(errors[0])
    assert handle.done


@pytest.mark.anyio
async def test_device_code_login_handle_without_a_network() -> None:
    """The runtime needs the network for device-code login; the handle logic does not."""
    from openai_codex._core.services.login import start_device_code_login

    class FakeSession:
        def __init__(self) -> None:
            self.router = Router()
            self.sent: list[tuple[str, Any]] = []

        async def request(self, method: str, params: Any = None) -> Any:
            self.sent.append((method, params))
            return {
                "type": "chatgptDeviceCode",
                "loginId": "L1",
                "verificationUrl": "https://example.invalid/device",
                "userCode": "ABCD-EFGH",
            }

    fake = FakeSession()
    handle = await start_device_code_login(fake)  # type: ignore[arg-type]
    assert fake.sent == [("account/login/start", {"type": "chatgptDeviceCode"})]
    assert (handle.login_id, handle.user_code) == ("L1", "ABCD-EFGH")
    assert handle.verification_url == "https://example.invalid/device"
    fake.router.route("account/login/completed", {"loginId": "other", "success": True})
    fake.router.route("account/login/completed", {"loginId": "L1", "success": True})
    with anyio.fail_after(5):
        completed = await handle.wait()
    assert completed.login_id == "L1"
    assert completed.success is True


def test_a_turn_completed_on_a_thread_ends_every_turn_held_for_it() -> None:
    """A review's turn/started names another id than its turn/completed (runtime 0.163.0):
    the thread must not look busy afterwards."""
    from openai_codex._core.turns.active import ActiveTurns

    active = ActiveTurns()
    active.observe("turn/started", {"threadId": "th", "turn": {"id": "started-id"}})
    active.observe("turn/started", {"threadId": "other", "turn": {"id": "t2"}})
    assert active.running_on("th") is not None
    active.observe("turn/completed", {"threadId": "th", "turn": {"id": "completed-id"}})
    assert active.running_on("th") is None
    assert active.running_on("other") is not None
