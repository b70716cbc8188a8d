"""Approvals across hours, the activity's side: the runtime's question goes to the workflow.

:class:`WorkflowApprovalRoute` builds the ``ServerRequestHandlers`` of a turn that runs
with ``approval_mode="host"``: each command or file-change approval becomes the update
:data:`~openai_codex.temporal.approvals.REQUEST_APPROVAL` on the workflow that scheduled
the activity, and the handler waits for its result however long it takes (the activity
keeps heartbeating meanwhile). If the workflow cannot be reached, the handler raises and
the SDK's fail-closed default (``decline``) answers the runtime.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from openai_codex.handlers import ServerRequestHandlers

from .approvals import REQUEST_APPROVAL
from .models import ApprovalAnswer, ApprovalDecisionName, ApprovalRequest

if TYPE_CHECKING:
    from temporalio.client import Client

    from openai_codex_types import (
        CommandExecutionRequestApprovalParams,
        FileChangeRequestApprovalParams,
    )


class WorkflowApprovalRoute:
    """Sends a turn's approval requests to one workflow and returns its answers.

    ``on_wait(True/False)`` is told when a request starts and stops waiting (the
    activity's heartbeat details show it).
    """

    def __init__(
        self,
        client: Client,
        workflow_id: str,
        run_id: str | None,
        *,
        attempt: int,
        on_wait: Callable[[bool], None],
    ) -> None:
        self._client = client
        self._workflow_id = workflow_id
        self._run_id = run_id
        self._attempt = attempt
        self._on_wait = on_wait

    def handlers(self) -> ServerRequestHandlers:
        """Handlers for ``thread_start``/``thread_resume``: no handler time limit (the
        workflow's approval timeout decides)."""
        return ServerRequestHandlers(
            command_approval=self.command_approval,
            file_change_approval=self.file_change_approval,
            timeout=None,
        )

    async def command_approval(
        self, params: CommandExecutionRequestApprovalParams
    ) -> ApprovalDecisionName:
        """Ask the workflow whether the command may run."""
        key = (
            params.item_id
            if params.approval_id is None
            else f"{params.item_id}/{params.approval_id}"
        )
        request = ApprovalRequest(
            request_id=key,
            kind="command",
            thread_id=params.thread_id,
            turn_id=params.turn_id,
            command=params.command,
            cwd=None if params.cwd is None else str(params.cwd),
            reason=params.reason,
            activity_attempt=self._attempt,
        )
        return await self._ask(request)

    async def file_change_approval(
        self, params: FileChangeRequestApprovalParams
    ) -> ApprovalDecisionName:
        """Ask the workflow whether the file change may be applied."""
        request = ApprovalRequest(
            request_id=params.item_id,
            kind="file_change",
            thread_id=params.thread_id,
            turn_id=params.turn_id,
            cwd=params.grant_root,
            reason=params.reason,
            activity_attempt=self._attempt,
        )
        return await self._ask(request)

    async def _ask(self, request: ApprovalRequest) -> ApprovalDecisionName:
        handle = self._client.get_workflow_handle(self._workflow_id, run_id=self._run_id)
        self._on_wait(True)
        try:
            answer: ApprovalAnswer = await handle.execute_update(
                REQUEST_APPROVAL, request, result_type=ApprovalAnswer
            )
        finally:
            self._on_wait(False)
        return answer.decision
