from __future__ import annotations

import pickle

import pytest

from openai_codex_transport import (
    CodexError,
    CodexRpcError,
    InternalRpcError,
    InvalidParamsError,
    InvalidRequestError,
    JsonRpcError,
    MethodNotFoundError,
    ParseError,
    RequestTimeoutError,
    RetryLimitExceededError,
    ServerBusyError,
    TransportClosedError,
    error_from_response,
    is_retryable_error,
    is_transient_overload,
)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (-32700, ParseError),
        (-32600, InvalidRequestError),
        (-32601, MethodNotFoundError),
        (-32602, InvalidParamsError),
        (-32603, InternalRpcError),
        (-32050, CodexRpcError),
        (42, JsonRpcError),
    ],
)
def test_codes_map_to_classes(code: int, cls: type[JsonRpcError]) -> None:
    exc = error_from_response({"code": code, "message": "m", "data": {"k": 1}})
    assert type(exc) is cls
    assert (exc.code, exc.message, exc.data) == (code, "m", {"k": 1})
    assert isinstance(exc, CodexError)


def test_overload_without_data_is_server_busy() -> None:
    exc = error_from_response({"code": -32001, "message": "Server overloaded; retry later."})
    assert type(exc) is ServerBusyError
    assert exc.data is None
    assert is_retryable_error(exc)


def test_overload_with_data_is_server_busy() -> None:
    exc = error_from_response(
        {
            "code": -32001,
            "message": "Server overloaded; retry later.",
            "data": {"codexErrorInfo": "serverOverloaded"},
        }
    )
    assert type(exc) is ServerBusyError
    assert is_retryable_error(exc)


def test_overload_marker_in_data_of_other_server_code() -> None:
    exc = error_from_response(
        {"code": -32000, "message": "busy", "data": {"codex_error_info": "server_overloaded"}}
    )
    assert type(exc) is ServerBusyError


def test_retry_limit_is_retryable_as_published_but_not_a_transient_overload() -> None:
    exc = error_from_response(
        {"code": -32001, "message": "retry limit reached", "data": "server_overloaded"}
    )
    assert type(exc) is RetryLimitExceededError
    assert isinstance(exc, ServerBusyError)
    assert is_retryable_error(exc)  # the published SDK's answer: it is a ServerBusyError
    assert is_retryable_error(RetryLimitExceededError(-32001, "too many failed attempts"))
    assert not is_transient_overload(exc)  # what retry_on_overload checks
    assert is_transient_overload(ServerBusyError(-32001, "busy"))


def test_other_errors_are_not_retryable() -> None:
    assert not is_retryable_error(InvalidRequestError(-32600, "bad"))
    assert not is_retryable_error(TransportClosedError("gone", 1, "tail"))
    assert not is_retryable_error(ValueError("x"))
    assert is_retryable_error(JsonRpcError(-32001, "overloaded"))


def test_malformed_error_objects_still_map() -> None:
    assert type(error_from_response("nope")) is JsonRpcError
    exc = error_from_response({"code": "x", "message": 5})
    assert exc.code == -32603
    assert exc.message == "5"


def test_transport_closed_error_carries_facts_and_pickles() -> None:
    exc = TransportClosedError("runtime exited with code 3", 3, "boom\nlast line")
    assert exc.exit_code == 3
    assert "last line" in str(exc)
    again = pickle.loads(pickle.dumps(exc))
    assert (again.message, again.exit_code, again.stderr_tail) == (exc.message, 3, exc.stderr_tail)
    rpc = pickle.loads(pickle.dumps(ServerBusyError(-32001, "busy", {"a": 1})))
    assert type(rpc) is ServerBusyError
    assert rpc.data == {"a": 1}


def test_timeout_error_is_a_builtin_timeout() -> None:
    exc = RequestTimeoutError("thread/start", 1.5)
    assert isinstance(exc, TimeoutError)
    assert isinstance(exc, CodexError)
    assert "thread/start" in str(exc)


def test_new_error_classes_hierarchy_and_pickling() -> None:
    from openai_codex_transport import (
        CodexBinaryNotFoundError,
        ProtocolError,
        UnencodableValueError,
        WorkingDirectoryNotFoundError,
    )

    cases: list[tuple[Exception, tuple[type[BaseException], ...]]] = [
        (RequestTimeoutError("thread/start", 2.0), (CodexError, TimeoutError)),
        (ProtocolError("bad response", {"id": 1}), (CodexError,)),
        (UnencodableValueError("params.x", "NaN"), (CodexError, ValueError)),
        (WorkingDirectoryNotFoundError("/nope"), (CodexError, FileNotFoundError)),
    ]
    for exc, bases in cases:
        assert isinstance(exc, bases)
        assert not isinstance(exc, TransportClosedError)
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc)
        assert str(again) == str(exc)
    assert not issubclass(WorkingDirectoryNotFoundError, CodexBinaryNotFoundError)
    assert "'/nope'" in str(WorkingDirectoryNotFoundError("/nope"))
    assert "2 s" in str(RequestTimeoutError("thread/start", 2.0))
