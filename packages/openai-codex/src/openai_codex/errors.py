"""Every error the SDK raises.

The JSON-RPC and transport errors come from ``openai_codex_transport``; turn errors
are defined here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openai_codex_transport import (
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
    is_retryable_error,
)

if TYPE_CHECKING:
    from ._core.results import TurnResult


class TurnFailedError(CodexError, RuntimeError):
    """A turn ended with status ``failed``.

    ``error`` is the runtime's ``TurnError``; ``codex_error_info`` and
    ``additional_details`` are copied from it; ``result`` is the partial
    ``TurnResult`` (items and usage seen before the failure). Also a
    ``RuntimeError``, so ``except RuntimeError`` keeps working.
    """

    def __init__(self, message: str, *, error: Any = None, result: TurnResult | None = None):
        super().__init__(message)
        self.message = message
        self.error = error
        self.result = result
        self.codex_error_info = _field(error, "codex_error_info", "codexErrorInfo")
        self.additional_details = _field(error, "additional_details", "additionalDetails")

    @property
    def turn_id(self) -> str | None:
        return None if self.result is None else self.result.id


class TurnTimeoutError(CodexError, TimeoutError):
    """``run(timeout=...)`` reached its deadline; the turn was interrupted.

    ``result`` is the partial ``TurnResult`` at the time the turn stopped.
    """

    def __init__(self, message: str, *, result: TurnResult | None = None):
        super().__init__(message)
        self.message = message
        self.result = result


def _field(obj: Any, attr: str, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, attr, None)


__all__ = [
    "CodexError",
    "CodexRpcError",
    "InternalRpcError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JsonRpcError",
    "MethodNotFoundError",
    "ParseError",
    "RetryLimitExceededError",
    "ServerBusyError",
    "TransportClosedError",
    "TurnFailedError",
    "TurnTimeoutError",
    "is_retryable_error",
]
