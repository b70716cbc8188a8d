"""Helpers shared by the Temporal tests: an in-process worker, unique ids."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from temporalio.client import Client

from openai_codex import CodexConfig
from openai_codex.temporal import CodexActivities, create_worker


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@asynccontextmanager
async def running_worker(
    client: Client,
    task_queue: str,
    config: CodexConfig,
    *,
    identity: str = "in-process",
    **options: Any,
) -> AsyncIterator[CodexActivities]:
    """A worker with the Codex activities and workflows, polling while the block runs."""
    activities = CodexActivities(config, identity=identity, heartbeat_every_s=0.2)
    worker = create_worker(client, task_queue, activities, **options)
    try:
        async with worker:
            yield activities
    finally:
        await activities.close()
