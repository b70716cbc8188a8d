"""Python SDK for the Codex agent.

Use :class:`Codex` in synchronous programs and :class:`AsyncCodex` in async ones
(asyncio or trio)::

    from openai_codex import Codex

    with Codex() as codex:
        thread = codex.thread_start()
        result = thread.run("Describe this project.")
        print(result.final_response)

Layout: public modules here; the async implementation in ``_core/`` (host control in
``_core/host/``), the sync face (generated from it) in ``_sync/`` (map:
docs/architecture.md).
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._core.client import AsyncCodex
from ._core.config import CodexConfig
from ._core.threads.presets import ApprovalMode, Sandbox
from .errors import (
    CodexBinaryNotFoundError,
    CodexError,
    CodexRpcError,
    CommandError,
    CommandTimeoutError,
    GoalInProgressError,
    GoalsUnavailableError,
    HandleConsumedError,
    InternalRpcError,
    InvalidParamsError,
    InvalidRequestError,
    JsonRpcError,
    MethodNotFoundError,
    NotificationOverflowError,
    OfflineModelTimeoutError,
    ParseError,
    ProtocolError,
    RequestTimeoutError,
    RetryLimitExceededError,
    RolloutSecretError,
    RuntimeAuthError,
    ServerBusyError,
    StoreConflictError,
    StoredThreadCorruptError,
    TaskFileError,
    TaskWorkspaceError,
    ThreadNotStoredError,
    ThreadStoreError,
    TransportClosedError,
    TurnFailedError,
    TurnInProgressError,
    TurnStartTimeoutError,
    TurnTimeoutError,
    UnencodableValueError,
    WaitTimeoutError,
    WorkingDirectoryNotFoundError,
    WorkspaceError,
    is_retryable_error,
)

if _TYPE_CHECKING:
    from ._core.connection.notifications import Notification, UnknownNotification
    from ._core.connection.subscriptions import AsyncEventStream
    from ._core.goals.events import AsyncGoalEvents
    from ._core.services.commands import AsyncCommandProcess, CommandOutput, CommandResult
    from ._core.services.files import AsyncFiles, AsyncFileWatch
    from ._core.services.login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
    from ._core.threads.review import Review, ReviewFinding
    from ._core.threads.thread import AsyncThread, AsyncTurnHandle
    from ._core.turns.inputs import (
        ExternalMessage,
        ImageInput,
        Input,
        InputItem,
        LocalImageInput,
        MentionInput,
        RunInput,
        SkillInput,
        TextInput,
    )
    from ._core.turns.results import TurnResult
    from ._sync.generated import (
        ChatgptLoginHandle,
        Codex,
        CommandProcess,
        DeviceCodeLoginHandle,
        EventStream,
        Files,
        FileWatch,
        Thread,
        TurnHandle,
    )
    from ._sync.goal_events import GoalEvents
    from ._version import __version__ as __version__
    from .handlers import HandlerFailure, ServerRequestHandlers
    from .retry import retry_on_overload
    from .structured import StructuredOutputError
    from .tools import Tool, ToolError, ToolImage, ToolResult, tool

# Names whose modules load on first access (PEP 562), so `import openai_codex` stays light:
# - the sync client (Codex, Thread, TurnHandle, login handles): its event-loop thread needs
#   anyio.from_thread (+ typing_extensions, ~30-40 ms) that an async program never uses;
#   `from openai_codex import Codex` loads it at once, so a sync program's first Codex()
#   costs the same as before;
# - login handles and retry_on_overload: only needed by programs that use them;
# - host control (handlers, tools, structured output): it brings in pydantic;
# - goals (AsyncGoalEvents): loaded by the first goal call;
# - the input item classes (TextInput, ...): the first turn loads them (a str needs none);
# - threads, turn handles, results and notifications: the first start loads them while
#   the runtime boots (_core/connection/runtime.py, ``preload``).
_LAZY = {
    "AsyncThread": "_core.threads.thread",
    "AsyncTurnHandle": "_core.threads.thread",
    "TurnResult": "_core.turns.results",
    "Notification": "_core.connection.notifications",
    "UnknownNotification": "_core.connection.notifications",
    "Codex": "_sync.generated",
    "Thread": "_sync.generated",
    "TurnHandle": "_sync.generated",
    "ChatgptLoginHandle": "_sync.generated",
    "DeviceCodeLoginHandle": "_sync.generated",
    "GoalEvents": "_sync.goal_events",
    "AsyncGoalEvents": "_core.goals.events",
    **dict.fromkeys(
        (
            "ExternalMessage",
            "ImageInput",
            "Input",
            "InputItem",
            "LocalImageInput",
            "MentionInput",
            "RunInput",
            "SkillInput",
            "TextInput",
        ),
        "_core.turns.inputs",
    ),
    "CommandProcess": "_sync.generated",
    "AsyncCommandProcess": "_core.services.commands",
    "CommandResult": "_core.services.commands",
    "CommandOutput": "_core.services.commands",
    "Review": "_core.threads.review",
    "AsyncEventStream": "_core.connection.subscriptions",
    "EventStream": "_sync.generated",
    "Files": "_sync.generated",
    "FileWatch": "_sync.generated",
    "AsyncFiles": "_core.services.files",
    "AsyncFileWatch": "_core.services.files",
    "ReviewFinding": "_core.threads.review",
    "AsyncChatgptLoginHandle": "_core.services.login",
    "AsyncDeviceCodeLoginHandle": "_core.services.login",
    "retry_on_overload": "retry",
    "HandlerFailure": "handlers",
    "ServerRequestHandlers": "handlers",
    "StructuredOutputError": "structured",
    "Tool": "tools",
    "ToolError": "tools",
    "ToolImage": "tools",
    "ToolResult": "tools",
    "tool": "tools",
}


def _install_presenters() -> None:
    """Lend the core the console's turn displays (each loads its module on first use)."""
    from ._core.turns.presenters import PRESENTERS

    async def progress(handle: _Any, timeout: float | None) -> _Any:
        from .console._render import run_with_progress

        return await run_with_progress(handle, timeout=timeout)

    def notebook(name: str) -> _Any:
        def show(result: _Any) -> _Any:
            return getattr(_import_module(".console._notebook", __name__), name)(result)

        return show

    PRESENTERS.progress = progress
    PRESENTERS.html = notebook("result_html")
    PRESENTERS.markdown = notebook("result_markdown")
    PRESENTERS.rich_repr = notebook("result_rich_repr")


_install_presenters()


def __getattr__(name: str) -> _Any:
    if name == "__version__":
        # From the installed distribution's metadata, looked up on first access:
        # importlib.metadata is too heavy to load on every `import openai_codex`.
        from ._version import installed_version

        version = globals()["__version__"] = installed_version()
        return version
    if name == "retry":  # the public submodule was an attribute after `import openai_codex`
        return _import_module(".retry", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__))


__all__ = [
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
    "GoalEvents",
    "AsyncGoalEvents",
    "Input",
    "InputItem",
    "RunInput",
    "ExternalMessage",
    "TextInput",
    "ImageInput",
    "LocalImageInput",
    "SkillInput",
    "MentionInput",
    "Notification",
    "UnknownNotification",
    "retry_on_overload",
    "CodexError",
    "TransportClosedError",
    "RuntimeAuthError",
    "JsonRpcError",
    "CodexRpcError",
    "ParseError",
    "InvalidRequestError",
    "MethodNotFoundError",
    "InvalidParamsError",
    "InternalRpcError",
    "ServerBusyError",
    "RetryLimitExceededError",
    "TurnFailedError",
    "TurnStartTimeoutError",
    "TurnTimeoutError",
    "WaitTimeoutError",
    "GoalInProgressError",
    "GoalsUnavailableError",
    "TurnInProgressError",
    "HandleConsumedError",
    "CommandError",
    "CommandTimeoutError",
    "CodexBinaryNotFoundError",
    "NotificationOverflowError",
    "OfflineModelTimeoutError",
    "ProtocolError",
    "RequestTimeoutError",
    "UnencodableValueError",
    "WorkingDirectoryNotFoundError",
    "WorkspaceError",
    "RolloutSecretError",
    "StoreConflictError",
    "StoredThreadCorruptError",
    "TaskFileError",
    "TaskWorkspaceError",
    "ThreadNotStoredError",
    "ThreadStoreError",
    "CommandResult",
    "CommandOutput",
    "CommandProcess",
    "AsyncCommandProcess",
    "Review",
    "ReviewFinding",
    "AsyncEventStream",
    "EventStream",
    "AsyncFiles",
    "AsyncFileWatch",
    "Files",
    "FileWatch",
    "is_retryable_error",
    "ServerRequestHandlers",
    "HandlerFailure",
    "tool",
    "Tool",
    "ToolError",
    "ToolImage",
    "ToolResult",
    "StructuredOutputError",
]
