"""How the SDK launches and identifies the Codex runtime."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openai_codex_transport import DEFAULT_REQUEST_TIMEOUT

from .._version import installed_version


@dataclass(slots=True)
class CodexConfig:
    """Configuration for launching and identifying the local Codex runtime.

    ``Codex()`` and ``AsyncCodex()`` work without one. Fields:

    - ``codex_bin``: a specific ``codex`` executable (must exist); default is the one
      installed with the ``openai-codex-cli-bin`` package.
    - ``launch_args_override``: the complete argv to run instead (advanced).
    - ``config_overrides``: ``"key=value"`` strings, each passed as ``--config key=value``.
    - ``cwd``: working directory of the runtime process.
    - ``env``: variables merged over the parent environment (``CODEX_HOME`` for example).
    - ``client_name``/``client_title``/``client_version``: sent in ``initialize``
      (``client_version`` defaults to ``openai_codex.__version__``).
    - ``experimental_api``: opt in to the runtime's experimental protocol fields.
    - ``request_timeout``: seconds a request waits for its answer (default 120; ``None``:
      no deadline); past it the call raises ``RequestTimeoutError``. Turns are not
      requests: ``run(timeout=...)`` bounds those.

    The ``repr`` hides ``env`` values (all but a few known harmless names such as
    ``CODEX_HOME``) and override values whose key names a secret.
    """

    codex_bin: str | None = None
    launch_args_override: tuple[str, ...] | None = None
    config_overrides: tuple[str, ...] = ()
    cwd: str | None = None
    env: dict[str, str] | None = None
    client_name: str = "codex_python_sdk"
    client_title: str = "Codex Python SDK"
    client_version: str = field(default_factory=installed_version)
    experimental_api: bool = True
    request_timeout: float | None = DEFAULT_REQUEST_TIMEOUT

    def __post_init__(self) -> None:
        from .arguments import check_seconds

        self.request_timeout = check_seconds(self.request_timeout, "request_timeout")

    def __repr__(self) -> str:
        from openai_codex_transport.redaction import redact_argv, redact_mapping

        fields = {
            "codex_bin": self.codex_bin,
            "launch_args_override": None
            if self.launch_args_override is None
            else tuple(redact_argv(self.launch_args_override)),
            "config_overrides": tuple(
                redact_argv(("--config", o))[1] for o in self.config_overrides
            ),
            "cwd": self.cwd,
            "env": None if self.env is None else _env_repr(self.env, redact_mapping),
            "client_name": self.client_name,
            "client_title": self.client_title,
            "client_version": self.client_version,
            "experimental_api": self.experimental_api,
            "request_timeout": self.request_timeout,
        }
        inner = ", ".join(f"{name}={value!r}" for name, value in fields.items())
        return f"CodexConfig({inner})"

    def _child_env(self) -> dict[str, str] | None:
        """Variables to merge over the parent environment for the runtime."""
        return dict(self.env) if self.env else None

    def _initialize_params(self) -> dict[str, object]:
        return {
            "clientInfo": {
                "name": self.client_name,
                "title": self.client_title,
                "version": self.client_version,
            },
            "capabilities": {"experimentalApi": self.experimental_api},
        }


#: ``env`` names whose values a ``repr`` shows (after text redaction); all others are hidden.
_SHOWN_ENV = frozenset({"CODEX_HOME", "HOME", "PATH", "TMPDIR", "RUST_LOG", "LANG", "TZ"})


def _env_repr(env: dict[str, str], redact_mapping: Any) -> dict[str, Any]:
    shown = redact_mapping({k: v for k, v in env.items() if k in _SHOWN_ENV})
    return {k: shown.get(k, "[REDACTED]") for k in env}
