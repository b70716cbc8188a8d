"""The ``ApprovalMode`` and ``Sandbox`` presets and their wire forms."""

from __future__ import annotations

from enum import Enum
from typing import Any


class ApprovalMode(str, Enum):
    """How escalated permission requests are decided.

    - ``auto_review``: the runtime's automatic reviewer decides (wire
      ``approvalPolicy: "on-request"``, ``approvalsReviewer: "auto_review"``).
    - ``deny_all``: never ask; escalations are refused (wire ``approvalPolicy: "never"``).
    - ``host``: ask the client: each approval goes to the client's handlers
      (``openai_codex.handlers.ServerRequestHandlers``; without one it is declined)
      (wire ``approvalPolicy: "on-request"``, ``approvalsReviewer: "user"``).
    """

    deny_all = "deny_all"
    auto_review = "auto_review"
    host = "host"


class Sandbox(str, Enum):
    """Filesystem access presets for threads and turns.

    ``read_only`` allows reads only; ``workspace_write`` allows writes inside the
    workspace and the configured writable roots; ``full_access`` removes the sandbox.
    """

    read_only = "read-only"
    workspace_write = "workspace-write"
    full_access = "full-access"


_THREAD_SANDBOX = {
    Sandbox.read_only: "read-only",
    Sandbox.workspace_write: "workspace-write",
    Sandbox.full_access: "danger-full-access",
}
_TURN_SANDBOX_TYPE = {
    Sandbox.read_only: "readOnly",
    Sandbox.workspace_write: "workspaceWrite",
    Sandbox.full_access: "dangerFullAccess",
}


def approval_wire(mode: object) -> dict[str, Any]:
    """The ``approvalPolicy``/``approvalsReviewer`` params for a mode (empty for None)."""
    if mode is None:
        return {}
    if not isinstance(mode, ApprovalMode):
        supported = ", ".join(f"ApprovalMode.{m.name}" for m in ApprovalMode)
        raise ValueError(f"approval_mode must be one of: {supported}; got {mode!r}")
    if mode is ApprovalMode.auto_review:
        return {"approvalPolicy": "on-request", "approvalsReviewer": "auto_review"}
    if mode is ApprovalMode.host:
        return {"approvalPolicy": "on-request", "approvalsReviewer": "user"}
    return {"approvalPolicy": "never"}


def _require_sandbox(sandbox: object) -> Sandbox:
    if not isinstance(sandbox, Sandbox):
        options = ", ".join(f"Sandbox.{s.name}" for s in Sandbox)
        raise ValueError(f"sandbox must be one of: {options}; got {sandbox!r}")
    return sandbox


def thread_sandbox_wire(sandbox: Sandbox | None) -> str | None:
    """The thread-level ``sandbox`` mode string."""
    if sandbox is None:
        return None
    return _THREAD_SANDBOX[_require_sandbox(sandbox)]


def turn_sandbox_wire(
    sandbox: Sandbox | None, known: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """The turn-level ``sandboxPolicy`` for a preset.

    ``known`` maps a policy kind to the thread's last policy of that kind (from the
    thread/start|resume|fork response or an earlier turn). The preset reuses it, so
    the thread's writable roots, network access and tmp exclusions are kept rather
    than reset to defaults.
    """
    if sandbox is None:
        return None
    kind = _TURN_SANDBOX_TYPE[_require_sandbox(sandbox)]
    if known and kind in known:
        return dict(known[kind])
    return {"type": kind}
