"""Approvals across hours, the workflow's side: pending requests wait for an answer.

The turn activity turns each approval request of the runtime into the workflow update
:data:`REQUEST_APPROVAL` and waits (heartbeating) for its result. The workflow keeps the
request in an :class:`ApprovalDesk` until a person or service answers it with the update
:data:`ANSWER_APPROVAL`, or until the desk's timeout, when the fail-closed default
(``decline``) applies. :data:`PENDING_APPROVALS` (a query) lists what waits for an answer,
:data:`APPROVAL_LOG` (a query) every answer given. Workflow code only: deterministic, no I/O.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from .models import ApprovalAnswer, ApprovalRequest

#: Update the activity sends for each approval request; its result is the answer.
REQUEST_APPROVAL = "codex_request_approval"
#: Update a person or service sends to answer a pending request (an ``ApprovalAnswer``).
ANSWER_APPROVAL = "codex_answer_approval"
#: Query: the pending ``ApprovalRequest`` list.
PENDING_APPROVALS = "codex_pending_approvals"
#: Query: every ``ApprovalAnswer`` given so far (timeouts included), in order.
APPROVAL_LOG = "codex_approval_log"

#: Who answered when nobody did in time.
FAIL_CLOSED_ANSWERER = "fail-closed default (approval timeout)"


class ApprovalDesk:
    """Pending approvals of one workflow and the answers given (workflow-side state).

    ``timeout_s``: how long a request waits for an answer before it is declined; ``None``
    waits without limit. A request id asked twice (a retried activity asking again) gets
    the answer already given.
    """

    def __init__(self, timeout_s: float | None) -> None:
        self.timeout_s = timeout_s
        self._pending: dict[str, ApprovalRequest] = {}
        self._answers: dict[str, ApprovalAnswer] = {}
        self._log: list[ApprovalAnswer] = []

    async def request(self, request: ApprovalRequest) -> ApprovalAnswer:
        """Hold ``request`` until it is answered or times out; return the answer."""
        key = request.request_id
        if key in self._answers:
            return self._answers[key]
        self._pending[key] = request
        try:
            await workflow.wait_condition(
                lambda: key in self._answers,
                timeout=self.timeout_s,
                timeout_summary=f"approval {key}",
            )
        except asyncio.TimeoutError:
            self._record(
                ApprovalAnswer(
                    request_id=key,
                    decision="decline",
                    answered_by=FAIL_CLOSED_ANSWERER,
                    timed_out=True,
                )
            )
        finally:
            self._pending.pop(key, None)
        return self._answers[key]

    def validate_answer(self, answer: ApprovalAnswer) -> None:
        """Refuse (before it enters history) an answer to no pending request."""
        if answer.request_id not in self._pending:
            pending = ", ".join(sorted(self._pending)) or "none"
            raise ValueError(
                f"no pending approval request {answer.request_id!r} (pending: {pending})"
            )

    def answer(self, answer: ApprovalAnswer) -> None:
        """Record a person's (or service's) answer; the waiting request returns it."""
        if answer.request_id in self._pending and answer.request_id not in self._answers:
            self._record(answer)

    def pending(self) -> list[ApprovalRequest]:
        """The requests waiting for an answer, oldest first."""
        return list(self._pending.values())

    def log(self) -> list[ApprovalAnswer]:
        """Every answer recorded, in order."""
        return list(self._log)

    def _record(self, answer: ApprovalAnswer) -> None:
        self._answers[answer.request_id] = answer
        self._log.append(answer)
