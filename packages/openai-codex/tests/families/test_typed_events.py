"""Typed events: the classes per method, text_stream(), TurnResult[T]; checked by mypy too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from pydantic import BaseModel

from openai_codex import AsyncCodex, Codex, CodexConfig, Notification, UnknownNotification
from openai_codex.events import (
    EVENT_CLASSES,
    ItemAgentMessageDeltaEvent,
    ItemCompletedEvent,
    TurnCompletedEvent,
    TurnStartedEvent,
)
from openai_codex.testing import OfflineModel, Reply

ROOT = Path(__file__).resolve().parents[4]
SAMPLES = Path(__file__).parent / "samples"


class City(BaseModel):
    city: str


def test_every_schema_notification_has_its_class() -> None:
    from openai_codex_types import registry

    assert set(EVENT_CLASSES) == set(registry.SERVER_NOTIFICATIONS)
    assert len(EVENT_CLASSES) == 85
    for method, cls in EVENT_CLASSES.items():
        assert issubclass(cls, Notification)
        made = Notification(method, params={})
        assert type(made) is cls


def test_notification_constructor_keeps_working() -> None:
    ev = Notification("item/agentMessage/delta", params={"delta": "hi"})
    assert isinstance(ev, ItemAgentMessageDeltaEvent)
    other = Notification("brand/new/method", params={"x": 1})
    assert type(other) is Notification
    assert isinstance(other.payload, UnknownNotification)
    assert other == Notification("brand/new/method", UnknownNotification({"x": 1}))
    match ev:
        case Notification(method="item/agentMessage/delta"):
            pass
        case _:
            pytest.fail("a class pattern on the base must match")


def test_sync_stream_is_typed_and_text_stream_yields_deltas(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("one two three four", deltas=4), Reply.text("streamed", deltas=2))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        kinds = [type(ev) for ev in thread.turn("a").stream()]
        assert kinds[0] is TurnStartedEvent
        assert kinds[-1] is TurnCompletedEvent
        assert kinds.count(ItemAgentMessageDeltaEvent) == 4
        assert ItemCompletedEvent in kinds
        handle = thread.turn("b")
        assert list(handle.text_stream()) == ["stre", "amed"]
        assert handle.run().final_response == "streamed"


@pytest.mark.anyio
async def test_async_text_stream_and_typed_parsed(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("Hello there", deltas=3), Reply.text('{"city": "Paris"}'))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hi")
            parts = [delta async for delta in handle.text_stream()]
            assert "".join(parts) == "Hello there"
            assert len(parts) == 3
            result = await thread.run("where?", output_schema=City)
            assert result.parsed == City(city="Paris")


def test_mypy_narrows_events_and_rejects_a_typo() -> None:
    """mypy --strict on sample programs: two must pass (events; the published model kinds
    such as ``summary=ReasoningSummary.model_validate(...)``), one must fail where marked."""
    ok, kinds, typo = (
        (SAMPLES / name).relative_to(ROOT)
        for name in ("typed_events_ok.py", "published_kinds_ok.py", "typed_events_typo.py")
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            *map(str, (ok, kinds, typo)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stdout.splitlines()
    assert not [line for line in lines if line.startswith((str(ok), str(kinds)))], proc.stdout
    source = (ROOT / typo).read_text().splitlines()
    typo_line = next(i for i, text in enumerate(source, 1) if "TYPO-LINE" in text)
    field_line = next(i for i, text in enumerate(source, 1) if "WRONG-FIELD-LINE" in text)
    assert any(
        f"{typo}:{typo_line}: error: Non-overlapping equality check" in line
        and "Literal['item/agentMessage/deltas']" in line
        for line in lines
    ), proc.stdout
    assert any(
        f"{typo}:{field_line}: error:" in line and 'has no attribute "text"' in line
        for line in lines
    ), proc.stdout
    assert proc.returncode == 1


def test_generated_events_are_fresh() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/generate_events.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
