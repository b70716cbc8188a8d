"""openai-codex-transport: JSON-RPC 2.0 to the Codex app-server over stdio, WebSocket or a
Unix socket, on anyio (asyncio and trio).

It carries raw JSON objects (dicts) and knows nothing of Codex semantics; the typed API lives
in ``openai_codex``. The error classes are defined here once and re-exported there.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._background import Detached
from ._codec import dumps, loads
from ._transport import Transport
from .binary import (
    app_server_argv,
    default_codex_home,
    default_control_socket_path,
    path_digest,
    resolve_codex_binary,
    sdk_temp_dir,
)
from .connection import (
    DEFAULT_MAX_REQUESTS_IN_FLIGHT,
    DEFAULT_REQUEST_TIMEOUT,
    USE_CONNECTION_DEFAULT,
    ConnectionDefault,
    ConnectionStats,
    JsonRpcConnection,
    Subscription,
)
from .errors import (
    CodexBinaryNotFoundError,
    CodexError,
    CodexRpcError,
    InternalRpcError,
    InvalidParamsError,
    InvalidRequestError,
    JsonRpcError,
    MethodNotFoundError,
    NotificationOverflowError,
    ParseError,
    ProtocolError,
    RequestTimeoutError,
    RetryLimitExceededError,
    ServerBusyError,
    TransportClosedError,
    UnencodableValueError,
    WorkingDirectoryNotFoundError,
    error_from_response,
    is_retryable_error,
    is_transient_overload,
)
from .redaction import redact, redact_argv, redact_mapping, redact_text
from .stdio import StdioTransport

if TYPE_CHECKING:
    from ._early import EarlyChild, early_start_supported
    from .unix import UnixSocketTransport
    from .websocket import WebSocketTransport

#: transports most programs never use, and the sync client's early start, loaded on first
#: access (PEP 562)
_LAZY = {
    "UnixSocketTransport": ".unix",
    "WebSocketTransport": ".websocket",
    "EarlyChild": "._early",
    "early_start_supported": "._early",
}


def __getattr__(name: str) -> Any:
    # PEP 562: the version comes from the installed distribution's metadata, resolved on first
    # access (importlib.metadata pulls in email, zipfile, csv, ...: ~15-20 ms) and cached here.
    if name == "__version__":
        from ._version import __version__

        globals()["__version__"] = __version__
        return __version__
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EarlyChild",
    "Detached",
    "DEFAULT_MAX_REQUESTS_IN_FLIGHT",
    "DEFAULT_REQUEST_TIMEOUT",
    "USE_CONNECTION_DEFAULT",
    "CodexBinaryNotFoundError",
    "CodexError",
    "CodexRpcError",
    "ConnectionDefault",
    "ConnectionStats",
    "InternalRpcError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JsonRpcConnection",
    "JsonRpcError",
    "MethodNotFoundError",
    "NotificationOverflowError",
    "ParseError",
    "ProtocolError",
    "RequestTimeoutError",
    "RetryLimitExceededError",
    "ServerBusyError",
    "StdioTransport",
    "Subscription",
    "Transport",
    "TransportClosedError",
    "UnencodableValueError",
    "UnixSocketTransport",
    "WebSocketTransport",
    "WorkingDirectoryNotFoundError",
    "__version__",
    "app_server_argv",
    "default_codex_home",
    "default_control_socket_path",
    "dumps",
    "early_start_supported",
    "error_from_response",
    "is_retryable_error",
    "is_transient_overload",
    "loads",
    "path_digest",
    "redact",
    "redact_argv",
    "redact_mapping",
    "redact_text",
    "resolve_codex_binary",
    "sdk_temp_dir",
]
