"""What crosses Temporal's wire: the activities' inputs and results, approvals, fan-out.

Every model is small, JSON-serialisable pydantic and free of runtime objects, so the
workflow history stays readable and the workflow sandbox can pass this module through.
The module imports pydantic only (no runtime, no ``temporalio``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: The turn activity's type name (``CodexActivities.run_turn``; what workflows schedule).
RUN_TURN_ACTIVITY = "run_codex_turn"
#: The goal activity's type name (``CodexActivities.run_goal``).
RUN_GOAL_ACTIVITY = "run_codex_goal"

#: The decisions a person (or service) can give a command or file-change approval.
ApprovalDecisionName = Literal["accept", "acceptForSession", "decline", "cancel"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TurnOptions(_Model):
    """How the turn runs on the worker's runtime (all optional; the runtime's defaults apply).

    ``approval_mode``: ``"host"`` routes the runtime's approval requests to the workflow
    (see :class:`ApprovalRequest`); ``"auto_review"`` lets the runtime's reviewer decide;
    ``"deny_all"`` refuses every escalation. ``sandbox``: ``"read_only"``,
    ``"workspace_write"`` or ``"full_access"``. ``output_schema``: a JSON schema the final
    answer must match (the parsed JSON is in :attr:`CodexTurnResult.parsed`). ``effort``,
    ``personality``, ``summary``, ``service_tier``: as the turn options of ``run()`` (their
    string values). A test keeps these fields in step with the SDK's option table.
    """

    approval_mode: Literal["host", "auto_review", "deny_all"] = "deny_all"
    sandbox: Literal["read_only", "workspace_write", "full_access"] | None = None
    model: str | None = None
    developer_instructions: str | None = None
    output_schema: dict[str, Any] | None = None
    effort: str | None = None
    personality: str | None = None
    summary: str | None = None
    service_tier: str | None = None
    include_diff: bool = False


class Workspace(_Model):
    """Where the turn works: a directory on the worker, or a git repository it clones.

    With ``git_url``, the worker clones ``git_ref`` (a branch or tag; the default branch
    when ``None``) into ``path`` (relative paths are under the worker's ``--workspace-root``)
    unless that directory already holds a clone, so a retried activity reuses it.
    """

    path: str
    git_url: str | None = None
    git_ref: str | None = None


class CodexTurnInput(_Model):
    """One turn for the ``run_codex_turn`` activity.

    ``thread_id``: the thread to continue (kept by the workflow); ``None`` starts a new
    thread, whose id the activity records in its heartbeat details, so a retry resumes it.
    """

    prompt: str = Field(min_length=1)
    thread_id: str | None = None
    workspace: Workspace | None = None
    options: TurnOptions = TurnOptions()


class CodexGoalInput(_Model):
    """One goal for the ``run_codex_goal`` activity: the runtime works on ``objective``
    over as many turns as it needs (``token_budget`` bounds them) until the goal is
    complete, blocked, over budget or paused. ``thread_id``, ``workspace`` and ``options``
    as for :class:`CodexTurnInput`.
    """

    objective: str = Field(min_length=1)
    token_budget: int | None = Field(default=None, gt=0)
    thread_id: str | None = None
    workspace: Workspace | None = None
    options: TurnOptions = TurnOptions()


class TokenUsage(_Model):
    """A token count breakdown (input, cached input, output, reasoning output, total)."""

    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0
    reasoning_output_tokens: int = 0
    total_tokens: int = 0


class ItemSummary(_Model):
    """One completed item of the turn, reduced to what a workflow usually needs."""

    id: str
    type: str
    text: str | None = None


class TurnProgress(_Model):
    """The activity's heartbeat details: what a retry needs to resume, and how far it got."""

    thread_id: str | None = None
    turn_id: str | None = None
    events: int = 0
    items_completed: int = 0
    waiting_for_approval: bool = False


class CodexTurnResult(_Model):
    """What the ``run_codex_turn`` activity returns.

    ``status``: the runtime's turn status (``completed``, ``interrupted``, ``failed``).
    ``attempt``: the Temporal attempt that produced it (``> 1`` after a retry);
    ``resumed``: the attempt continued an existing thread rather than starting one;
    ``forked_from``: the thread was held by another runtime (a frozen worker), so the
    attempt forked it and ``thread_id`` is the fork (keep it for the next turn);
    ``worker``: the worker's identity. ``diff``: ``git diff`` of the workspace when
    ``TurnOptions.include_diff`` was set and the workspace is a git checkout.
    ``usage``: the tokens of this turn, summed over all its model calls;
    ``thread_usage``: the thread's total as the turn ended.
    ``restored``: the worker has a thread store and brought the thread from it (this
    worker's runtime did not have it: another worker ran the earlier turns);
    ``checkpointed``: the thread was saved to the worker's thread store after the turn.
    ``turns``: how many turns of the task ran (``TaskSpec.followups`` add turns).
    """

    thread_id: str
    turn_id: str
    status: str
    final_response: str | None = None
    error: str | None = None
    usage: TokenUsage | None = None
    thread_usage: TokenUsage | None = None
    items: list[ItemSummary] = []
    parsed: Any = None
    diff: str | None = None
    attempt: int = 1
    resumed: bool = False
    forked_from: str | None = None
    restored: bool = False
    checkpointed: bool = False
    turns: int = 1
    worker: str = ""
    started_at: float = 0.0
    finished_at: float = 0.0


class CodexGoalResult(CodexTurnResult):
    """What the ``run_codex_goal`` activity returns: the goal's logical turn (every runtime
    turn of it, as one ``CodexTurnResult``), and how the goal ended: ``goal_status``
    (``complete``, ``paused``, ``blocked``, ``budgetLimited``, ...), ``goal_tokens_used``
    and ``goal_time_used_s`` (the goal's totals as the runtime counts them).
    """

    objective: str = ""
    goal_status: str | None = None
    goal_tokens_used: int | None = None
    goal_time_used_s: int | None = None


class ApprovalRequest(_Model):
    """An approval the runtime asked for, as the workflow holds it until someone answers.

    ``request_id`` is unique per workflow (the runtime's item id, plus the approval id when
    the runtime sends one); answer it with :class:`ApprovalAnswer`.
    """

    request_id: str
    kind: Literal["command", "file_change"]
    thread_id: str
    turn_id: str
    command: str | None = None
    cwd: str | None = None
    reason: str | None = None
    activity_attempt: int = 1


class ApprovalAnswer(_Model):
    """A decision for one pending :class:`ApprovalRequest`.

    ``answered_by`` is free text for the audit trail (a person, a service). An answer the
    workflow made itself because nobody answered in time has ``timed_out=True``.
    """

    request_id: str
    decision: ApprovalDecisionName
    answered_by: str | None = None
    timed_out: bool = False


class TaskSpec(_Model):
    """One task of a fan-out: a prompt, where it works, how (``key`` names it in results).

    ``followups``: prompts run after ``prompt`` as further turns of the same thread, each
    its own activity (any worker may take it: with a thread store, the worker restores the
    thread the earlier turns left there); the task stops at a turn that does not complete.
    """

    key: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    followups: list[str] = []
    workspace: Workspace | None = None
    options: TurnOptions = TurnOptions()


class GoalSpec(_Model):
    """A goal as a task: ``objective`` (and its ``token_budget``), where it works, how."""

    key: str = Field(min_length=1)
    objective: str = Field(min_length=1)
    token_budget: int | None = Field(default=None, gt=0)
    workspace: Workspace | None = None
    options: TurnOptions = TurnOptions()


class RetrySettings(_Model):
    """The turn activity's Temporal timeouts and retry policy (seconds)."""

    start_to_close_s: float = Field(default=3600.0, gt=0)
    heartbeat_timeout_s: float = Field(default=30.0, gt=0)
    initial_interval_s: float = Field(default=1.0, gt=0)
    maximum_attempts: int = Field(default=5, ge=0)


class CodexTaskInput(_Model):
    """Input of :class:`~openai_codex.temporal.CodexTaskWorkflow`: one task, end to end.

    ``approval_timeout_s``: how long an approval may wait for an answer before the
    fail-closed default (``decline``) applies; ``None`` waits without limit.
    """

    task: TaskSpec
    task_queue: str | None = None
    retry: RetrySettings = RetrySettings()
    approval_timeout_s: float | None = Field(default=3600.0, gt=0)


class CodexGoalTaskInput(_Model):
    """Input of :class:`~openai_codex.temporal.CodexGoalWorkflow`: one goal, end to end
    (``retry`` and ``approval_timeout_s`` as for :class:`CodexTaskInput`)."""

    goal: GoalSpec
    task_queue: str | None = None
    retry: RetrySettings = RetrySettings()
    approval_timeout_s: float | None = Field(default=3600.0, gt=0)


class TaskOutcome(_Model):
    """The recorded end of one task: its result, or the error that stopped it."""

    key: str
    ok: bool
    result: CodexTurnResult | None = None
    error: str | None = None


class FanOutInput(_Model):
    """Input of :class:`~openai_codex.temporal.CodexFanOutWorkflow`.

    ``max_concurrent``: at most this many tasks run at once (each as a child workflow);
    each worker's own ``--max-concurrent-turns`` bounds what one machine takes.
    """

    tasks: list[TaskSpec] = Field(min_length=1)
    max_concurrent: int = Field(default=4, ge=1)
    task_queue: str | None = None
    retry: RetrySettings = RetrySettings()
    approval_timeout_s: float | None = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _unique_keys(self) -> FanOutInput:
        seen: set[str] = set()
        for task in self.tasks:
            if task.key in seen:
                raise ValueError(f"task keys must be unique; {task.key!r} appears twice")
            seen.add(task.key)
        return self


class FanOutResult(_Model):
    """Every task's outcome, in the order given; ``completed`` + ``failed`` = all tasks."""

    outcomes: list[TaskOutcome]
    completed: int
    failed: int
