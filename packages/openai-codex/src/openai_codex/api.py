"""The clients, threads, turn handles and results (the published SDK's module path).

The same objects as the package root (``from openai_codex.api import Codex`` is
``openai_codex.Codex``), with the low-level clients and the protocol models the published
``api`` module also offered. Names resolve on first access.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: name -> the module it comes from (``openai_codex`` + this suffix)
_FROM: dict[str, str] = {
    **dict.fromkeys(
        (
            "AsyncChatgptLoginHandle",
            "AsyncCodex",
            "AsyncDeviceCodeLoginHandle",
            "AsyncThread",
            "AsyncTurnHandle",
            "ApprovalMode",
            "ChatgptLoginHandle",
            "Codex",
            "CodexConfig",
            "DeviceCodeLoginHandle",
            "ExternalMessage",
            "ImageInput",
            "Input",
            "InputItem",
            "LocalImageInput",
            "MentionInput",
            "RunInput",
            "Sandbox",
            "SkillInput",
            "TextInput",
            "Thread",
            "TurnHandle",
            "TurnResult",
        ),
        "",
    ),
    "AsyncCodexClient": ".async_client",
    "CodexClient": ".client",
    **dict.fromkeys(
        (
            "GetAccountResponse",
            "InitializeResponse",
            "JsonObject",
            "ModelListResponse",
            "Notification",
            "Personality",
            "ReasoningEffort",
            "ReasoningSummary",
            "SortDirection",
            "ThreadArchiveResponse",
            "ThreadCompactStartResponse",
            "ThreadListCwdFilter",
            "ThreadListResponse",
            "ThreadReadResponse",
            "ThreadSetNameResponse",
            "ThreadSortKey",
            "ThreadSource",
            "ThreadSourceKind",
            "ThreadStartSource",
            "TurnCompletedNotification",
            "TurnInterruptResponse",
            "TurnSteerResponse",
        ),
        ".types",
    ),
    **dict.fromkeys(
        (
            "ApiKeyLoginAccountParams",
            "GetAccountParams",
            "LoginAccountParams",
            "ThreadForkParams",
            "ThreadListParams",
            "ThreadResumeParams",
            "ThreadStartParams",
            "TurnStartParams",
        ),
        ".generated.v2_all",
    ),
}

#: the published module's helpers (see _sync/published_names.py)
_HELPERS = (
    "async_start_chatgpt_login",
    "async_start_device_code_login",
    "start_chatgpt_login",
    "start_device_code_login",
    "validate_initialize_metadata",
)

__all__ = sorted([*_FROM, *_HELPERS])


def __getattr__(name: str) -> Any:
    module = _FROM.get(name)
    if name in _HELPERS:
        from ._sync import published_names

        value = getattr(published_names, name)
    elif module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        value = getattr(import_module("openai_codex" + module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
