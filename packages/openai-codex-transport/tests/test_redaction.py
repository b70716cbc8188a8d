from __future__ import annotations

from typing import Any

import pytest

from openai_codex_transport import redact, redact_argv, redact_mapping
from openai_codex_transport.redaction import REDACTED, redact_text


def test_secret_members_are_redacted_anywhere() -> None:
    message: dict[str, Any] = {
        "id": 1,
        "method": "account/login/start",
        "params": {
            "type": "apiKey",
            "apiKey": "sk-live-abcdefghijklmnop",
            "nested": [{"accessToken": "abc", "refresh_token": "def", "idToken": "ghi"}],
            "chatgptAuthTokens": {"access": "a", "refresh": "b"},
            "headers": {"Authorization": "Bearer abcdefghijkl"},
        },
    }
    out: dict[str, Any] = redact(message)
    params = out["params"]
    assert params["type"] == "apiKey"
    assert params["apiKey"] == REDACTED
    assert params["nested"][0] == {
        "accessToken": REDACTED,
        "refresh_token": REDACTED,
        "idToken": REDACTED,
    }
    assert params["chatgptAuthTokens"] == {"access": REDACTED, "refresh": REDACTED}
    assert params["headers"]["Authorization"] == REDACTED
    assert message["params"]["apiKey"] == "sk-live-abcdefghijklmnop"  # the original is untouched


def test_usage_figures_are_kept() -> None:
    usage = {"tokenUsage": {"total": {"inputTokens": 5, "outputTokens": 7}}, "maxOutputTokens": 9}
    assert redact(usage) == usage
    figures = {  # numeric fields of the runtime's schema whose names mention tokens
        "tokensUsed": 1,
        "tokenBudget": 2,
        "peakDailyTokens": 3,
        "netNewInputTokens": 4,
        "lifetimeTokens": 5,
        "cacheWriteInputTokens": 6,
        "reasoningOutputTokens": 7,
        "model_auto_compact_token_limit": 8,
    }
    assert redact(figures) == figures
    # while the credentials next to them are masked
    auth = {"tokens": {"id_token": "a", "access_token": "b"}, "sessionToken": "c", "pin": 1}
    assert redact(auth) == {
        "tokens": {"id_token": REDACTED, "access_token": REDACTED},
        "sessionToken": REDACTED,
        "pin": 1,
    }


def test_secrets_inside_text() -> None:
    text = "curl -H 'Authorization: Bearer abcdefghijklmnop' key=sk-proj-1234567890abcdef"
    out = redact_text(text)
    assert "abcdefghijklmnop" not in out
    assert "sk-proj-1234567890abcdef" not in out
    assert "Bearer [REDACTED]" in out


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop", "Authorization: Bearer "),
        ("curl -H 'Authorization: Basic dXNlcjpwYXNz'", "dXNlcjpwYXNz", "Authorization: Basic "),
        ("token is Bearer eyJhbGciOiJI.x", "eyJhbGciOiJI.x", "Bearer "),
        ("OPENAI_API_KEY=sk-proj-abcdef123456 codex", "sk-proj-abcdef123456", "OPENAI_API_KEY="),
        ("ANTHROPIC_API_KEY=abc123", "abc123", "ANTHROPIC_API_KEY="),
        ("export GH_TOKEN=zyx987 && run", "zyx987", "export GH_TOKEN="),
        ("AWS_SECRET=qwerty1;", "qwerty1", "AWS_SECRET="),
        ("PASSWORD=hunter2 next", "hunter2", "PASSWORD="),
        ("DB_PASSWORD='two words'", "two words", "DB_PASSWORD="),
        ('[model_providers.x]\nkey = "tomlsecret"', "tomlsecret", "key = "),
        ("api_key = 'single-quoted'", "single-quoted", "api_key = "),
        ("model_providers.x.api_key=inline1", "inline1", "model_providers.x.api_key="),
        ("GET /cb?token=qs-secret&page=2", "qs-secret", "&page=2"),
        ("wss://h/x?a=1&access_token=acc-secret", "acc-secret", "?a=1&access_token="),
        ("https://h/#id_token=frag-secret", "frag-secret", "#id_token="),
        ("https://alice:s3cr3t@example.com/repo.git", "s3cr3t", "https://alice:"),
        ('error: {"apiKey": "json-secret", "id": 1}', "json-secret", '"apiKey": "'),
        ('{"token": "tok\\"en"}', 'tok\\"en', '"token": "'),
        ("{'refresh_token': 'repr-secret'}", "repr-secret", "'refresh_token': '"),
        ('{"cmd": "curl -H \'Authorization: Bearer nested12345\'"}', "nested12345", '"cmd"'),
        ("key sk-abcdefghijklmnop in text", "sk-abcdefghijklmnop", "key "),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123", "ghp_abcdefghijklmnopqrstuvwxyz0123", ""),
    ],
)
def test_secrets_in_text_are_masked(text: str, secret: str, kept: str) -> None:
    out = redact_text(text)
    assert secret not in out
    assert REDACTED in out
    assert kept in out


@pytest.mark.parametrize(
    "text",
    [
        "Used 1200 tokens (max_tokens=4096, input_tokens=900) of the budget.",
        "sort by key, then by name; the token budget is fine",
        "PATH=/usr/bin:/bin HOME=/home/u PWD=/tmp RUST_LOG=warn",
        "see https://example.com/docs?page=2&author=bob#section",
        'model = "gpt-5"\nname = "ok"\napproval_policy = "on-request"',
        '{"inputTokens": 5, "message": "hello", "tokenUsage": {"total": 7}}',
        "http://host:8080/a@b and user@example.com",
        "2026-12-03T08:56:35Z ERROR codex_app_server: thread not found",
    ],
)
def test_ordinary_text_is_untouched(text: str) -> None:
    assert redact_text(text) == text


def test_redact_mapping_for_env() -> None:
    env = {
        "OPENAI_API_KEY": "sk-a",
        "GITHUB_TOKEN": "t",
        "AWS_SECRET_ACCESS_KEY": "s",
        "PASSWORD": "p",
        "MY_SERVICE_KEY": "k",
        "HOME": "/home/u",
        "TOKENIZERS_PARALLELISM": "false",
        "PROXY_URL": "http://u:pw@proxy:3128",
        "REMOVED": None,
    }
    out = redact_mapping(env)
    assert out == {
        "OPENAI_API_KEY": REDACTED,
        "GITHUB_TOKEN": REDACTED,
        "AWS_SECRET_ACCESS_KEY": REDACTED,
        "PASSWORD": REDACTED,
        "MY_SERVICE_KEY": REDACTED,
        "HOME": "/home/u",
        "TOKENIZERS_PARALLELISM": "false",
        "PROXY_URL": f"http://u:{REDACTED}@proxy:3128",
        "REMOVED": None,
    }
    assert env["OPENAI_API_KEY"] == "sk-a"  # a copy


def test_redact_argv_masks_config_secrets() -> None:
    argv = [
        "/usr/bin/codex",
        "--config",
        'model_providers.acme.api_key="acme-secret"',
        "-c",
        'model="gpt-5"',
        "--config",
        'mcp_servers.db.env={DB_URL="postgres://x"}',
        '--config=model_providers.acme.http_headers={X-Auth="hdr-secret"}',
        "--config",
        "model_auto_compact_token_limit=5000",
        "app-server",
        "--listen",
        "ws://127.0.0.1:1/?token=url-secret",
    ]
    out = redact_argv(argv)
    text = " ".join(out)
    for secret in ("acme-secret", "postgres://x", "hdr-secret", "url-secret"):
        assert secret not in text
    assert out[:2] == ["/usr/bin/codex", "--config"]
    assert out[2] == f"model_providers.acme.api_key={REDACTED}"
    assert out[4] == 'model="gpt-5"'
    assert out[6] == f"mcp_servers.db.env={REDACTED}"
    assert out[9] == "model_auto_compact_token_limit=5000"
    assert out[10:12] == ["app-server", "--listen"]


def test_redact_is_the_facade_compatible_one() -> None:
    """Tuples become lists, non-string secrets are masked too, ``max_string`` truncates."""
    value = {"token": 12345, "flags": ("a", "x" * 50), "hasToken": True, "apiKey": None}
    out = redact(value, max_string=10)
    assert out == {
        "token": REDACTED,
        "flags": ["a", "xxxxxxxxxx...<40 more chars>"],
        "hasToken": True,
        "apiKey": None,
    }


# -- issue 27: secret options on a command line, and the log filter ---------------------------


def test_secret_options_and_their_values_are_masked() -> None:
    from openai_codex_transport.redaction import redact_argv

    text = "codex login --api-key hunter2value --token t0k3n --db-password pw9 --tokens 5"
    shown = redact_text(text)
    for secret in ("hunter2value", "t0k3n", "pw9"):
        assert secret not in shown
    assert "--api-key [REDACTED]" in shown
    assert "--tokens 5" in shown  # a count, not a secret option
    argv = redact_argv(["codex", "--api-key", "hunter2value", "--token", "t0k3n", "-n", "3"])
    assert argv == ["codex", "--api-key", "[REDACTED]", "--token", "[REDACTED]", "-n", "3"]


def test_the_log_filter_redacts_message_arguments_and_traceback() -> None:
    import logging

    from openai_codex_transport.redaction import protect_logger

    secret = "sk-test-filter0secret0123456789"
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    log = protect_logger("openai_codex_transport.test_filter")
    handler = Keep()
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        try:
            raise RuntimeError(f"refused Authorization: Bearer {secret}")
        except RuntimeError as exc:
            log.error("call failed with %s and %r", secret, {"apiKey": secret}, exc_info=exc)
        log.debug("plain %d", 5)
    finally:
        log.removeHandler(handler)
    assert len(seen) == 2
    record = seen[0]
    assert record.exc_info is None  # no raw exception reaches a handler
    formatted = logging.Formatter().format(record)
    assert secret not in formatted
    assert secret not in repr(record.args)
    assert "RuntimeError" in formatted  # the traceback is still there, redacted
    assert seen[1].getMessage() == "plain 5"
