"""Units of the restructured facade: registry-typed results, request kinds, the portal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import openai_codex
from openai_codex import errors
from openai_codex._core.host.kinds import KINDS
from openai_codex._core.parsing import parse_result
from openai_codex._core.turns.results import TurnCollector
from openai_codex._sync.portal import Portal
from openai_codex_types import ThreadArchiveResponse, registry


def test_a_result_is_its_registered_model() -> None:
    assert isinstance(parse_result("thread/archive", {}), ThreadArchiveResponse)


def test_a_result_that_does_not_match_raises_protocol_error() -> None:
    with pytest.raises(errors.ProtocolError, match=r"thread/list result .*ThreadListResponse"):
        parse_result("thread/list", {"data": "not a list"})


def test_a_turn_status_the_models_do_not_know_raises_protocol_error() -> None:
    collector = TurnCollector("t1")
    collector.feed("turn/completed", {"turn": {"id": "t1", "status": 42}})
    with pytest.raises(errors.ProtocolError, match="turn status"):
        collector.result()


def test_request_kinds_take_their_models_from_the_registry() -> None:
    for method, kind in KINDS.items():
        spec = registry.server_request(method)
        assert spec is not None, method
        assert kind.params_model is spec.params_model
        assert kind.response_model is spec.response_model


def test_every_error_is_a_codex_error() -> None:
    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type):
            assert issubclass(value, errors.CodexError), name
    assert not {"Any", "TYPE_CHECKING", "import_module"} & set(dir(openai_codex))


def test_portal_iterates_an_async_iterator_from_a_plain_thread() -> None:
    closed: list[bool] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            for n in range(5):
                yield n
        finally:
            closed.append(True)

    portal = Portal()
    try:
        assert list(portal.iterate(numbers())) == [0, 1, 2, 3, 4]
        partial = portal.iterate(numbers())
        assert next(partial) == 0
        partial.close()  # leaving early closes the async iterator on the loop
        assert closed == [True, True]
    finally:
        portal.close()
