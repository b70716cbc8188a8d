"""The registries against the schema the pinned runtime prints: every method, no extras."""

from __future__ import annotations

from typing import Any

import pytest
from codex_types_support import methods, runtime_schema
from pydantic import BaseModel

from openai_codex_types import registry


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    root = str(tmp_path_factory.mktemp("schema"))
    return runtime_schema(root, False), runtime_schema(root, True)


def _ref(params: Any) -> str | None:
    if params is None or params == {"type": "null"}:
        return None
    if "$ref" in params:
        return str(params["$ref"]).rsplit("/", 1)[-1]
    (ref,) = [a["$ref"] for a in params["anyOf"] if "$ref" in a]
    return str(ref).rsplit("/", 1)[-1]


def test_client_requests_match_the_schema(schemas: tuple[dict[str, Any], dict[str, Any]]) -> None:
    stable, experimental = schemas
    wire = methods(experimental, "ClientRequest")
    assert set(registry.CLIENT_REQUESTS) == set(wire)
    assert len(wire) > 100
    for method, params in wire.items():
        spec = registry.CLIENT_REQUESTS[method]
        assert spec.params_name == _ref(params), method
        assert spec.result_name in experimental, method
        assert spec.result_name.endswith("Response"), method
        assert spec.experimental == (method not in methods(stable, "ClientRequest")), method


def test_server_notifications_match_the_schema(
    schemas: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    stable, experimental = schemas
    wire = methods(experimental, "ServerNotification")
    assert set(registry.SERVER_NOTIFICATIONS) == set(wire)
    for method, params in wire.items():
        assert registry.SERVER_NOTIFICATIONS[method].payload_name == _ref(params), method
    assert set(methods(stable, "ServerNotification")) <= set(wire)


def test_server_requests_match_the_schema(schemas: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, experimental = schemas
    wire = methods(experimental, "ServerRequest")
    assert set(registry.SERVER_REQUESTS) == set(wire)
    for method, params in wire.items():
        spec = registry.SERVER_REQUESTS[method]
        assert spec.params_name == _ref(params), method
        assert spec.response_name in experimental, method
    # the server-to-client requests the SDK answers, legacy ones included
    assert {
        "item/commandExecution/requestApproval",
        "item/fileChange/requestApproval",
        "item/permissions/requestApproval",
        "item/tool/requestUserInput",
        "item/tool/call",
        "mcpServer/elicitation/request",
        "account/chatgptAuthTokens/refresh",
        "applyPatchApproval",
        "execCommandApproval",
    } <= set(wire)


def test_client_notifications_match_the_schema(
    schemas: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, experimental = schemas
    assert set(registry.CLIENT_NOTIFICATIONS) == set(methods(experimental, "ClientNotification"))
    assert registry.CLIENT_NOTIFICATIONS["initialized"].params_model is None


def test_every_registered_model_resolves_to_a_pydantic_model() -> None:
    for spec in registry.CLIENT_REQUESTS.values():
        assert issubclass(spec.result_model, BaseModel)
        assert spec.params_model is None or issubclass(spec.params_model, BaseModel)
    for n in registry.SERVER_NOTIFICATIONS.values():
        assert issubclass(n.payload_model, BaseModel)
    for r in registry.SERVER_REQUESTS.values():
        assert issubclass(r.params_model, BaseModel)
        assert issubclass(r.response_model, BaseModel)


def _name(cls: type[Any] | None) -> str | None:
    return None if cls is None else cls.__name__


def test_lookup_functions() -> None:
    assert _name(registry.result_model("thread/start")) == "ThreadStartResponse"
    assert _name(registry.params_model("thread/start")) == "ThreadStartParams"
    assert registry.params_model("account/logout") is None
    assert _name(registry.result_model("account/logout")) == "LogoutAccountResponse"
    assert _name(registry.result_model("config/mcpServer/reload")) == "McpServerRefreshResponse"
    assert _name(registry.notification_model("turn/completed")) == "TurnCompletedNotification"
    assert registry.notification_model("no/such/method") is None
    assert registry.result_model("no/such/method") is None
    approval = registry.server_request("item/commandExecution/requestApproval")
    assert approval is not None
    assert approval.params_model.__name__ == "CommandExecutionRequestApprovalParams"
    assert approval.response_model.__name__ == "CommandExecutionRequestApprovalResponse"
    assert (
        _name(registry.server_response_model("execCommandApproval"))
        == "ExecCommandApprovalResponse"
    )
    with pytest.raises(KeyError):
        registry.parse_result("no/such/method", {})


def test_experimental_markers(schemas: tuple[dict[str, Any], dict[str, Any]]) -> None:
    stable, experimental = schemas
    start_stable = set(stable["ThreadStartParams"]["properties"])
    start_exp = set(experimental["ThreadStartParams"]["properties"])
    assert "dynamicTools" in start_exp - start_stable
    assert registry.experimental_fields("ThreadStartParams") == frozenset(start_exp - start_stable)
    from openai_codex_types import ThreadStartParams

    info = ThreadStartParams.model_fields["dynamic_tools"]
    assert info.alias == "dynamicTools"
    assert info.json_schema_extra == {"experimental": True}
    assert info.description is not None
    assert info.description.startswith("[EXPERIMENTAL]")
    assert ThreadStartParams.model_fields["cwd"].json_schema_extra is None
    only_exp = set(methods(experimental, "ClientRequest")) - set(methods(stable, "ClientRequest"))
    assert only_exp
    assert all(registry.is_experimental(m) for m in only_exp)
    assert not registry.is_experimental("thread/start")
    for name in set(experimental) - set(stable):
        assert name in registry.EXPERIMENTAL_CLASSES, name
