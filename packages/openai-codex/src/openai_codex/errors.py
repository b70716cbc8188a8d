"""Every error the SDK raises on purpose, in one tree under :class:`CodexError`::

    CodexError
    +-- TransportClosedError          the runtime connection is gone
    |   +-- RuntimeAuthError          an attached runtime refused the token (HTTP 401/403)
    +-- CodexBinaryNotFoundError      no runtime binary (also a FileNotFoundError)
    +-- RequestTimeoutError           a request got no response in time (also a TimeoutError)
    +-- NotificationOverflowError     a subscriber fell too far behind
    +-- ProtocolError                 the runtime sent something that is not the protocol
    +-- JsonRpcError                  the runtime answered a request with an error
    |   +-- ParseError, InvalidRequestError, MethodNotFoundError,
    |   |   InvalidParamsError, InternalRpcError
    |   |   (InvalidRequestError +-- GoalsUnavailableError: goals disabled, ephemeral thread)
    |   +-- CodexRpcError             a Codex-specific error code
    |       +-- ServerBusyError
    |           +-- RetryLimitExceededError
    +-- TurnFailedError               a turn ended ``failed`` (also a RuntimeError)
    +-- TurnTimeoutError              ``run(timeout=...)`` passed (also a TimeoutError)
    +-- WaitTimeoutError              a wait's ``timeout=`` passed (also a TimeoutError)
    +-- RequestTimeoutError +-- TurnStartTimeoutError: ``turn/start`` got no answer in time
    +-- GoalInProgressError           a goal runs on the thread (also a RuntimeError)
    +-- TurnInProgressError           ``turn()``/``run()`` while a turn runs (also a RuntimeError)
    +-- HandleConsumedError           a second ``stream()`` of a finished handle (a RuntimeError)
    +-- CommandError                  ``run_command(check=True)``: a non-zero exit status
    +-- CommandTimeoutError           a command outlived its ``timeout`` (also a TimeoutError)
    +-- StructuredOutputError         a final answer did not match ``output_schema``
    +-- ToolError                     raised by a ``@tool`` to report a failure to the model
    +-- UnencodableValueError         a value cannot be sent as JSON (also a ValueError)
    +-- WorkingDirectoryNotFoundError the runtime's ``cwd`` does not exist (a FileNotFoundError)
    +-- OfflineModelTimeoutError      the offline model saw too few requests (a TimeoutError)
    +-- WorkspaceError                a Temporal workspace could not be prepared (RuntimeError)
    |   +-- TaskWorkspaceError        a task's workspace could not be made (also an OSError)
    +-- TaskFileError                 a task set could not be read (also a ValueError)
    +-- ThreadStoreError              a thread store failed (``openai_codex.stores``):
        +-- ThreadNotStoredError, StoredThreadCorruptError, StoreConflictError,
            RolloutSecretError

The connection errors come from ``openai_codex_transport``; ``StructuredOutputError`` and
``ToolError`` load with their modules (``openai_codex.structured``/``tools``) on first use;
the thread stores' errors live in ``openai_codex.stores``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_codex_transport import (
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
)

if TYPE_CHECKING:
    from ._core.turns.results import TurnResult
    from .structured import StructuredOutputError
    from .tools import ToolError


class TurnFailedError(CodexError, RuntimeError):
    """A turn ended with status ``failed``.

    ``error`` is the runtime's ``TurnError``; ``codex_error_info`` and
    ``additional_details`` are copied from it; ``result`` is the partial
    ``TurnResult`` (items and usage seen before the failure). Also a
    ``RuntimeError``, so ``except RuntimeError`` keeps working. The message is redacted
    (a provider's error body may echo a key); ``raw_message`` keeps the runtime's text.
    """

    def __init__(
        self,
        message: str,
        *,
        error: Any = None,
        result: TurnResult | None = None,
        raw_message: str | None = None,
    ):
        from openai_codex_transport.redaction import redact_text

        self.raw_message = message if raw_message is None else raw_message
        message = redact_text(message)
        super().__init__(message)
        self.message = message
        self.error = error
        self.result = result
        self.codex_error_info = _field(error, "codex_error_info", "codexErrorInfo")
        self.additional_details = _field(error, "additional_details", "additionalDetails")
        self.error_kind, self.http_status = error_kind(self.codex_error_info)

    def __str__(self) -> str:
        facts = [f for f in (self.error_kind, self.http_status and f"HTTP {self.http_status}") if f]
        turn = self.turn_id
        head = f"turn {turn} failed: " if turn and turn not in self.message else ""
        return f"{head}{self.message}" + (f" ({', '.join(facts)})" if facts else "")

    @property
    def turn_id(self) -> str | None:
        """The failed turn's id (``None`` if no result was kept)."""
        return None if self.result is None else self.result.id


def error_kind(codex_error_info: Any) -> tuple[str | None, int | None]:
    """``(kind, http_status)`` of a ``CodexErrorInfo`` (model or wire value):
    ``("internal_server_error", None)``, ``("http_connection_failed", 503)``, ..."""
    info = codex_error_info
    if info is None:
        return None, None
    dump = getattr(info, "model_dump", None)
    raw = dump(mode="json", by_alias=True) if callable(dump) else info
    status: int | None = None
    if isinstance(raw, dict) and len(raw) == 1:
        ((name, details),) = raw.items()
        if isinstance(details, dict):
            code = details.get("httpStatusCode")
            status = code if isinstance(code, int) else None
    elif isinstance(raw, str):
        name = raw
    else:
        return None, None
    return _snake(str(name)), status


def _snake(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out).lstrip("_")


class TurnTimeoutError(CodexError, TimeoutError):
    """``run(timeout=...)`` reached its deadline; the turn was interrupted.

    ``result`` is the partial ``TurnResult`` at the time the turn stopped.
    """

    def __init__(self, message: str, *, result: TurnResult | None = None):
        super().__init__(message)
        self.message = message
        self.result = result


class WaitTimeoutError(CodexError, TimeoutError):
    """A wait given a ``timeout`` (the next notification or event, a turn's completion, a
    login) saw nothing in time. ``what`` names what was awaited; ``timeout`` is in seconds.
    Nothing was lost: wait again to keep waiting."""

    def __init__(self, what: str, timeout: float) -> None:
        super().__init__(f"no {what} within {timeout:g} s (waited with timeout={timeout:g})")
        self.what = what
        self.timeout = timeout

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.what, self.timeout))


class TurnStartTimeoutError(RequestTimeoutError):
    """``turn/start`` got no answer in time (a ``RequestTimeoutError``, so a ``TimeoutError``).

    The runtime may still start the turn: the client watches the thread, interrupts such a
    late turn as soon as it learns its id, and the next turn on the thread first makes sure
    no unknown turn is still running there. ``thread_id`` names the thread.
    """

    def __init__(self, thread_id: str, timeout: float) -> None:
        super().__init__("turn/start", timeout)
        self.thread_id = thread_id
        self.args = (
            f"turn/start on thread {thread_id} got no answer within {timeout:g} s; if the "
            "runtime starts the turn later it is interrupted, and the next turn on this "
            "thread waits for that first",
        )

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.thread_id, self.timeout))


class RuntimeAuthError(TransportClosedError):
    """A runtime attached with ``CodexConfig(url=...)`` refused the connection's
    credentials (HTTP 401/403 on the WebSocket handshake): no token, or the wrong one.
    The message never contains the token."""


class GoalsUnavailableError(InvalidRequestError):
    """The runtime cannot pursue a goal on this thread: goals are disabled in the
    runtime (feature ``goals``), or the thread is ephemeral (goals are stored with the
    thread). An ``InvalidRequestError`` (code -32600), like the runtime's own refusal."""


class GoalInProgressError(CodexError, RuntimeError):
    """A goal runs on the thread, so the call would race the runtime's own turns: a
    plain ``run()``/``turn()``, a second goal, or a goal started while a turn is in
    progress. Stop the goal first (``pause_goal()``, the goal turn's ``interrupt()``,
    ``clear_goal()``) or wait for it. ``thread_id`` names the thread."""

    def __init__(self, message: str, *, thread_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.thread_id = thread_id


class TurnInProgressError(CodexError, RuntimeError):
    """``turn()``/``run()`` on a thread where a turn is still running. Wait for it
    (``handle.run()``), add to it (``handle.steer(input)``, or ``turn(..., join=True)``:
    the input joins the running turn), or stop it (``handle.interrupt()``).
    ``thread_id`` and ``turn_id`` name the thread and its running turn."""

    def __init__(self, message: str, *, thread_id: str, turn_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.thread_id = thread_id
        self.turn_id = turn_id

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_in_progress, (self.message, self.thread_id, self.turn_id))


def _rebuild_in_progress(message: str, thread_id: str, turn_id: str) -> TurnInProgressError:
    return TurnInProgressError(message, thread_id=thread_id, turn_id=turn_id)


class HandleConsumedError(CodexError, RuntimeError):
    """``stream()`` (or ``text_stream()``) of a turn handle whose events were already read
    to the end: a handle streams its turn once. ``run()`` still returns the result; for the
    items, read ``result.items``; for the events again, ``thread.turns()``/``thread.items()``
    give the stored history."""


def map_jsonrpc_error(code: int, message: str, data: Any = None) -> JsonRpcError:
    """The error class for a JSON-RPC error (``-32001`` -> ``ServerBusyError``, ...)."""
    return error_from_response({"code": code, "message": message, "data": data})


class CommandError(CodexError):
    """``run_command(..., check=True)`` (or ``CommandResult.check_returncode()``): the
    command exited with a non-zero status. ``cmd``, ``returncode``, ``stdout`` and
    ``stderr`` are the facts (as ``subprocess.CalledProcessError``)."""

    def __init__(self, cmd: Sequence[str], returncode: int, stdout: str, stderr: str) -> None:
        super().__init__(f"command {list(cmd)!r} exited with status {returncode}")
        self.cmd = tuple(cmd)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.cmd, self.returncode, self.stdout, self.stderr))


class CommandTimeoutError(CodexError, TimeoutError):
    """A ``command/exec`` process outlived its ``timeout`` and was terminated.
    ``stdout``/``stderr`` hold what it wrote before (as ``subprocess.TimeoutExpired``)."""

    def __init__(self, cmd: Sequence[str], timeout: float, stdout: str, stderr: str) -> None:
        super().__init__(f"command {list(cmd)!r} timed out after {timeout:g} s and was terminated")
        self.cmd = tuple(cmd)
        self.timeout = timeout
        self.stdout = stdout
        self.stderr = stderr

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.cmd, self.timeout, self.stdout, self.stderr))


class OfflineModelTimeoutError(CodexError, TimeoutError):
    """``OfflineModel.wait_for_requests`` did not see the requests in time.

    ``expected`` and ``received`` are the request counts; ``timeout`` is in seconds.
    """

    def __init__(self, expected: int, received: int, timeout: float) -> None:
        super().__init__(
            f"the offline model got {received} requests within {timeout:g} s, expected {expected}"
        )
        self.expected = expected
        self.received = received
        self.timeout = timeout


class WorkspaceError(CodexError, RuntimeError):
    """A Temporal workspace could not be prepared (the git command's output is in the
    message)."""


class ThreadStoreError(CodexError):
    """A thread store could not do what was asked (the message says what to do)."""

    def __init__(self, message: str, *, thread_id: str | None = None) -> None:
        super().__init__(message)
        self.thread_id = thread_id


class ThreadNotStoredError(ThreadStoreError, KeyError):
    """The store holds no thread with this id: save it first (``thread.save(store)``)."""

    def __init__(self, thread_id: str, store: str) -> None:
        super().__init__(
            f"thread {thread_id} is not in {store}: save it there first with thread.save(store)",
            thread_id=thread_id,
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class StoredThreadCorruptError(ThreadStoreError):
    """The stored data of a thread is damaged (a checksum or a record does not match)."""

    def __init__(self, thread_id: str, store: str, detail: str) -> None:
        super().__init__(
            f"the stored copy of thread {thread_id} in {store} is corrupt ({detail}); save "
            "the thread again from a runtime that has it, or delete it with store.delete()",
            thread_id=thread_id,
        )


class StoreConflictError(ThreadStoreError):
    """An incremental save found the stored thread changed since it was read.

    ``thread.save`` handles it by saving the whole rollout; only direct users of
    ``ThreadStore.save`` see it."""


class RolloutSecretError(ThreadStoreError):
    """The rollout holds something shaped like a credential, so it is not stored.

    A rollout has the conversation (messages, tool calls and outputs) and the session's
    metadata, never the runtime's login; this fires when a credential was typed into the
    conversation or printed by a command. Revert the turn that holds it
    (``thread.revert(turn_id)`` does not remove it from the rollout file: start a new
    thread) or rotate the credential."""


class TaskFileError(CodexError, ValueError):
    """A task set could not be read: ``path``, ``line`` (JSONL) and ``field`` say where.

    Fix the named line or field (the message says what was expected) and run again.
    """

    def __init__(
        self, message: str, *, path: Path, line: int | None = None, field: str | None = None
    ):
        where = str(path) if line is None else f"{path}, line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.field = field


class TaskWorkspaceError(WorkspaceError, OSError):
    """A task's workspace could not be prepared (a copy or a git clone; also an OSError)."""


def _field(obj: Any, attr: str, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, attr, None)


# Errors defined by the transport show where users import them from.
for _error in [v for v in globals().values() if isinstance(v, type)]:
    if issubclass(_error, CodexError) and _error.__module__ == "openai_codex_transport.errors":
        _error.__module__ = __name__
del _error


def __getattr__(name: str) -> Any:
    if name == "StructuredOutputError":
        from .structured import StructuredOutputError

        return StructuredOutputError
    if name == "ToolError":
        from .tools import ToolError

        return ToolError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ThreadStoreError",
    "ThreadNotStoredError",
    "TaskWorkspaceError",
    "TaskFileError",
    "StoredThreadCorruptError",
    "StoreConflictError",
    "RolloutSecretError",
    "CodexBinaryNotFoundError",
    "CodexError",
    "CodexRpcError",
    "CommandError",
    "CommandTimeoutError",
    "GoalInProgressError",
    "GoalsUnavailableError",
    "HandleConsumedError",
    "InternalRpcError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JsonRpcError",
    "MethodNotFoundError",
    "NotificationOverflowError",
    "OfflineModelTimeoutError",
    "ParseError",
    "ProtocolError",
    "RequestTimeoutError",
    "RetryLimitExceededError",
    "RuntimeAuthError",
    "ServerBusyError",
    "StructuredOutputError",
    "ToolError",
    "TransportClosedError",
    "TurnFailedError",
    "TurnInProgressError",
    "TurnStartTimeoutError",
    "TurnTimeoutError",
    "UnencodableValueError",
    "WaitTimeoutError",
    "WorkingDirectoryNotFoundError",
    "WorkspaceError",
    "error_kind",
    "is_retryable_error",
    "map_jsonrpc_error",
]
