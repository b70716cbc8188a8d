"""Every generated class builds, and the package exposes exactly the generated names."""

from __future__ import annotations

import enum

from pydantic import BaseModel

import openai_codex_types as t
from openai_codex_types import CodexRootModel, OpenEnum, UnknownVariant
from openai_codex_types._generated._index import MODULE_OF


def test_every_generated_class_builds() -> None:
    models = 0
    for name in sorted(MODULE_OF):
        cls = getattr(t, name)
        if name.startswith("Any") and name[3:] in MODULE_OF:
            continue  # a union's variants alias (see test_union_values)
        assert cls.__name__ == name
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            cls.model_rebuild(force=True)
            assert cls.__pydantic_complete__, name
            models += 1
        else:
            assert issubclass(cls, OpenEnum), name
            assert issubclass(cls, enum.Enum)
            assert len(cls.__members__) >= 1, name
    assert models > 1000


def test_tagged_unions_have_a_fallback() -> None:
    from openai_codex_types import registry

    for name in ("ThreadItem", "UserInput", "SandboxPolicy", "ServerNotification", "ClientRequest"):
        fallback = registry.model("Unknown" + name)
        assert issubclass(fallback, UnknownVariant)
        assert issubclass(registry.model(name), CodexRootModel)


def test_names_the_sdk_reexports() -> None:
    # openai_codex.types re-exports these (see shared/api-compat.md)
    for name in [
        "Account",
        "AccountLoginCompletedNotification",
        "ApprovalsReviewer",
        "AskForApproval",
        "CancelLoginAccountResponse",
        "CancelLoginAccountStatus",
        "GetAccountResponse",
        "InitializeResponse",
        "ModelListResponse",
        "Personality",
        "PlanType",
        "ReasoningEffort",
        "ReasoningSummary",
        "SandboxMode",
        "SandboxPolicy",
        "SortDirection",
        "ThreadArchiveResponse",
        "ThreadCompactStartResponse",
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
    ]:
        assert name in MODULE_OF, name
    assert t.ReasoningEffort("high") is t.ReasoningEffort.high
    assert t.ThreadSource("user") is t.ThreadSource.user


def test_dir_and_all() -> None:
    names = set(dir(t))
    assert set(MODULE_OF) <= names
    assert {"is_unknown", "OpenEnum", "UnknownVariant", "RUNTIME_VERSION"} <= names
    assert t.registry.RUNTIME_VERSION == t.RUNTIME_VERSION
