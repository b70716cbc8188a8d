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


@cache
def _validator(name: str) -> Any:
    cls = model_class(name)
    if cls is None:
        return None
    validate = getattr(cls, "model_validate", None)
    if callable(validate):
        return validate
    from pydantic import TypeAdapter  # enums and type aliases

    return TypeAdapter(cls).validate_python


def parse_model(name: str, raw: Any) -> Any:
    """``raw`` validated as the model ``name``; the raw value if that fails."""
    validate = _validator(name)
    if validate is None:
        return raw
    try:
        return validate(raw)
    except Exception as exc:  # a newer runtime's shape: keep the data
        _log.debug("could not validate %s: %s", name, exc)
        return raw


#: method -> payload model (or None), filled on first use: this runs for every payload a
#: consumer reads (each streamed delta), where the registry import + lookup cost ~1 us.
_notification_models: dict[str, Any] = {}
_MISSING = object()


def notification_model(method: str) -> Any:
    """The registered payload model for a server notification method, or None."""
    model = _notification_models.get(method, _MISSING)
    if model is _MISSING:
        from openai_codex_types import registry

        model = _notification_models[method] = registry.notification_model(method)
    return model
