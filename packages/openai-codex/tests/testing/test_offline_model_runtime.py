"""The offline model drives the REAL runtime (`codex app-server`), without the facade."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from openai_codex.testing import OfflineModel, Reply, Usage

FIXTURES = Path(__file__).parent / "fixtures"


def _keep_fixture(name: str, app_server: Any) -> None:
    """Save this real turn's notification lines for other tests (types, facade) to replay.

    Written only with OFFLINE_MODEL_WRITE_FIXTURES=1; otherwise the committed file is checked.
    """
    path = FIXTURES / name
    if os.environ.get("OFFLINE_MODEL_WRITE_FIXTURES") == "1":
        lines = [line for line in app_server.raw_lines if '"method"' in line]
        path.write_text("".join(lines), encoding="utf-8")
    methods = [json.loads(line)["method"] for line in path.read_text().splitlines()]
    assert methods[-1] == "turn/completed"
    assert "turn/started" in methods


def _methods(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("method")) for m in messages if "method" in m]


def _params(messages: list[dict[str, Any]], method: str) -> list[dict[str, Any]]:
    return [m["params"] for m in messages if m.get("method") == method]


def _completed_items(messages: list[dict[str, Any]], item_type: str) -> list[dict[str, Any]]:
    return [
        p["item"] for p in _params(messages, "item/completed") if p["item"]["type"] == item_type
    ]


def test_text_reply_streams_as_deltas(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(Reply.text("Hello from the offline model", deltas=4))
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "Say hello")

    deltas = [p["delta"] for p in _params(messages, "item/agentMessage/delta")]
    assert len(deltas) == 4
    assert "".join(deltas) == "Hello from the offline model"
    (agent,) = _completed_items(messages, "agentMessage")
    assert agent["text"] == "Hello from the offline model"
    turn = _params(messages, "turn/completed")[0]["turn"]
    assert turn["status"] == "completed"
    assert turn["error"] is None
    usage = _params(messages, "thread/tokenUsage/updated")[-1]["tokenUsage"]["last"]
    assert usage["inputTokens"] == 10
    assert usage["outputTokens"] == 5  # the default: one token per word

    (request,) = model.requests
    assert request.method == "POST"
    assert request.path == "/v1/responses"
    assert request.headers["accept"] == "text/event-stream"
    assert request.body["stream"] is True
    assert request.body["model"] == "offline-model"
    assert request.last_user_text == "Say hello"
    assert request.thread_id == thread_id
    assert request.turn_id == turn["id"]
    assert "exec_command" in request.tool_names
    assert "web_search" not in [t.get("type") for t in request.body["tools"]]

    _keep_fixture("text_turn_notifications.jsonl", app_server)


def test_phase_reasoning_and_usage(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(
        Reply.text(
            "The answer is 42.",
            phase="final_answer",
            reasoning="Thinking about the question",
            usage=Usage(input_tokens=123, output_tokens=7, reasoning_output_tokens=3),
        )
    )
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "What is the answer?")

    (agent,) = _completed_items(messages, "agentMessage")
    assert agent["text"] == "The answer is 42."
    assert agent["phase"] == "final_answer"
    (reasoning,) = _completed_items(messages, "reasoning")
    assert reasoning["summary"] == ["Thinking about the question"]
    summary_deltas = _params(messages, "item/reasoning/summaryTextDelta")
    assert "".join(p["delta"] for p in summary_deltas) == "Thinking about the question"
    usage = _params(messages, "thread/tokenUsage/updated")[-1]["tokenUsage"]["last"]
    assert (usage["inputTokens"], usage["outputTokens"], usage["reasoningOutputTokens"]) == (
        123,
        7,
        3,
    )


def test_function_call_output_is_sent_back(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(
        Reply.shell("echo offline-tool-ran", call_id="call_echo"),
        Reply.text("The command printed offline-tool-ran."),
    )
    thread_id = app_server.start_thread(sandbox="danger-full-access", approvalPolicy="never")
    messages = app_server.run_turn(thread_id, "Run echo")

    assert _params(messages, "turn/completed")[0]["turn"]["status"] == "completed"
    first, second = model.response_requests
    assert first.function_call_outputs == []
    (output,) = second.function_call_outputs
    assert output["call_id"] == "call_echo"
    assert "offline-tool-ran" in json.dumps(output["output"])
    (command,) = _completed_items(messages, "commandExecution")
    assert "echo offline-tool-ran" in command["command"]
    _keep_fixture("function_call_turn_notifications.jsonl", app_server)
    (agent,) = _completed_items(messages, "agentMessage")
    assert agent["text"] == "The command printed offline-tool-ran."


def test_http_error_fails_the_turn(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(Reply.error(500, "scripted outage"))
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "Hello?")

    turn = _params(messages, "turn/completed")[0]["turn"]
    assert turn["status"] == "failed"
    assert turn["error"]["codexErrorInfo"] == "internalServerError"
    assert "error" in _methods(messages)
    assert len(model.response_requests) == 1  # retries are off
    _keep_fixture("failed_turn_notifications.jsonl", app_server)


def test_response_failed_fails_the_turn(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(Reply.failed("model exploded"))
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "Hello?")
    turn = _params(messages, "turn/completed")[0]["turn"]
    assert turn["status"] == "failed"
    assert "model exploded" in json.dumps(turn["error"])


def test_cut_short_stream_fails_the_turn(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(Reply.cut_short(partial_text="Half an ans", deltas=2))
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "Hello?")
    deltas = [p["delta"] for p in _params(messages, "item/agentMessage/delta")]
    assert "".join(deltas) == "Half an ans"
    turn = _params(messages, "turn/completed")[0]["turn"]
    assert turn["status"] == "failed"
    assert "stream closed before response.completed" in turn["error"]["message"]


def test_hang_keeps_the_turn_running_until_interrupted(
    model: OfflineModel, app_server: Any
) -> None:
    model.enqueue(Reply.hang(partial_text="Working on it"))
    thread_id = app_server.start_thread()
    turn = app_server.request(
        "turn/start", {"threadId": thread_id, "input": [{"type": "text", "text": "Go"}]}
    )["turn"]
    # The partial text arrives, then nothing: wait for the delta, then interrupt.
    while True:
        message = app_server.next_message()
        if message.get("method") == "item/agentMessage/delta":
            assert message["params"]["delta"] == "Working on it"
            break
    app_server.request("turn/interrupt", {"threadId": thread_id, "turnId": turn["id"]})
    completed = [m for m in app_server.pending if m.get("method") == "turn/completed"]
    while not completed:
        message = app_server.next_message()
        if message.get("method") == "turn/completed":
            completed.append(message)
    assert completed[0]["params"]["turn"]["status"] == "interrupted"


def test_default_reply_quotes_the_prompt(model: OfflineModel, app_server: Any) -> None:
    thread_id = app_server.start_thread()
    messages = app_server.run_turn(thread_id, "ping")
    (agent,) = _completed_items(messages, "agentMessage")
    assert agent["text"] == "Offline model reply to: ping"


def test_queued_reply_matching_by_prompt(model: OfflineModel, app_server: Any) -> None:
    model.enqueue(Reply.text("for B"), when="question B")
    model.enqueue(Reply.text("for A"), when="question A")
    thread_id = app_server.start_thread()
    first = app_server.run_turn(thread_id, "question A")
    second = app_server.run_turn(thread_id, "question B")
    assert _completed_items(first, "agentMessage")[0]["text"] == "for A"
    assert _completed_items(second, "agentMessage")[0]["text"] == "for B"
    assert model.pending == 0
    # The second request carries the whole conversation so far.
    assert model.response_requests[1].user_texts[-2:] == ["question A", "question B"]
    assert model.response_requests[1].input[-2]["role"] == "assistant"
