"""Host-side handlers: your code decides every approval and answers the agent's questions.

    python examples/host/handlers.py

``ApprovalMode.host`` routes approvals to the client (wire ``approvalPolicy: "on-request"``,
``approvalsReviewer: "user"``). The handlers below decline a command that removes files,
accept the others, and answer the agent's question. Without a handler the SDK would decline
(fail closed). Runs against the offline model: the runtime and its sandbox are real, the
model's tool calls are scripted.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from openai_codex import ApprovalMode, Codex, Sandbox
from openai_codex.handlers import ApprovalDecision, ServerRequestHandlers
from openai_codex.testing import OfflineModel, Reply
from openai_codex_types import CommandExecutionRequestApprovalParams, ToolRequestUserInputParams


def approve_commands(params: CommandExecutionRequestApprovalParams) -> ApprovalDecision:
    """Decline anything that removes files, accept the rest (the turn goes on either way)."""
    command = params.command or ""
    decision: ApprovalDecision = "decline" if "rm " in command else "accept"
    print(f"approval asked: {command!r} because {params.reason!r} -> {decision}")
    return decision


def answer_questions(params: ToolRequestUserInputParams) -> dict[str, str]:
    """Answer every question with its first option (or 'yes')."""
    answers = {}
    for question in params.questions:
        options = question.options or []
        answers[question.id] = options[0].label if options else "yes"
        print(f"question {question.id!r}: {question.question} -> {answers[question.id]}")
    return answers


def escalated(command: str) -> Reply:
    """The model asks to run ``command`` outside the read-only sandbox."""
    return Reply.function_call(
        "exec_command",
        {
            "cmd": command,
            "sandbox_permissions": "require_escalated",
            "justification": "the task needs it",
            # a plain `bash -c` (not a login shell sourcing your profile), and the runtime
            # waits up to 30 s for the command to exit before answering the model
            "login": False,
            "yield_time_ms": 30_000,
        },
    )


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="codex-host-handlers-"))
    handlers = ServerRequestHandlers(command_approval=approve_commands, user_input=answer_questions)
    with OfflineModel() as model:
        model.enqueue(escalated("touch approved.txt"), Reply.text("Created approved.txt."))
        model.enqueue(escalated("rm -rf build && touch declined.txt"), Reply.text("Skipped it."))
        question = {
            "questions": [
                {
                    "id": "colour",
                    "header": "Colour",
                    "question": "Which colour should the banner be?",
                    "options": [
                        {"label": "blue", "description": "calm"},
                        {"label": "red", "description": "loud"},
                    ],
                }
            ]
        }
        model.enqueue(
            Reply.function_call("request_user_input", question), Reply.text("Blue it is.")
        )
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host,
                sandbox=Sandbox.read_only,
                cwd=str(workdir),
                # the runtime offers request_user_input outside Plan mode only with this flag
                config={"features.default_mode_request_user_input": True},
            )
            for prompt in ("Create approved.txt", "Clean up the build", "Pick a banner colour"):
                result = thread.run(prompt)
                print(f"{prompt!r}: {result.final_response}")
        print(f"approved.txt exists: {(workdir / 'approved.txt').exists()}")
        print(f"declined.txt exists: {(workdir / 'declined.txt').exists()}")
        sent_back = model.response_requests[-1].function_call_outputs[-1]["output"]
        print(f"the model received: {sent_back}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
