"""The method registries: which params, result and payload classes each method has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .naming import pascal

# Client request methods whose result definition does not follow a naming rule the script can
# derive (checked against codex-rs/app-server-protocol/src/protocol/common.rs).
RESULT_OVERRIDES: dict[str, str] = {
    "config/mcpServer/reload": "McpServerRefreshResponse",
    "config/value/write": "ConfigWriteResponse",
    "config/batchWrite": "ConfigWriteResponse",
    "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
    "account/logout": "LogoutAccountResponse",
    "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
}


@dataclass
class Registry:
    client_requests: dict[str, tuple[str | None, str]]
    client_notifications: dict[str, str | None]
    server_notifications: dict[str, str]
    server_requests: dict[str, tuple[str, str]]


def _method_arms(defs: dict[str, Any], root: str) -> list[tuple[str, Any]]:
    out = []
    for arm in defs[root]["oneOf"]:
        method = arm["properties"]["method"]["enum"][0]
        out.append((method, arm["properties"].get("params")))
    return out


def _params_name(params: Any) -> str | None:
    if params is None or params == {"type": "null"}:
        return None
    if "$ref" in params:
        return str(params["$ref"])
    arms = params.get("anyOf") or params.get("oneOf") or []
    refs = [a["$ref"] for a in arms if isinstance(a, dict) and "$ref" in a]
    if len(refs) == 1:
        return str(refs[0])
    raise SystemExit(f"cannot read a params type from {params}")


def _result_candidates(method: str, params: str | None) -> list[str]:
    out = []
    if params and params.endswith("Params"):
        out.append(params[: -len("Params")] + "Response")
    segs = [pascal(s) for s in method.split("/")]
    out.append("".join(segs) + "Response")
    if len(segs) >= 2:
        out.append("".join(segs[1:]) + "Response")
        out.append(segs[-1] + "".join(segs[:-1]) + "Response")
        out.append("Get" + "".join(segs[:-1]) + "Response")
    return out


def build_registry(defs: dict[str, Any]) -> Registry:
    client_requests: dict[str, tuple[str | None, str]] = {}
    missing = []
    for method, params in _method_arms(defs, "ClientRequest"):
        pname = _params_name(params)
        result = RESULT_OVERRIDES.get(method)
        if result is None:
            result = next((c for c in _result_candidates(method, pname) if c in defs), None)
        if result is None or result not in defs:
            missing.append(method)
            continue
        client_requests[method] = (pname, result)
    if missing:
        raise SystemExit(
            "no result definition found for client request(s) "
            + ", ".join(missing)
            + "; add them to RESULT_OVERRIDES in scripts/codegen/registry.py"
        )
    client_notifications = {m: _params_name(p) for m, p in _method_arms(defs, "ClientNotification")}
    server_notifications = {}
    for method, params in _method_arms(defs, "ServerNotification"):
        pname = _params_name(params)
        if pname is None:
            raise SystemExit(f"server notification {method} has no payload type")
        server_notifications[method] = pname
    server_requests = {}
    for method, params in _method_arms(defs, "ServerRequest"):
        pname = _params_name(params)
        if pname is None or not pname.endswith("Params"):
            raise SystemExit(f"server request {method} has unexpected params {params}")
        response = pname[: -len("Params")] + "Response"
        if response not in defs:
            raise SystemExit(f"server request {method}: no {response} definition")
        server_requests[method] = (pname, response)
    return Registry(client_requests, client_notifications, server_notifications, server_requests)
