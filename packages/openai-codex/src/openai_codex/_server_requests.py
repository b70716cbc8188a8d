"""Fail-closed answers to the runtime's server-to-client requests.

With no host handler installed every request gets the safe answer: approvals are
declined, questions are cancelled or left unanswered, dynamic tool calls fail, and
anything else is refused with a JSON-RPC error. Nothing is ever accepted.
"""

from __future__ import annotations

import time
from typing import Any

from openai_codex_transport import JsonRpcError

_DECLINE = {"decision": "decline"}


def _tool_call_failure(params: dict[str, Any]) -> dict[str, Any]:
    tool = params.get("tool", "?")
    return {
        "contentItems": [
            {
                "type": "inputText",
                "text": f"The client has no handler for the dynamic tool {tool!r}.",
            }
        ],
        "success": False,
    }


def fail_closed_answer(method: str, params: dict[str, Any]) -> Any:
    """The safe result for a server request (raises ``JsonRpcError`` to refuse)."""
    if method in ("item/commandExecution/requestApproval", "item/fileChange/requestApproval"):
        return dict(_DECLINE)
    if method in ("execCommandApproval", "applyPatchApproval"):
        return {"decision": "denied"}
    if method == "item/permissions/requestApproval":
        return {"permissions": {}, "scope": "turn"}
    if method == "item/tool/requestUserInput":
        return {"answers": {}}
    if method == "mcpServer/elicitation/request":
        return {"action": "cancel", "content": None}
    if method == "item/tool/call":
        return _tool_call_failure(params)
    if method == "currentTime/read":
        return {"currentTimeAt": int(time.time())}
    raise JsonRpcError(-32601, f"the client does not handle {method!r}")
