"""The runtime configuration (``$CODEX_HOME/config.toml``) that points Codex at the offline model."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["DEFAULT_MODEL_NAME", "PROVIDER_ID", "config_toml", "write_codex_home"]

DEFAULT_MODEL_NAME = "offline-model"
PROVIDER_ID = "offline"


def _toml_string(value: str) -> str:
    # A JSON string literal is a valid TOML basic string for the characters we write.
    return json.dumps(value)


def config_toml(
    base_url: str,
    *,
    model_name: str = DEFAULT_MODEL_NAME,
    stream_idle_timeout_ms: int | None = None,
) -> str:
    """The ``config.toml`` text: a ``responses`` model provider at ``base_url``, no retries.

    Network features the runtime could otherwise use (web search, update checks,
    analytics, feedback upload, plugin and app syncs) are switched off, so the runtime talks only to
    ``base_url``. The ``shell_snapshot`` feature is off too: with it on, every thread start
    runs a login shell that sources the host's profile (slow, and dependent on the machine).
    """
    lines = [
        "# Written by openai_codex.testing: the model is the offline loopback server.",
        f"model = {_toml_string(model_name)}",
        f"model_provider = {_toml_string(PROVIDER_ID)}",
        'web_search = "disabled"',
        "check_for_update_on_startup = false",
        "",
        f"[model_providers.{PROVIDER_ID}]",
        'name = "Offline model (openai_codex.testing)"',
        f"base_url = {_toml_string(base_url)}",
        'wire_api = "responses"',
        "request_max_retries = 0",
        "stream_max_retries = 0",
    ]
    if stream_idle_timeout_ms is not None:
        lines.append(f"stream_idle_timeout_ms = {int(stream_idle_timeout_ms)}")
    lines += [
        "",
        # start-up plugin/app syncs would otherwise reach public hosts
        "[features]",
        "plugins = false",
        "apps = false",
        "remote_plugin = false",
        "plugin_sharing = false",
        "in_app_updates = false",
        # a login shell sourcing the host's profile on every thread start
        "shell_snapshot = false",
        "",
        "[analytics]",
        "enabled = false",
        "",
        "[feedback]",
        "enabled = false",
        "",
    ]
    return "\n".join(lines)


def write_codex_home(
    home: str | Path,
    base_url: str,
    *,
    model_name: str = DEFAULT_MODEL_NAME,
    stream_idle_timeout_ms: int | None = None,
) -> Path:
    """Create ``home`` (if needed) with a ``config.toml`` from :func:`config_toml`; return it."""
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.toml").write_text(
        config_toml(base_url, model_name=model_name, stream_idle_timeout_ms=stream_idle_timeout_ms),
        encoding="utf-8",
    )
    return path
