"""``AsyncThread``: starting turns on the async core (``turn/start`` and its params)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel

from openai_codex_transport import TransportClosedError

from ._inputs import RunInput, turn_input_wire
from ._presets import ApprovalMode, Sandbox, approval_wire, turn_sandbox_wire
from ._results import TurnResult
from ._sink import Sink
from ._turn_handle import AsyncTurnHandle
from ._wire import wire_params

if TYPE_CHECKING:
    from openai_codex_types import (
        Personality,
        ReasoningEffort,
        ReasoningSummary,
        ThreadCompactStartResponse,
        ThreadReadResponse,
        ThreadSetNameResponse,
    )

    from ._async_client import AsyncCodex

#: Bound on the ``turn/start`` request, which is shielded from cancellation.
START_TIMEOUT_S = 60.0


def turn_params(
    codex: AsyncCodex,
    thread_id: str,
    input: RunInput,
    *,
    approval_mode: ApprovalMode | None = None,
    cwd: str | None = None,
    effort: Any = None,
    model: str | None = None,
    output_schema: Any = None,
    personality: Any = None,
    sandbox: Sandbox | None = None,
    service_tier: str | None = None,
    source: str | None = None,
    summary: Any = None,
    turn_service_tier: str | None = None,
) -> dict[str, Any]:
    """The ``turn/start`` params for ``Thread.turn()``'s arguments."""
    wire_input, tool_output = turn_input_wire(input)
    params: dict[str, Any] = {"threadId": thread_id, "input": wire_input}
    if tool_output is not None:
        params["toolOutput"] = tool_output
    params.update(approval_wire(approval_mode))
    params.update(
        wire_params(
            {"source": "turnTrigger", "turn_service_tier": "serviceTierForTurn"},
            cwd=cwd,
            effort=effort,
            model=model,
            personality=personality,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
    )
    policy = turn_sandbox_wire(sandbox, codex._sandboxes.known(thread_id))
    if policy is not None:
        params["sandboxPolicy"] = policy
    if output_schema is not None:
        params["outputSchema"] = codex._output_schema_wire(output_schema)
    return params


async def start_turn(
    codex: AsyncCodex, thread_id: str, params: dict[str, Any], *, output_schema: Any = None
) -> AsyncTurnHandle:
    """Send ``turn/start`` and return the handle; no event of the turn is lost."""
    await codex._ensure_started()
    router = codex._router
    sink = Sink()
    turn_id: str | None = None
    span = codex._host.start_turn_span(thread_id, params)
    router.begin_turn_request(thread_id)
    try:
        # Shielded: once sent, the turn exists; we need its id to interrupt it.
        with (
            anyio.CancelScope(shield=True),
            anyio.fail_after(START_TIMEOUT_S),
            codex._host.use_span(span),
        ):
            result = await codex._request("turn/start", params)
        turn = result.get("turn") if isinstance(result, dict) else None
        if not isinstance(turn, dict) or not isinstance(turn.get("id"), str):
            raise TransportClosedError(f"turn/start returned no turn: {result!r}")
        turn_id = turn["id"]
    finally:
        router.end_turn_request(thread_id, turn_id, sink)
    codex._sandboxes.remember(thread_id, params.get("sandboxPolicy"))
    handle = AsyncTurnHandle(codex, thread_id, turn_id, _sink=sink, _output_schema=output_schema)
    codex._host.attach_span(handle, span)
    try:
        await anyio.lowlevel.checkpoint()
    except anyio.get_cancelled_exc_class():
        await handle._interrupt_quietly()
        raise
    return handle


class AsyncThread:
    """A conversation thread: run turns on it."""

    __slots__ = ("_codex", "id")

    def __init__(self, _codex: AsyncCodex, id: str) -> None:
        self._codex = _codex
        self.id = id

    def __repr__(self) -> str:
        return f"AsyncThread(id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AsyncThread) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    async def run(
        self,
        input: RunInput,
        *,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        output_schema: Any = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        source: str | None = None,
        summary: ReasoningSummary | None = None,
        turn_service_tier: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - interrupts the turn
    ) -> TurnResult:
        """Run a turn to completion and return its ``TurnResult``.

        Raises ``TurnFailedError`` if the turn fails and ``TurnTimeoutError`` (after
        interrupting the turn) if ``timeout`` seconds pass first.
        """
        handle = await self.turn(
            input,
            approval_mode=approval_mode,
            cwd=cwd,
            effort=effort,
            model=model,
            output_schema=output_schema,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
        return await handle.run(timeout=timeout)

    async def turn(
        self,
        input: RunInput,
        *,
        approval_mode: ApprovalMode | None = None,
        cwd: str | None = None,
        effort: ReasoningEffort | None = None,
        model: str | None = None,
        output_schema: Any = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        source: str | None = None,
        summary: ReasoningSummary | None = None,
        turn_service_tier: str | None = None,
    ) -> AsyncTurnHandle:
        """Start a turn (or join the thread's active turn) and return its handle.

        Options persist as thread defaults, except ``output_schema`` (this turn only)
        and ``turn_service_tier``. When the thread already has an active turn, the
        input is appended to it: the handle has the same turn id and its own complete
        stream (the turn's events so far, without past text deltas, then everything
        live up to ``turn/completed``), so its ``run()`` has all the turn's items. Other
        handles of the turn are unaffected. A manual compaction turn cannot be joined:
        the runtime rejects the request.
        """
        await self._codex._ensure_started()
        if sandbox is Sandbox.workspace_write:
            await self._codex._sandboxes.ensure_workspace_policy(
                self.id, cwd, partial(self._codex._request, "config/read")
            )
        params = turn_params(
            self._codex,
            self.id,
            input,
            approval_mode=approval_mode,
            cwd=cwd,
            effort=effort,
            model=model,
            output_schema=output_schema,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            source=source,
            summary=summary,
            turn_service_tier=turn_service_tier,
        )
        return await start_turn(self._codex, self.id, params, output_schema=output_schema)

    async def read(self, *, include_turns: bool = False) -> ThreadReadResponse:
        """This thread as stored (``ThreadReadResponse``)."""
        result: ThreadReadResponse = await self._codex._typed(
            "thread/read",
            {"threadId": self.id, "includeTurns": include_turns},
            "ThreadReadResponse",
        )
        return result

    async def set_name(self, name: str) -> ThreadSetNameResponse:
        result: ThreadSetNameResponse = await self._codex._typed(
            "thread/name/set", {"threadId": self.id, "name": name}, "ThreadSetNameResponse"
        )
        return result

    async def compact(self) -> ThreadCompactStartResponse:
        result: ThreadCompactStartResponse = await self._codex._typed(
            "thread/compact/start", {"threadId": self.id}, "ThreadCompactStartResponse"
        )
        return result


__all__ = ["AsyncThread", "AsyncTurnHandle", "start_turn", "turn_params"]
