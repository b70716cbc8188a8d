"""Usage: per-turn vs thread tokens on TurnResult, events outside turns, a token budget."""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, InvalidRequestError
from openai_codex.events import AccountRateLimitsUpdatedEvent, ThreadTokenUsageUpdatedEvent
from openai_codex.testing import OfflineModel, Reply, Usage


def test_turn_usage_is_the_sum_of_its_model_calls(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(
        Reply.text("first", usage=Usage(100, 10)),
        dataclasses.replace(Reply.shell("echo hi"), usage=Usage(200, 20, cached_input_tokens=50)),
        Reply.text("second", usage=Usage(300, 30)),
    )
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        first = thread.run("one")
        assert first.turn_usage is not None
        assert first.turn_usage.total_tokens == 110
        second = thread.run("two")  # two model calls: the shell call, then the answer
        assert second.turn_usage is not None
        assert second.usage is not None
        assert second.thread_usage is not None
        assert second.usage.last.total_tokens == 330  # the last call only
        assert second.turn_usage.total_tokens == 220 + 330
        assert second.turn_usage.input_tokens == 500
        assert second.turn_usage.cached_input_tokens == 50
        assert second.thread_usage.total_tokens == 110 + 220 + 330
        with pytest.raises(InvalidRequestError, match="authentication required"):
            codex.rate_limits()
        with pytest.raises(InvalidRequestError, match="authentication required"):
            codex.account_usage(thread_id=thread.id)


def test_a_client_side_token_budget_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    budget = 1_000
    model.enqueue(
        dataclasses.replace(Reply.shell("echo step"), usage=Usage(1_500, 50)),
        Reply.hang(),
    )
    with Codex(model_config) as codex:
        handle = codex.thread_start().turn("a long task")
        for ev in handle.stream():
            if (
                ev.method == "thread/tokenUsage/updated"
                and ev.payload.token_usage.total.total_tokens > budget
            ):
                handle.interrupt()
        result = handle.run()
        assert result.status.value == "interrupted"
        assert result.thread_usage is not None
        assert result.thread_usage.total_tokens == 1_550


@pytest.mark.anyio
async def test_events_outside_turns_async(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("hi", usage=Usage(7, 3)))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            async with await codex.events(
                "account/rateLimits/updated", "thread/tokenUsage/updated", thread_id=None
            ) as stream:
                await thread.run("hello")
                seen = [await stream.next(timeout=10), await stream.next(timeout=10)]
                kinds = {type(ev) for ev in seen}
                assert kinds == {AccountRateLimitsUpdatedEvent, ThreadTokenUsageUpdatedEvent}
                usage = next(ev for ev in seen if isinstance(ev, ThreadTokenUsageUpdatedEvent))
                assert usage.payload.token_usage.total.total_tokens == 10
                with pytest.raises(TimeoutError):
                    await stream.next(timeout=0.2)
            with pytest.raises(StopAsyncIteration):
                await stream.next()
            only_other = await codex.events("thread/tokenUsage/updated", thread_id="other-thread")
            model.enqueue(Reply.text("again"))
            await thread.run("again")
            with pytest.raises(TimeoutError):
                await only_other.next(timeout=0.2)
            await only_other.close()


def test_events_sync(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("hi"))
    with Codex(model_config) as codex:
        stream = codex.events("turn/completed")
        codex.thread_start().run("x")
        with stream:
            ev = next(iter(stream))
            assert ev.method == "turn/completed"
            assert ev.payload.turn.status.value == "completed"
        assert list(stream) == []


def test_rate_limit_figures_from_the_model_service(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    """The runtime reads the service's rate-limit headers into ``account/rateLimits/updated``."""
    model.enqueue(
        Reply.text("hi").with_headers(
            {
                "x-codex-primary-used-percent": "42.5",
                "x-codex-primary-window-minutes": "300",
                "x-codex-primary-reset-at": "1798761600",
                "x-codex-secondary-used-percent": "7",
                "x-codex-secondary-window-minutes": "10080",
            }
        )
    )
    with Codex(model_config) as codex, codex.events("account/rateLimits/updated") as stream:
        codex.thread_start().run("hello")
        windows = None
        while windows is None or windows.primary is None:
            event = stream.next(timeout=10)
            assert isinstance(event, AccountRateLimitsUpdatedEvent)
            windows = event.payload.rate_limits
        assert windows.primary.used_percent == 43  # whole percents, rounded
        assert windows.primary.resets_at == 1798761600
        assert windows.primary.window_duration_mins == 300
        assert windows.secondary is not None
        assert windows.secondary.used_percent == 7
        assert windows.secondary.window_duration_mins == 10080


def test_reply_headers_are_checked() -> None:
    with pytest.raises(TypeError, match="header"):
        Reply.text("hi").with_headers({"x-a": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="line breaks"):
        Reply.text("hi").with_headers({"x-a": "1\r\nx-b: 2"})


class _ChatgptBackend:
    """A loopback stand-in for the ChatGPT backend the runtime asks for rate limits and
    usage (``chatgpt_base_url``): fixed JSON for ``/wham/usage`` and ``/wham/profiles/me``
    in the shapes runtime 0.163.0 decodes; every path asked is recorded."""

    USAGE: ClassVar[dict[str, Any]] = {
        "plan_type": "plus",
        "rate_limit": {
            "allowed": True,
            "limit_reached": False,
            "primary_window": {
                "used_percent": 42,
                "limit_window_seconds": 18_000,
                "reset_after_seconds": 600,
                "reset_at": 1_800_000_000,
            },
            "secondary_window": {
                "used_percent": 7,
                "limit_window_seconds": 604_800,
                "reset_after_seconds": 6_000,
                "reset_at": 1_800_500_000,
            },
        },
        "credits": {"has_credits": True, "unlimited": False, "balance": "5.39"},
    }
    PROFILE: ClassVar[dict[str, Any]] = {
        "stats": {
            "lifetime_tokens": 12_345,
            "peak_daily_tokens": 500,
            "current_streak_days": 3,
            "longest_streak_days": 9,
            "longest_running_turn_sec": 120,
        }
    }

    def __init__(self) -> None:
        routes = {
            "/backend-api/wham/usage": self.USAGE,
            "/backend-api/wham/profiles/me": self.PROFILE,
        }
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                paths.append(path)
                body = routes.get(path)
                data = json.dumps(body if body is not None else {"error": "no route"}).encode()
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/backend-api/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


def _chatgpt_login(home: Path) -> None:
    """An ``auth.json`` as after a ChatGPT login (unsigned tokens: nothing checks them here)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {
        "email": "me@example.com",
        "exp": int(time.time()) + 3_600,
        "https://api.openai.com/auth": {
            "chatgpt_account_id": "account-1",
            "chatgpt_plan_type": "plus",
            "chatgpt_user_id": "user-1",
        },
    }
    token = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.signature"
    (home / "auth.json").write_text(
        json.dumps(
            {
                "auth_mode": "chatgpt",
                "OPENAI_API_KEY": None,
                "tokens": {
                    "id_token": token,
                    "access_token": token,
                    "refresh_token": "refresh",
                    "account_id": "account-1",
                },
                "last_refresh": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
        )
    )


def test_rate_limits_and_account_usage_succeed_against_a_loopback_backend(
    model: OfflineModel, workdir: Path
) -> None:
    """The success paths: the runtime, logged in with ChatGPT tokens, asks the backend at
    ``chatgpt_base_url`` (a loopback stand-in), and the SDK hands back the typed figures."""
    backend = _ChatgptBackend()
    try:
        _chatgpt_login(model.codex_home())
        config = model.codex_config(
            cwd=str(workdir), config_overrides=(f'chatgpt_base_url="{backend.base_url}"',)
        )
        with Codex(config) as codex:
            limits = codex.rate_limits()
            usage = codex.account_usage()
    finally:
        backend.close()
    snapshot = limits.rate_limits
    assert str(snapshot.plan_type.value) == "plus"
    assert snapshot.primary is not None
    assert snapshot.primary.used_percent == 42
    assert snapshot.primary.window_duration_mins == 300
    assert snapshot.primary.resets_at == 1_800_000_000
    assert snapshot.secondary is not None
    assert snapshot.secondary.window_duration_mins == 7 * 24 * 60
    assert snapshot.credits is not None
    assert snapshot.credits.balance == "5.39"
    assert usage.summary.lifetime_tokens == 12_345
    assert usage.summary.longest_streak_days == 9
    assert "/backend-api/wham/usage" in backend.paths
    assert "/backend-api/wham/profiles/me" in backend.paths
