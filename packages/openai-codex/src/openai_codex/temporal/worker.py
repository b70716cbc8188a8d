"""A Temporal worker running the Codex activities (and workflows) with one local runtime.

One worker process owns one Codex runtime; ``max_concurrent_turns`` bounds how many turns
it runs at once (Temporal's ``max_concurrent_activities``). Start one per machine (or per
capability, each on its own task queue) with ``python -m openai_codex.temporal worker``
or :func:`run_worker`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from openai_codex import CodexConfig
from openai_codex.stores import ThreadStore

from .activities import CodexActivities
from .workflows import CodexFanOutWorkflow, CodexGoalWorkflow, CodexTaskWorkflow

#: Modules the workflow sandbox passes through instead of re-importing per run: the SDK
#: and the wire models are imported once, outside the sandbox (they do no I/O on import).
PASSTHROUGH_MODULES = ("openai_codex", "openai_codex_types", "openai_codex_transport", "pydantic")

#: The workflows this package defines (register them on at least one worker).
WORKFLOWS: tuple[type, ...] = (CodexTaskWorkflow, CodexGoalWorkflow, CodexFanOutWorkflow)


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandboxed workflow runner with :data:`PASSTHROUGH_MODULES` passed through."""
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    return SandboxedWorkflowRunner(restrictions=restrictions)


async def connect(address: str, *, namespace: str = "default") -> Client:
    """A Temporal client with the pydantic data converter these workflows need."""
    return await Client.connect(
        address, namespace=namespace, data_converter=pydantic_data_converter
    )


def create_worker(
    client: Client,
    task_queue: str,
    activities: CodexActivities,
    *,
    max_concurrent_turns: int = 4,
    workflows: bool = True,
    identity: str | None = None,
    **worker_options: Any,
) -> Worker:
    """A worker on ``task_queue`` running ``activities`` (and this package's workflows
    unless ``workflows=False``). ``client`` must use ``pydantic_data_converter`` (see
    :func:`connect`). Close ``activities`` after the worker stops."""
    if max_concurrent_turns < 1:
        raise ValueError(f"max_concurrent_turns must be at least 1, got {max_concurrent_turns}")
    if client.data_converter.payload_converter_class is not (
        pydantic_data_converter.payload_converter_class
    ):
        raise ValueError(
            "the client must use temporalio.contrib.pydantic.pydantic_data_converter "
            "(openai_codex.temporal.connect() makes one)"
        )
    return Worker(
        client,
        task_queue=task_queue,
        activities=activities.activities(),
        workflows=list(WORKFLOWS) if workflows else [],
        workflow_runner=workflow_runner(),
        max_concurrent_activities=max_concurrent_turns,
        identity=identity or activities.identity,
        **worker_options,
    )


async def run_worker(
    address: str,
    task_queue: str,
    *,
    namespace: str = "default",
    config: CodexConfig | None = None,
    max_concurrent_turns: int = 4,
    workflows: bool = True,
    identity: str | None = None,
    workspace_root: str | Path | None = None,
    heartbeat_every_s: float = 1.0,
    worker_options: dict[str, Any] | None = None,
    on_ready: Callable[[str], None] | None = None,
    store: ThreadStore | None = None,
    checkpoint_every_s: float | None = 30.0,
) -> None:
    """Connect, run a worker until cancelled, then stop the runtime.

    ``on_ready`` is called with the worker's identity just before it starts polling.
    ``store``/``checkpoint_every_s``: the thread store the workers share (see
    :class:`CodexActivities`).
    """
    client = await connect(address, namespace=namespace)
    activities = CodexActivities(
        config,
        identity=identity,
        workspace_root=workspace_root,
        heartbeat_every_s=heartbeat_every_s,
        store=store,
        checkpoint_every_s=checkpoint_every_s,
    )
    options = dict(worker_options or {})
    try:
        await activities.codex()  # start the runtime now: a broken one fails the worker early
        worker = create_worker(
            client,
            task_queue,
            activities,
            max_concurrent_turns=max_concurrent_turns,
            workflows=workflows,
            identity=identity,
            **options,
        )
        if on_ready is not None:
            on_ready(identity or activities.identity)
        await worker.run()
    finally:
        await activities.close()
