"""Names earlier SDK releases offered in ``openai_codex.models``.

``Notification``, ``UnknownNotification``, ``InitializeResponse``, ``ServerInfo`` and
``JsonObject`` are the SDK's own; any other name (the notification payload models such
as ``TurnCompletedNotification``) is resolved lazily from ``openai_codex_types``.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from ._core.connection.metadata import InitializeResponse, ServerInfo
from ._core.connection.notifications import Notification, UnknownNotification

JsonScalar: TypeAlias = str | int | float | bool | None
JsonValue: TypeAlias = Any
JsonObject: TypeAlias = dict[str, Any]
NotificationPayload: TypeAlias = Any
"""A ``Notification.payload``: the method's registered model, or ``UnknownNotification``."""

__all__ = [
    "InitializeResponse",
    "JsonObject",
    "JsonScalar",
    "JsonValue",
    "Notification",
    "NotificationPayload",
    "ServerInfo",
    "UnknownNotification",
]


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    import openai_codex_types

    try:
        value = getattr(openai_codex_types, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value
