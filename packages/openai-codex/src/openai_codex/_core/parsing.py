"""The one place that turns raw wire payloads into ``openai_codex_types`` models.

Parsing happens when a consumer asks for a model, never in the reader. Request results
are validated as the model the generated registry gives for their method; a payload
that does not match raises :class:`~openai_codex.errors.ProtocolError`, never leaks a
raw dict into a typed field.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from openai_codex_transport import ProtocolError

T = TypeVar("T")


def validate(cls: type[T], raw: Any, what: str) -> T:
    """``raw`` as ``cls`` (a generated model or enum); :class:`ProtocolError` if it is not one."""
    try:
        if issubclass(cls, Enum):
            return cls(raw)
        result: T = cls.model_validate(raw)  # type: ignore[attr-defined]
        return result
    except Exception as exc:
        raise ProtocolError(f"{what} does not match {cls.__name__}: {exc}", _short(raw)) from exc


def parse_result(method: str, raw: Any) -> Any:
    """The result of client request ``method`` as its registered result model."""
    from openai_codex_types import registry

    spec = registry.client_request(method)
    if spec is None:  # pragma: no cover - the facade only sends registered methods
        raise ProtocolError(f"no result model is registered for {method!r}", _short(raw))
    value = validate(spec.result_model, raw if raw is not None else {}, f"the {method} result")
    return _member(value)


def _member(value: Any) -> Any:
    """A union's value is its member (``LoginAccountResponse`` -> the chatgpt/apiKey/...
    variant), as everywhere the SDK hands one out."""
    from openai_codex_types import CodexUnion

    return value.root if isinstance(value, CodexUnion) else value


def _short(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 2000 else text[:2000] + "..."


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
