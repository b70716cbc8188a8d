"""The ``ApprovalMode`` and ``Sandbox`` presets and their wire forms."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, TypeAlias


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

    @classmethod
    def _missing_(cls, value: object) -> ApprovalMode | None:
        # "deny-all", "Auto_Review": the same names, spelt loosely
        if isinstance(value, str):
            return cls.__members__.get(value.strip().lower().replace("-", "_"))
        return None


class Sandbox(str, Enum):
    """Filesystem access presets for threads and turns.

    ``read_only`` allows reads only; ``workspace_write`` allows writes inside the
    workspace and the configured writable roots; ``full_access`` removes the sandbox.

    Wherever a ``sandbox=`` is taken, a string works too: the values below, the member
    names, and the runtime's own spellings (``Sandbox("danger-full-access") is
    Sandbox.full_access``). The values are the published SDK's; on the wire they become
    (thread ``sandbox`` / turn ``sandboxPolicy.type``):

    - ``read_only`` (``"read-only"``): ``read-only`` / ``readOnly``
    - ``workspace_write`` (``"workspace-write"``): ``workspace-write`` / ``workspaceWrite``
    - ``full_access`` (``"full-access"``): ``danger-full-access`` / ``dangerFullAccess``
    """

    read_only = "read-only"
    workspace_write = "workspace-write"
    full_access = "full-access"

    @classmethod
    def _missing_(cls, value: object) -> Sandbox | None:
        if isinstance(value, str):
            return _SANDBOX_ALIASES.get(value.strip().lower().replace("_", "-"))
        return None


#: what ``sandbox=`` takes: a member or one of these strings
SandboxArg: TypeAlias = (
    Sandbox | Literal["read-only", "workspace-write", "full-access", "danger-full-access"]
)
#: what ``approval_mode=`` takes: a member or its value
ApprovalModeArg: TypeAlias = ApprovalMode | Literal["deny_all", "auto_review", "host"]

_SANDBOX_ALIASES = {
    "read-only": Sandbox.read_only,
    "readonly": Sandbox.read_only,
    "workspace-write": Sandbox.workspace_write,
    "workspacewrite": Sandbox.workspace_write,
    "full-access": Sandbox.full_access,
    "danger-full-access": Sandbox.full_access,
    "dangerfullaccess": Sandbox.full_access,
}


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
        given = mode
        try:
            mode = ApprovalMode(given) if isinstance(given, str) else None
        except ValueError:
            mode = None
        if mode is None:
            supported = ", ".join(f"ApprovalMode.{m.name} ({m.value!r})" for m in ApprovalMode)
            raise ValueError(f"approval_mode must be one of: {supported}; got {given!r}")
    if mode is ApprovalMode.auto_review:
        return {"approvalPolicy": "on-request", "approvalsReviewer": "auto_review"}
    if mode is ApprovalMode.host:
        return {"approvalPolicy": "on-request", "approvalsReviewer": "user"}
    return {"approvalPolicy": "never"}


def _require_sandbox(sandbox: object) -> Sandbox:
    if isinstance(sandbox, Sandbox):
        return sandbox
    if isinstance(sandbox, str):
        try:
            return Sandbox(sandbox)
        except ValueError:
            pass
    options = ", ".join(f"Sandbox.{s.name} ({s.value!r})" for s in Sandbox)
    raise ValueError(
        f"sandbox must be one of: {options} (or the runtime's 'danger-full-access'); "
        f"got {sandbox!r}"
    )


def thread_sandbox_wire(sandbox: SandboxArg | None) -> str | None:
    """The thread-level ``sandbox`` mode string."""
    if sandbox is None:
        return None
    return _THREAD_SANDBOX[_require_sandbox(sandbox)]


def turn_sandbox_wire(
    sandbox: SandboxArg | None, known: dict[str, dict[str, Any]] | None = None
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
