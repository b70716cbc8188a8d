"""The offline model's HTTP behaviour, checked with a plain HTTP client (no runtime)."""

from __future__ import annotations

import http.client
import json
import threading
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex.testing import OfflineModel, RecordedRequest, Reply, Usage, config_toml

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def _post(model: OfflineModel, body: dict[str, Any]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", model.port, timeout=10)
    connection.request(
        "POST",
        "/v1/responses",
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Accept": "text/event-stream"},
    )
    return connection.getresponse()


def _events(response: http.client.HTTPResponse) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for block in response.read().decode().split("\n\n"):
        if not block.strip():
            continue
        name, data = block.split("\n", 1)
        event = json.loads(data.removeprefix("data: "))
        assert name == f"event: {event['type']}"
        events.append(event)
    return events


def _prompt(text: str) -> dict[str, Any]:
    return {
        "model": "offline-model",
        "stream": True,
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        ],
    }


def test_text_reply_event_sequence() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.text("abcdef", deltas=3, phase="final_answer"))
        response = _post(model, _prompt("hi"))
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        events = _events(response)
    types = [e["type"] for e in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    assert [e["delta"] for e in events if e["type"] == "response.output_text.delta"] == [
        "ab",
        "cd",
        "ef",
    ]
    done = [e for e in events if e["type"] == "response.output_item.done"]
    assert done[0]["item"]["content"] == [
        {"type": "output_text", "text": "abcdef", "annotations": []}
    ]
    assert done[0]["item"]["phase"] == "final_answer"
    usage = events[-1]["response"]["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_function_call_events() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.function_call("my_tool", {"x": 1}, call_id="call_1"))
        events = _events(_post(model, _prompt("hi")))
    (done,) = [e for e in events if e["type"] == "response.output_item.done"]
    assert done["item"]["type"] == "function_call"
    assert done["item"]["name"] == "my_tool"
    assert done["item"]["call_id"] == "call_1"
    assert json.loads(done["item"]["arguments"]) == {"x": 1}


def test_http_error_body_and_records() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.error(503, "down", code="overloaded", headers={"Retry-After": "1"}))
        response = _post(model, _prompt("hi"))
        assert response.status == 503
        assert response.getheader("Retry-After") == "1"
        body = json.loads(response.read())
        assert body["error"] == {
            "message": "down",
            "type": "server_error",
            "code": "overloaded",
            "param": None,
        }
        (request,) = model.requests
        assert request.path == "/v1/responses"
        assert request.headers["content-type"] == "application/json"
        assert request.last_user_text == "hi"


def test_unknown_path_is_404_and_recorded() -> None:
    with OfflineModel() as model:
        connection = http.client.HTTPConnection("127.0.0.1", model.port, timeout=10)
        connection.request("GET", "/v1/models")
        response = connection.getresponse()
        assert response.status == 404
        response.read()
        connection.request("DELETE", "/v1/responses/resp_1")
        assert connection.getresponse().status == 404
        assert [(r.method, r.path) for r in model.requests] == [
            ("GET", "/v1/models"),
            ("DELETE", "/v1/responses/resp_1"),
        ]
        assert model.response_requests == []


def test_failed_and_cut_short_streams() -> None:
    with OfflineModel() as model:
        model.enqueue(
            Reply.failed("boom", code="server_error"), Reply.cut_short(partial_text="par")
        )
        failed = _events(_post(model, _prompt("a")))
        cut = _events(_post(model, _prompt("b")))
    assert failed[-1]["type"] == "response.failed"
    assert failed[-1]["response"]["error"] == {"code": "server_error", "message": "boom"}
    assert "response.completed" not in [e["type"] for e in cut]
    assert [e["delta"] for e in cut if e["type"] == "response.output_text.delta"] == ["par"]


def test_hang_is_released_and_close_drops_hung_streams() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.hang(), Reply.hang())
        responses: list[BaseException | bytes] = []

        def read_one() -> None:
            try:  # close() may drop the connection before or after the headers
                responses.append(_post(model, _prompt("wait")).read())
            except Exception as exc:
                responses.append(exc)

        first = threading.Thread(target=read_one)
        first.start()
        model.wait_for_requests(1)
        model.release_hangs()
        first.join(timeout=10)
        assert not first.is_alive()
        second = threading.Thread(target=read_one)
        second.start()
        model.wait_for_requests(2)
    second.join(timeout=10)  # close() dropped the second hang
    assert not second.is_alive()
    assert len(responses) == 2
    for outcome in responses:  # an incomplete chunked body: an error, never a completed stream
        assert isinstance(outcome, BaseException) or b"response.completed" not in outcome


def test_queue_matching_default_and_responder() -> None:
    def shout(request: RecordedRequest) -> Reply:
        return Reply.text((request.last_user_text or "").upper())

    with OfflineModel(default=shout) as model:
        model.enqueue(Reply.text("only for b"), when="b")
        model.enqueue(Reply.text("first come"))
        texts = []
        for prompt in ["a", "b", "c"]:
            events = _events(_post(model, _prompt(prompt)))
            texts.append(events[-1]["response"]["output"][0]["content"][0]["text"])
        assert model.pending == 0
    assert texts == ["first come", "only for b", "C"]


def test_wait_for_requests_times_out() -> None:
    with OfflineModel() as model, pytest.raises(TimeoutError):
        model.wait_for_requests(1, timeout=0.05)


def test_concurrent_requests_are_all_served() -> None:
    with OfflineModel() as model:
        results: list[str] = []
        lock = threading.Lock()

        def one(index: int) -> None:
            events = _events(_post(model, _prompt(f"p{index}")))
            with lock:
                results.append(events[-1]["response"]["output"][0]["content"][0]["text"])

        threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert not any(thread.is_alive() for thread in threads)
        assert sorted(results) == sorted(f"Offline model reply to: p{i}" for i in range(8))
        assert len(model.requests) == 8


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_context_manager(backend: str) -> None:
    async def main() -> str:
        async with OfflineModel() as model:
            response = await anyio.to_thread.run_sync(_post, model, _prompt("async"))
            events = _events(response)
            return str(events[-1]["response"]["output"][0]["content"][0]["text"])

    assert anyio.run(main, backend=backend) == "Offline model reply to: async"


def test_codex_home_config(tmp_path: Path) -> None:
    with OfflineModel(model_name="my-model") as model:
        home = model.codex_home(tmp_path / "home")
        config = tomllib.loads((home / "config.toml").read_text())
        assert config["model"] == "my-model"
        provider = config["model_providers"][config["model_provider"]]
        assert provider["base_url"] == model.base_url
        assert provider["wire_api"] == "responses"
        assert provider["request_max_retries"] == provider["stream_max_retries"] == 0
        temporary = model.codex_home()
        assert (temporary / "config.toml").exists()
        assert model.env(tmp_path / "other") == {"CODEX_HOME": str(tmp_path / "other")}
    assert not temporary.exists()  # temporary homes are removed on close
    assert home.exists()  # a home you chose is yours
    text = config_toml("http://127.0.0.1:1/v1", stream_idle_timeout_ms=1000)
    assert tomllib.loads(text)["model_providers"]["offline"]["stream_idle_timeout_ms"] == 1000


def test_not_started_and_closed_errors() -> None:
    model = OfflineModel()
    with pytest.raises(RuntimeError, match="not started"):
        _ = model.base_url
    model.start()
    model.close()
    with pytest.raises(RuntimeError, match="closed"):
        model.start()


def test_bounded_recording_keeps_counting() -> None:
    with OfflineModel(max_recorded_requests=2) as model:
        for prompt in ["a", "b", "c"]:
            _events(_post(model, _prompt(prompt)))
        assert model.request_count == 3
        assert [r.last_user_text for r in model.requests] == ["b", "c"]
        assert len(model.wait_for_requests(3, timeout=1)) == 2
        model.clear_requests()
        assert model.requests == []
        assert model.request_count == 3


def test_a_raising_responder_becomes_http_500_and_is_kept() -> None:
    def broken(request: RecordedRequest) -> Reply:
        raise ValueError("bug in the test")

    with OfflineModel(default=broken) as model:
        response = _post(model, _prompt("x"))
        assert response.status == 500
        assert "bug in the test" in json.loads(response.read())["error"]["message"]
        (error,) = model.errors
        assert isinstance(error, ValueError)


def test_bad_replies_are_refused_where_they_are_written() -> None:
    with OfflineModel() as model:
        with pytest.raises(TypeError, match="must be a Reply"):
            model.enqueue("hello")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="when= must be"):
            model.enqueue(Reply.text("x"), when=3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be a Reply"):
            model.set_default(None)  # type: ignore[arg-type]
        assert model.pending == 0
    with pytest.raises(TypeError, match="must be a Reply"):
        OfflineModel(default="hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MessageOutput text must be a str"):
        Reply.text(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Reply outputs must be"):
        Reply.outputs_of(["text"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="delay must be >= 0"):
        Reply.text("x", delay=-1)
    with pytest.raises(ValueError, match="status must be 400-599"):
        Reply.error(200)


def test_a_responder_returning_no_reply_becomes_http_500() -> None:
    def forgot_return(request: RecordedRequest) -> Reply:
        return "oops"  # type: ignore[return-value]

    with OfflineModel(default=forgot_return) as model:
        response = _post(model, _prompt("x"))
        assert response.status == 500
        assert "not a Reply" in json.loads(response.read())["error"]["message"]
        (error,) = model.errors
        assert isinstance(error, TypeError)


def test_a_matcher_may_read_the_model() -> None:
    with OfflineModel() as model:
        # The matcher runs under the model's lock; reading the model from it must not deadlock.
        model.enqueue(Reply.text("second"), when=lambda r: len(model.requests) == 2)
        first = _events(_post(model, _prompt("a")))
        second = _events(_post(model, _prompt("b")))
        assert model.pending == 0
    assert first[-1]["response"]["output"][0]["content"][0]["text"] == "Offline model reply to: a"
    assert second[-1]["response"]["output"][0]["content"][0]["text"] == "second"


def test_a_reply_that_cannot_be_written_drops_the_stream_and_is_kept() -> None:
    class BrokenUsage(Usage):
        def to_wire(self) -> dict[str, Any]:
            raise RuntimeError("cannot write usage")

    with OfflineModel() as model:
        model.enqueue(Reply.text("x", usage=BrokenUsage()))
        with pytest.raises(http.client.HTTPException):  # an unterminated chunked body
            _post(model, _prompt("x")).read()
        (error,) = model.errors
        assert isinstance(error, RuntimeError)
    with pytest.raises(ValueError, match="unknown Reply kind"):
        Reply(kind="nonsense")  # type: ignore[arg-type]
