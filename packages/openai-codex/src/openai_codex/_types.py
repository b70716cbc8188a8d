"""The one place that turns raw wire payloads into ``openai_codex_types`` models.

Parsing happens when a consumer asks for a model, never in the reader. A payload
the models cannot express (a newer runtime) is kept raw instead of failing.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

_log = logging.getLogger("openai_codex")


@cache
def model_class(name: str) -> Any:
    """The ``openai_codex_types`` model named ``name`` (None if it does not exist)."""
    import openai_codex_types

    return getattr(openai_codex_types, name, None)


def parse_model(name: str, raw: Any) -> Any:
    """``raw`` validated as the model ``name``; the raw value if that fails."""
    cls = model_class(name)
    if cls is None:
        return raw
    try:
        return cls.model_validate(raw)
    except Exception as exc:  # a newer runtime's shape: keep the data
        _log.debug("could not validate %s: %s", name, exc)
        return raw


@cache
def notification_model(method: str) -> Any:
    """The registered payload model for a server notification method, or None."""
    try:
        from openai_codex_types import registry
    except ImportError:  # pragma: no cover - types package without a registry
        return None
    for finder in ("notification_model", "server_notification_model", "notification"):
        fn = getattr(registry, finder, None)
        if callable(fn):
            try:
                found = fn(method)
            except KeyError:
                return None
            return found
    table = getattr(registry, "SERVER_NOTIFICATIONS", None)
    if isinstance(table, dict):
        return table.get(method)
    return None


def result_model(method: str) -> Any:
    """The registered result model of a client request method, or None."""
    try:
        from openai_codex_types import registry
    except ImportError:  # pragma: no cover
        return None
    for finder in ("response_model", "result_model", "client_request_result"):
        fn = getattr(registry, finder, None)
        if callable(fn):
            try:
                return fn(method)
            except KeyError:
                return None
    return None
