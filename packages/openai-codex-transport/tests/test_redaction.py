from __future__ import annotations

from typing import Any

from openai_codex_transport import redact
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


def test_secrets_inside_text() -> None:
    text = "curl -H 'Authorization: Bearer abcdefghijklmnop' key=sk-proj-1234567890abcdef"
    out = redact_text(text)
    assert "abcdefghijklmnop" not in out
    assert "sk-proj-1234567890abcdef" not in out
    assert "Bearer [REDACTED]" in out
