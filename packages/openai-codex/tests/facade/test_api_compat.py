"""The public surface matches the published SDK's (names, signatures, defaults)."""

from __future__ import annotations

import inspect
from dataclasses import fields
from typing import Any

import pytest

import openai_codex
from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    AsyncThread,
    AsyncTurnHandle,
    Codex,
    CodexConfig,
    Thread,
    TurnHandle,
    TurnResult,
)

EXPORTED = [
    "__version__",
    "CodexConfig",
    "Codex",
    "AsyncCodex",
    "ApprovalMode",
    "Sandbox",
    "ChatgptLoginHandle",
    "DeviceCodeLoginHandle",
    "AsyncChatgptLoginHandle",
    "AsyncDeviceCodeLoginHandle",
    "Thread",
    "AsyncThread",
    "TurnHandle",
    "AsyncTurnHandle",
    "TurnResult",
    "Input",
    "InputItem",
    "RunInput",
    "ExternalMessage",
    "TextInput",
    "ImageInput",
    "LocalImageInput",
    "SkillInput",
    "MentionInput",
    "retry_on_overload",
    "CodexError",
    "TransportClosedError",
    "JsonRpcError",
    "CodexRpcError",
    "ParseError",
    "InvalidRequestError",
    "MethodNotFoundError",
    "InvalidParamsError",
    "InternalRpcError",
    "ServerBusyError",
    "RetryLimitExceededError",
    "is_retryable_error",
]

TYPES = [
    "Account",
    "AccountLoginCompletedNotification",
    "ApprovalsReviewer",
    "AskForApproval",
    "CancelLoginAccountResponse",
    "CancelLoginAccountStatus",
    "GetAccountResponse",
    "InitializeResponse",
    "JsonObject",
    "ModelListResponse",
    "Notification",
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
]

THREAD_START = [
    "approval_mode",
    "base_instructions",
    "config",
    "cwd",
    "developer_instructions",
    "ephemeral",
    "model",
    "model_provider",
    "personality",
    "sandbox",
    "service_name",
    "service_tier",
    "session_start_source",
    "thread_source",
]
THREAD_LIST = [
    "archived",
    "cursor",
    "cwd",
    "limit",
    "model_providers",
    "search_term",
    "section_id",
    "sort_direction",
    "sort_key",
    "source_kinds",
    "use_state_db_only",
]
THREAD_RESUME = [
    "thread_id",
    "approval_mode",
    "base_instructions",
    "config",
    "cwd",
    "developer_instructions",
    "include_turns",
    "model",
    "model_provider",
    "personality",
    "sandbox",
    "service_tier",
]
THREAD_FORK = [
    "thread_id",
    "approval_mode",
    "base_instructions",
    "config",
    "cwd",
    "developer_instructions",
    "ephemeral",
    "include_turns",
    "model",
    "model_provider",
    "sandbox",
    "service_tier",
    "thread_source",
]
TURN_OPTIONS = [
    "approval_mode",
    "cwd",
    "effort",
    "model",
    "output_schema",
    "personality",
    "sandbox",
    "service_tier",
    "source",
    "summary",
    "turn_service_tier",
]


def test_every_published_name_is_exported() -> None:
    for name in EXPORTED:
        assert hasattr(openai_codex, name), name
        assert name in openai_codex.__all__, name


def test_types_module_reexports_the_models() -> None:
    import openai_codex.types as types

    for name in TYPES:
        assert getattr(types, name) is not None, name


def _params(fn: Any) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]


def _compatible(fn: Any, expected: list[str]) -> bool:
    """The published parameters come first, in order; additions are optional keywords."""
    params = inspect.signature(fn).parameters
    names = _params(fn)
    extra = names[len(expected) :]
    return names[: len(expected)] == expected and all(
        params[n].kind is inspect.Parameter.KEYWORD_ONLY
        and params[n].default is not inspect.Parameter.empty
        for n in extra
    )


@pytest.mark.parametrize("client", [Codex, AsyncCodex])
def test_client_method_signatures(client: type) -> None:
    assert _compatible(client.thread_start, THREAD_START)
    assert _compatible(client.thread_list, THREAD_LIST)
    assert _compatible(client.thread_resume, THREAD_RESUME)
    assert _compatible(client.thread_fork, THREAD_FORK)
    assert _params(client.thread_archive) == ["thread_id"]
    assert _params(client.thread_unarchive) == ["thread_id"]
    assert _params(client.models) == ["include_hidden"]
    assert _params(client.account) == ["refresh_token"]
    assert _params(client.login_api_key) == ["api_key"]
    assert _params(client.login_chatgpt) == []
    assert _params(client.login_chatgpt_device_code) == []
    assert _params(client.logout) == []
    start = inspect.signature(client.thread_start).parameters
    assert start["approval_mode"].default is ApprovalMode.auto_review
    assert all(start[name].default is None for name in THREAD_START[1:])
    resume = inspect.signature(client.thread_resume).parameters
    assert all(resume[name].default is None for name in THREAD_RESUME[1:])
    assert inspect.signature(client.models).parameters["include_hidden"].default is False
    assert inspect.signature(client.account).parameters["refresh_token"].default is False


def test_sync_and_async_twins_have_the_same_signatures() -> None:
    pairs = [(Codex, AsyncCodex), (Thread, AsyncThread), (TurnHandle, AsyncTurnHandle)]
    for sync_cls, async_cls in pairs:
        for name, member in vars(async_cls).items():
            if name.startswith("_") or not callable(member):
                continue
            assert hasattr(sync_cls, name), (sync_cls, name)
            assert _params(getattr(sync_cls, name)) == _params(member), (sync_cls, name)


@pytest.mark.parametrize("thread_cls", [Thread, AsyncThread])
def test_thread_turn_options(thread_cls: type) -> None:
    assert _compatible(thread_cls.turn, ["input", *TURN_OPTIONS])
    assert _compatible(thread_cls.run, ["input", *TURN_OPTIONS])
    assert "timeout" in _params(thread_cls.run)
    assert _params(thread_cls.read) == ["include_turns"]
    assert inspect.signature(thread_cls.read).parameters["include_turns"].default is False
    assert _params(thread_cls.set_name) == ["name"]
    assert _params(thread_cls.compact) == []


@pytest.mark.parametrize("handle_cls", [TurnHandle, AsyncTurnHandle])
def test_turn_handle_surface(handle_cls: type) -> None:
    for name in ("steer", "interrupt", "stream", "run"):
        assert callable(getattr(handle_cls, name))
    assert _params(handle_cls.steer) == ["input"]


def test_codex_config_fields_and_defaults() -> None:
    config = CodexConfig()
    names = [f.name for f in fields(CodexConfig)]
    assert names == [
        "codex_bin",
        "launch_args_override",
        "config_overrides",
        "cwd",
        "env",
        "client_name",
        "client_title",
        "client_version",
        "experimental_api",
        "request_timeout",  # added after 0.163.0, last so positional use is unchanged
        "url",  # attach to a running runtime (added after 0.163.0, after the others)
        "token",
        "token_env",
        "token_file",
        "max_requests_in_flight",  # added later still
        "max_retries",  # the client's own overload retries (issue 25)
    ]
    assert config.request_timeout == 120.0
    assert config.max_requests_in_flight == 32
    assert config.client_name == "codex_python_sdk"
    assert config.client_title == "Codex Python SDK"
    assert config.client_version == openai_codex.__version__
    assert config.experimental_api is True
    assert config.config_overrides == ()


def test_turn_result_fields() -> None:
    names = [f.name for f in fields(TurnResult)]
    assert names[:9] == [
        "id",
        "status",
        "error",
        "started_at",
        "completed_at",
        "duration_ms",
        "final_response",
        "items",
        "usage",
    ]


def test_async_client_is_lazy_and_has_no_metadata_before_start() -> None:
    client = AsyncCodex(CodexConfig(codex_bin="/nonexistent/codex"))
    with pytest.raises(RuntimeError, match="not started"):
        _ = client.metadata


def test_version_is_the_installed_distributions_and_resolved_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, openai_codex\n"
        "loaded = [m for m in ('importlib.metadata', 'email', 'zipfile', 'csv') "
        "if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "from importlib.metadata import version\n"
        "installed = version('openai-codex')\n"
        "assert openai_codex.__version__ == installed, (openai_codex.__version__, installed)\n"
        "assert openai_codex.CodexConfig().client_version == installed\n"
        "from openai_codex._version import __version__\n"
        "assert __version__ == installed\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    # The field keeps its name, type and default value; each config gets it from the factory.
    field_ = {f.name: f for f in fields(CodexConfig)}["client_version"]
    assert field_.type in (str, "str")
    assert CodexConfig(client_version="9.9.9").client_version == "9.9.9"
    assert "__version__" in openai_codex.__all__


def test_import_is_light_and_host_names_load_on_demand() -> None:
    import subprocess
    import sys

    code = (
        "import sys, openai_codex\n"
        "heavy = [m for m in ('pydantic', 'openai_codex.handlers', 'openai_codex.tools', "
        "'anyio.from_thread', 'typing_extensions', 'openai_codex._sync.generated', "
        "'openai_codex.retry', 'asyncio') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from openai_codex import tool, ServerRequestHandlers, StructuredOutputError\n"
        "assert callable(tool)\n"
        "from openai_codex import Codex, Thread, TurnHandle, retry_on_overload\n"
        "from openai_codex._sync.generated import Codex as C\n"
        "assert Codex is C and 'anyio.from_thread' in sys.modules\n"
        "assert openai_codex.retry.retry_on_overload is retry_on_overload\n"
        "assert {'Codex', 'tool', '__version__'} <= set(dir(openai_codex))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with pytest.raises(AttributeError):
        _ = openai_codex.NoSuchName  # type: ignore[attr-defined]
