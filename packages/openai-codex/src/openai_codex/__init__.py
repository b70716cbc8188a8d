"""Python SDK for the Codex agent.

Use :class:`Codex` in synchronous programs and :class:`AsyncCodex` in async ones
(asyncio or trio)::

    from openai_codex import Codex

    with Codex() as codex:
        thread = codex.thread_start()
        result = thread.run("Describe this project.")
        print(result.final_response)
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._async_client import AsyncCodex
from ._async_thread import AsyncThread, AsyncTurnHandle
from ._config import CodexConfig
from ._inputs import (
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
from ._login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
from ._notifications import Notification, UnknownNotification
from ._presets import ApprovalMode, Sandbox
from ._results import TurnResult
from ._sync_client import Codex
from ._sync_thread import ChatgptLoginHandle, DeviceCodeLoginHandle, Thread, TurnHandle
from .errors import (
    CodexError,
    CodexRpcError,
    InternalRpcError,
    InvalidParamsError,
    InvalidRequestError,
    JsonRpcError,
    MethodNotFoundError,
    ParseError,
    RetryLimitExceededError,
    ServerBusyError,
    TransportClosedError,
    TurnFailedError,
    TurnTimeoutError,
    is_retryable_error,
)
from .retry import retry_on_overload

if TYPE_CHECKING:
    from ._version import __version__ as __version__
    from .handlers import HandlerFailure, ServerRequestHandlers
    from .structured import StructuredOutputError
    from .tools import Tool, ToolError, ToolImage, ToolResult, tool

# Host control (handlers, tools, structured output) loads on first use: it brings in
# pydantic, which `import openai_codex` otherwise does not need yet.
_LAZY = {
    "HandlerFailure": "handlers",
    "ServerRequestHandlers": "handlers",
    "StructuredOutputError": "structured",
    "Tool": "tools",
    "ToolError": "tools",
    "ToolImage": "tools",
    "ToolResult": "tools",
    "tool": "tools",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # From the installed distribution's metadata, looked up on first access:
        # importlib.metadata is too heavy to load on every `import openai_codex`.
        from ._version import installed_version

        version = globals()["__version__"] = installed_version()
        return version
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
    "TurnTimeoutError",
    "is_retryable_error",
    # host control (issue 6): handlers, tools, structured output
    "ServerRequestHandlers",
    "HandlerFailure",
    "tool",
    "Tool",
    "ToolError",
    "ToolImage",
    "ToolResult",
    "StructuredOutputError",
]
