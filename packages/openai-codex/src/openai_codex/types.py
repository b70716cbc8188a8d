"""Protocol models for annotations and ``isinstance`` checks.

Re-exported from ``openai_codex_types`` (``InitializeResponse`` is the SDK's own,
``JsonObject`` a plain alias, ``Notification`` the SDK's notification wrapper).
Attributes are resolved lazily so importing this module stays cheap.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from ._core.connection.metadata import InitializeResponse
from ._core.connection.notifications import Notification

JsonObject: TypeAlias = dict[str, Any]

_FROM_TYPES = (
    "Account",
    "AnyThreadItem",  # what result.items holds: the union of the concrete item classes
    "AccountLoginCompletedNotification",
    "ApprovalsReviewer",
    "AskForApproval",
    "CancelLoginAccountResponse",
    "CancelLoginAccountStatus",
    "GetAccountResponse",
    "ModelListResponse",
    "Personality",
    "PlanType",
    "ReasoningEffort",
    "SandboxMode",
    "SandboxPolicy",
    "SortDirection",
    "ThreadArchiveResponse",
    "ThreadCompactStartResponse",
    "ThreadGoal",
    "ThreadGoalStatus",
    "ThreadItem",
    "ThreadListCwdFilter",
    "ThreadListResponse",
    "ThreadReadResponse",
    "ThreadSetNameResponse",
    "ThreadSortKey",
    "ThreadSource",
    "ThreadSourceKind",
    "ThreadStartSource",
    "ThreadTokenUsage",
    "ThreadTokenUsageUpdatedNotification",
    "Turn",
    "TurnCompletedNotification",
    "TurnError",
    "TurnInterruptResponse",
    "TurnStatus",
    "TurnSteerResponse",
)

#: published names whose kind differs from the generated types (see _core/published_models.py)
_PUBLISHED_KINDS = ("ReasoningSummary",)

__all__ = ["InitializeResponse", "JsonObject", "Notification", *_FROM_TYPES, *_PUBLISHED_KINDS]


def __getattr__(name: str) -> Any:
    if name in _PUBLISHED_KINDS:
        from ._core import published_models

        value = getattr(published_models, name)
        globals()[name] = value
        return value
    if name in _FROM_TYPES:
        import openai_codex_types

        value = getattr(openai_codex_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
