"""The server-notification table (the published SDK's module path).

``NOTIFICATION_MODELS`` maps each notification method of the pinned runtime to its payload
model (from the ``openai_codex_types`` registry); ``notification_turn_id`` gives the turn a
payload belongs to. The payload classes are importable here by name too. The tables are
built on first access.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel


def notification_turn_id(payload: BaseModel) -> str | None:
    """The id of the turn a notification payload belongs to (``turnId`` or ``turn.id``),
    or ``None`` for a notification of no turn."""
    turn_id = getattr(payload, "turn_id", None)
    if isinstance(turn_id, str):
        return turn_id
    turn_id = getattr(getattr(payload, "turn", None), "id", None)
    return turn_id if isinstance(turn_id, str) else None


@cache
def _tables() -> dict[str, Any]:
    import functools
    import operator

    from openai_codex_types import registry

    models = {m: spec.payload_model for m, spec in registry.SERVER_NOTIFICATIONS.items()}
    unique = list(dict.fromkeys(models.values()))
    return {
        "NOTIFICATION_MODELS": models,
        "DIRECT_TURN_ID_NOTIFICATION_TYPES": tuple(
            cls for cls in unique if "turn_id" in cls.model_fields
        ),
        "NESTED_TURN_NOTIFICATION_TYPES": tuple(
            cls for cls in unique if "turn" in cls.model_fields
        ),
        "KnownNotificationPayload": functools.reduce(operator.or_, unique),
    }


_TABLES = (
    "DIRECT_TURN_ID_NOTIFICATION_TYPES",
    "KnownNotificationPayload",
    "NESTED_TURN_NOTIFICATION_TYPES",
    "NOTIFICATION_MODELS",
)


def __getattr__(name: str) -> Any:
    if name in _TABLES:
        value = _tables()[name]
    else:
        from openai_codex_types import registry

        payloads = {spec.payload_name for spec in registry.SERVER_NOTIFICATIONS.values()}
        if name not in payloads:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = registry.model(name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    from openai_codex_types import registry

    payloads = {spec.payload_name for spec in registry.SERVER_NOTIFICATIONS.values()}
    return sorted({*payloads, *_TABLES, "notification_turn_id"})
