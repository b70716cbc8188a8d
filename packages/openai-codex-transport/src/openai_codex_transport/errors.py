"""The error classes of the Codex SDK, defined once here and re-exported by ``openai_codex``.

The hierarchy keeps the names of the published ``openai-codex`` SDK so user code keeps working::

    CodexError
    ├── TransportClosedError              the runtime/peer went away (exit code, stderr tail)
    │   └── (raised for every pending and later request of a dead connection)
    ├── RequestTimeoutError               a request's deadline passed (also a TimeoutError)
    ├── ProtocolError                     the peer broke JSON-RPC (malformed response, ...)
    ├── UnencodableValueError             a value JSON cannot carry (also a ValueError)
    ├── CodexBinaryNotFoundError          no runtime binary (also a FileNotFoundError)
    ├── WorkingDirectoryNotFoundError     the runtime's cwd does not exist (also a
    │                                     FileNotFoundError)
    ├── NotificationOverflowError         a bounded subscription fell too far behind
    └── JsonRpcError(code, message, data) an error response
        └── CodexRpcError
            ├── ParseError                -32700
            ├── InvalidRequestError       -32600 (the runtime's answer to most bad calls)
            ├── MethodNotFoundError       -32601
            ├── InvalidParamsError        -32602
            ├── InternalRpcError          -32603
            └── ServerBusyError           -32001 "Server overloaded; retry later."
                └── RetryLimitExceededError
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "SERVER_OVERLOADED_CODE",
    "CodexBinaryNotFoundError",
    "CodexError",
    "CodexRpcError",
    "InternalRpcError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JsonRpcError",
    "MethodNotFoundError",
    "NotificationOverflowError",
    "ParseError",
    "ProtocolError",
    "RequestTimeoutError",
    "RetryLimitExceededError",
    "ServerBusyError",
    "TransportClosedError",
    "UnencodableValueError",
    "WorkingDirectoryNotFoundError",
    "error_from_response",
    "is_retryable_error",
]

#: The runtime's JSON-RPC error code for a saturated request queue.
SERVER_OVERLOADED_CODE = -32001


class CodexError(Exception):
    """Root of every error the SDK raises on purpose."""


class TransportClosedError(CodexError):
    """The connection to the runtime is gone (it exited, crashed, or was closed).

    Every request pending at that moment and every later one raises this. ``exit_code`` is the
    child's exit status when it was a subprocess we started (negative: killed by that signal),
    and ``stderr_tail`` the last lines it wrote to stderr: read them to see why it stopped.
    Start a new client to continue.
    """

    def __init__(
        self,
        message: str = "the connection to the Codex runtime is closed",
        exit_code: int | None = None,
        stderr_tail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail

    def __str__(self) -> str:
        text = self.message
        if self.stderr_tail:
            text += "\n--- runtime stderr (tail) ---\n" + self.stderr_tail
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.exit_code, self.stderr_tail))

    def _copy(self) -> TransportClosedError:
        """A fresh instance with the same facts (one error raised in many tasks)."""
        return type(self)(self.message, self.exit_code, self.stderr_tail)


class RequestTimeoutError(CodexError, TimeoutError):
    """A request got no response before its deadline; its id has been forgotten.

    ``method`` and ``timeout`` (seconds) say which request and which deadline. The runtime may
    still process the request; a late response is dropped quietly (counted). Pass
    ``timeout=None`` for a method that legitimately runs long, or a larger ``timeout``.
    """

    def __init__(self, method: str, timeout: float) -> None:
        super().__init__(
            f"no response to {method!r} within {timeout:g} s (request timeout); the request "
            "was abandoned and a late answer will be ignored"
        )
        self.method = method
        self.timeout = timeout

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.method, self.timeout))


class ProtocolError(CodexError):
    """The peer broke the JSON-RPC protocol: a malformed message, a response that is not an
    object or has neither ``result`` nor ``error``, an error member that is not an object.

    ``raw`` holds the offending message when there is one (bytes, text or the decoded value).
    The connection stays usable; this request failed.
    """

    def __init__(self, message: str, raw: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.raw = raw

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.raw))


class UnencodableValueError(CodexError, ValueError):
    """A value JSON cannot carry faithfully (NaN, infinity, a lone surrogate, a cycle).

    Raised at the call, before anything is sent; the connection stays usable. ``path`` names
    the value (``params.config.x``, ``params.input[0].text``); ``reason`` says what is wrong.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot send {path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


class CodexBinaryNotFoundError(CodexError, FileNotFoundError):
    """No Codex runtime binary could be found; the message says how to provide one."""


class WorkingDirectoryNotFoundError(CodexError, FileNotFoundError):
    """The working directory given for the runtime process does not exist (or is no directory).

    ``cwd`` holds it. Distinct from :class:`CodexBinaryNotFoundError` (the binary is missing).
    """

    def __init__(self, cwd: str, reason: str = "does not exist") -> None:
        super().__init__(f"cannot start the runtime in {cwd!r}: the working directory {reason}")
        self.cwd = cwd
        self.reason = reason

    def __str__(self) -> str:  # OSError's own __str__ would show only the args tuple
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.cwd, self.reason))


class NotificationOverflowError(CodexError):
    """A bounded notification subscription was not drained fast enough and was ended.

    The notifications that were buffered before the overflow are all delivered first; this is
    raised after them. Nothing is silently skipped: drain faster, raise ``max_buffered`` or use
    ``on_notification``.
    """


class JsonRpcError(CodexError):
    """An error response from the peer: ``code``, ``message`` and optional ``data``.

    ``seconds_left``: what remained of the request's deadline when the error arrived
    (``None``: the request had no deadline, or the error was not an answer to a request).
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"JSON-RPC error {code}: {message}")
        self.code = code
        self.message = message
        self.data = data
        self.seconds_left: float | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.message, self.data))


class CodexRpcError(JsonRpcError):
    """Base class of the typed JSON-RPC errors."""


class ParseError(CodexRpcError):
    """-32700: the peer could not parse what was sent."""


class InvalidRequestError(CodexRpcError):
    """-32600: the runtime rejected the request (its usual answer to bad params)."""


class MethodNotFoundError(CodexRpcError):
    """-32601: the method is not known to this runtime."""


class InvalidParamsError(CodexRpcError):
    """-32602: the method's parameters are invalid."""


class InternalRpcError(CodexRpcError):
    """-32603: the runtime failed internally while handling the request."""


class ServerBusyError(CodexRpcError):
    """-32001: the runtime is overloaded; retry later with backoff (``retry_on_overload``)."""


class RetryLimitExceededError(ServerBusyError):
    """The runtime exhausted its own retry budget; retrying again right away will not help."""


_BY_CODE: dict[int, type[CodexRpcError]] = {
    -32700: ParseError,
    -32600: InvalidRequestError,
    -32601: MethodNotFoundError,
    -32602: InvalidParamsError,
    -32603: InternalRpcError,
}


def _mentions_retry_limit(message: str) -> bool:
    lowered = message.lower()
    return "retry limit" in lowered or "too many failed attempts" in lowered


def _is_overloaded_marker(data: Any, depth: int = 0) -> bool:
    """True if ``data`` carries the runtime's ``server_overloaded`` error info anywhere."""
    if depth > 8 or data is None:
        return False
    if isinstance(data, str):
        return data.lower() in ("server_overloaded", "serveroverloaded")
    if isinstance(data, Mapping):
        return any(_is_overloaded_marker(value, depth + 1) for value in data.values())
    if isinstance(data, (list, tuple)):
        return any(_is_overloaded_marker(value, depth + 1) for value in data)
    return False


def _error_class(code: int, message: str, data: Any) -> type[JsonRpcError]:
    known = _BY_CODE.get(code)
    if known is not None:
        return known
    if code == SERVER_OVERLOADED_CODE or (-32099 <= code <= -32000 and _is_overloaded_marker(data)):
        return RetryLimitExceededError if _mentions_retry_limit(message) else ServerBusyError
    if -32099 <= code <= -32000:
        return RetryLimitExceededError if _mentions_retry_limit(message) else CodexRpcError
    return JsonRpcError


def error_from_response(error: Any) -> JsonRpcError:
    """Map a response's ``error`` member to the exception class for its code.

    -32001 (overload) is a :class:`ServerBusyError` whether or not it carries ``data``; a
    server-range code whose message says the retry limit was hit is a
    :class:`RetryLimitExceededError`. Malformed error objects still give a :class:`JsonRpcError`.
    """
    if not isinstance(error, Mapping):
        return JsonRpcError(-32603, f"malformed error object: {error!r}")
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else -32603
    raw_message = error.get("message")
    message = raw_message if isinstance(raw_message, str) else str(raw_message)
    data = error.get("data")
    return _error_class(code, message, data)(code, message, data)


def is_retryable_error(exc: BaseException) -> bool:
    """True for overload errors (the published SDK's answer, kept for compatibility).

    True for :class:`ServerBusyError`, :class:`RetryLimitExceededError` included (it is a
    ``ServerBusyError``), and for any JSON-RPC error with the overload code or whose data
    says ``server_overloaded``; false for other errors and for
    :class:`TransportClosedError`. ``retry_on_overload`` uses the stricter
    :func:`is_transient_overload`.
    """
    if isinstance(exc, ServerBusyError):
        return True
    if isinstance(exc, JsonRpcError):
        return exc.code == SERVER_OVERLOADED_CODE or _is_overloaded_marker(exc.data)
    return False


def is_transient_overload(exc: BaseException) -> bool:
    """:func:`is_retryable_error` minus :class:`RetryLimitExceededError`: the runtime has
    already retried and given up, so retrying again only adds load. The check
    ``retry_on_overload`` makes before another attempt."""
    return not isinstance(exc, RetryLimitExceededError) and is_retryable_error(exc)
