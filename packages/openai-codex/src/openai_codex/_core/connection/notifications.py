"""``Notification``: one server notification, its payload validated on first access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

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
        """The typed event for a wire notification (a plain one for an unknown method)."""
        return cast("Event", Notification(method, params=params))

    @property
    def payload(self) -> Any:
        """The typed payload model, validated on first access (``UnknownNotification``
        for a method this version does not know)."""
        if self._payload is _UNSET:
            self._payload = _validate(self.method, self.params)
        return self._payload

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


def _validate(method: str, params: dict[str, Any]) -> Any:
    model = notification_model(method)
    if model is None:
        return UnknownNotification(params)
    try:
        return model.model_validate(params)
    except Exception:
        return UnknownNotification(params)
