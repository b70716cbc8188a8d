"""``Notification``: one server notification, its payload validated on first access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..parsing import notification_model

if TYPE_CHECKING:
    from ...events import Event

_UNSET: Any = object()


@dataclass(slots=True)
class UnknownNotification:
    """The payload of a notification the models do not know; ``params`` is the raw data."""

    params: dict[str, Any]


class Notification:
    """A server notification: ``method`` and ``payload``.

    ``payload`` is the registered model for the method (validated lazily, on first
    access), or an ``UnknownNotification`` holding the raw params. ``params`` is the
    raw wire dict.

    ``Notification(method, ...)`` of a known method makes the typed subclass for it
    (``openai_codex.events``: ``TurnCompletedEvent``, ...), so ``isinstance``/``match``
    and ``ev.method == "..."`` narrow ``payload`` for a type checker.
    """

    __slots__ = ("_payload", "method", "params")
    __match_args__ = ("method", "payload")

    def __new__(cls, method: str, payload: Any = _UNSET, *, params: Any = None) -> Notification:
        if cls is Notification:
            typed = _event_classes().get(method)
            if typed is not None:
                cls = typed
        return object.__new__(cls)

    def __init__(self, method: str, payload: Any = _UNSET, *, params: Any = None) -> None:
        self.method = method
        self.params: dict[str, Any] = params if params is not None else {}
        self._payload = payload
        if payload is not _UNSET and params is None:
            dump = getattr(payload, "model_dump", None)
            if callable(dump):
                self.params = dump(mode="json", by_alias=True, exclude_none=True)
            elif isinstance(payload, UnknownNotification):
                self.params = payload.params

    @classmethod
    def _raw(cls, method: str, params: dict[str, Any]) -> Notification:
        return cls(method, params=params)

    @classmethod
    def _event(cls, method: str, params: dict[str, Any]) -> Event:
        """The typed event for a wire notification (a plain one for an unknown method).

        The streaming fast path (one per notification a consumer reads): the instance is
        made without ``__new__``/``__init__``'s checks; ``params`` is the wire dict itself.
        """
        classes = _EVENT_CLASSES if _EVENT_CLASSES is not None else _event_classes()
        event: Notification = object.__new__(classes.get(method, Notification))
        event.method = method
        event.params = params if params is not None else {}
        event._payload = _UNSET
        return event  # type: ignore[return-value]  # the class of its method

    @property
    def payload(self) -> Any:
        """The typed payload model, validated on first access (``UnknownNotification``
        for a method this version does not know)."""
        payload = self._payload
        if payload is _UNSET:
            validate = _validators.get(self.method)
            if validate is None:  # first of its method, or a method with no model
                payload = _validate(self.method, self.params)
            else:  # (_validate's common case, inlined: one call less per streamed delta)
                try:
                    payload = validate(self.params)
                except Exception:
                    payload = UnknownNotification(self.params)
            self._payload = payload
        return payload

    def __repr__(self) -> str:
        return f"Notification(method={self.method!r}, payload={self.payload!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notification):
            return NotImplemented
        return self.method == other.method and self.params == other.params

    __hash__ = None  # type: ignore[assignment]


_EVENT_CLASSES: dict[str, type[Notification]] | None = None


def _event_classes() -> dict[str, type[Notification]]:
    """method -> typed class (``openai_codex.events``, loaded with the first notification)."""
    global _EVENT_CLASSES
    if _EVENT_CLASSES is None:
        from ...events import EVENT_CLASSES

        _EVENT_CLASSES = EVENT_CLASSES
    return _EVENT_CLASSES


#: method -> the payload model's ``validate_python`` (None: no model), filled on first use
_validators: dict[str, Any] = {}


def _validate(method: str, params: dict[str, Any]) -> Any:
    validate = _validators.get(method, _UNSET)
    if validate is _UNSET:
        return _validate_first(method, params)
    if validate is None:
        return UnknownNotification(params)
    try:
        # what ``model.model_validate`` calls, without its Python wrapper (per streamed delta)
        return validate(params)
    except Exception:
        return UnknownNotification(params)


def _validate_first(method: str, params: dict[str, Any]) -> Any:
    """The first payload of ``method``: validated through the model (which builds its
    deferred validator), whose built validator is then kept for the next ones."""
    model = notification_model(method)
    if model is None:
        _validators[method] = None
        return UnknownNotification(params)
    try:
        value = model.model_validate(params)
    except Exception:
        return UnknownNotification(params)
    from pydantic_core import SchemaValidator

    validator = model.__pydantic_validator__
    if isinstance(validator, SchemaValidator):  # built (not pydantic's deferred stand-in)
        _validators[method] = validator.validate_python
    return value
