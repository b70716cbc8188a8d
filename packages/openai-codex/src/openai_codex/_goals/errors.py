"""The goal errors (re-exported by ``openai_codex.errors``)."""

from __future__ import annotations

from openai_codex_transport import CodexError, InvalidRequestError


class GoalsUnavailableError(InvalidRequestError):
    """The runtime cannot pursue a goal on this thread: goals are disabled in the
    runtime (``features.goals``), or the thread is ephemeral (goals are stored with
    the thread). An ``InvalidRequestError`` (code -32600), like the runtime's answer."""


class GoalInProgressError(CodexError, RuntimeError):
    """A goal is running on the thread, so the request would race the runtime's own
    turns: a plain ``run()``/``turn()``, a second ``start_goal()``, or a goal started
    while a turn is in progress. Stop the goal first (``pause_goal()``, the goal
    turn's ``interrupt()``, or ``clear_goal()``), or wait for it."""

    def __init__(self, message: str, *, thread_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.thread_id = thread_id


__all__ = ["GoalInProgressError", "GoalsUnavailableError"]
