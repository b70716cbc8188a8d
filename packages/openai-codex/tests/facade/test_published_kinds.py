"""Names shared with the published SDK keep the published kind and answer."""

from __future__ import annotations

import pydantic
import pytest

from openai_codex import RetryLimitExceededError, ServerBusyError, is_retryable_error
from openai_codex._core.wire import wire_value
from openai_codex.types import (
    ReasoningSummary,
    ThreadArchiveResponse,
    ThreadCompactStartResponse,
    ThreadSetNameResponse,
    TurnInterruptResponse,
)


def test_reasoning_summary_is_a_model_over_the_enum() -> None:
    summary = ReasoningSummary.model_validate("concise")
    assert isinstance(summary, pydantic.BaseModel)
    assert summary.root.value == "concise"
    assert summary.model_dump(mode="json") == "concise"
    assert wire_value(summary) == "concise"  # what a turn's summary= sends
    assert ReasoningSummary.model_validate("from-a-newer-runtime").root.value == (
        "from-a-newer-runtime"
    )


@pytest.mark.parametrize(
    "cls",
    [
        ThreadArchiveResponse,
        ThreadCompactStartResponse,
        ThreadSetNameResponse,
        TurnInterruptResponse,
    ],
)
def test_empty_responses_are_plain_models(cls: type[pydantic.BaseModel]) -> None:
    assert not issubclass(cls, pydantic.RootModel)
    assert cls().model_dump() == {}
    assert cls.model_validate({}) == cls()
    # a field a newer runtime adds is kept
    assert cls.model_validate({"newField": 1}).model_extra == {"newField": 1}


def test_a_retry_limit_is_retryable_as_published() -> None:
    assert is_retryable_error(RetryLimitExceededError(-32001, "retry limit reached"))
    assert is_retryable_error(ServerBusyError(-32001, "busy"))
    assert not is_retryable_error(ValueError("x"))
