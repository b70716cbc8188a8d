"""How the SDK launches and identifies the Codex runtime."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openai_codex_transport import DEFAULT_MAX_REQUESTS_IN_FLIGHT, DEFAULT_REQUEST_TIMEOUT

from .._version import installed_version

#: overload refusals (-32001) the client itself sends again per request (10 attempts in all)
DEFAULT_MAX_RETRIES = 9


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
    - ``url``: attach to a runtime that is already running instead of spawning one:
      ``ws://HOST:PORT``, ``wss://...``, ``unix://PATH`` (``codex app-server --listen
      unix://PATH``) or ``unix://`` (the control socket under ``$CODEX_HOME``). The spawn
      fields (``codex_bin``, ``launch_args_override``, ``config_overrides``, ``cwd``,
      ``env``) do not apply and are refused with it. Closing the client closes the
      connection, not the runtime; a dropped connection is not re-established.
      ``wss://`` (the runtime behind a TLS-terminating proxy) verifies the certificate
      with the system's trust store; a private CA is trusted via ``SSL_CERT_FILE``.
    - ``token``/``token_env``/``token_file``: the bearer token an attached runtime asks
      for (``--ws-auth capability-token --ws-token-file FILE`` or a signed bearer
      token), given directly, as the name of an environment variable, or as a file
      path; at most one; read when connecting; never shown in a ``repr`` or a log.
    - ``request_timeout``: seconds a request waits for its answer (default 120; ``None``:
      no deadline); past it the call raises ``RequestTimeoutError``. Turns are not
      requests: ``run(timeout=...)`` bounds those.
    - ``max_requests_in_flight``: requests this client has sent and not yet seen answered,
      at the most (default 32; ``None``: unbounded); more wait for a free slot, within
      their deadline. The runtime refuses what overflows its queue with ``-32001``
      (overloaded); such a refusal is retried with backoff within the request's deadline,
      so hundreds of concurrent turns on one client just work.
    - ``max_retries``: how many times the client sends a request again after the runtime
      refused it as overloaded (default 9: at most 10 attempts, with backoff from 50 ms
      up to 2 s, within the request's deadline); ``0`` disables it, so the first refusal
      raises ``ServerBusyError``. Inside ``retry_on_overload(...)`` the client does not
      retry: that function's ``max_attempts`` is the number of requests sent.

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
    url: str | None = None
    token: str | None = None
    token_env: str | None = None
    token_file: str | None = None
    max_requests_in_flight: int | None = DEFAULT_MAX_REQUESTS_IN_FLIGHT
    max_retries: int = DEFAULT_MAX_RETRIES

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ValueError(
                f"max_retries must be a whole number >= 0 (0: no retry); got {self.max_retries!r}"
            )
        from .arguments import check_seconds

        self.request_timeout = check_seconds(self.request_timeout, "request_timeout")
        from openai_codex_transport.connection import check_max_requests_in_flight

        self.max_requests_in_flight = check_max_requests_in_flight(self.max_requests_in_flight)
        sources = [n for n in ("token", "token_env", "token_file") if getattr(self, n) is not None]
        if len(sources) > 1:
            raise ValueError(f"give at most one of token, token_env, token_file; got {sources}")
        if self.url is None:
            if sources:
                raise ValueError(f"{sources[0]} is for an attached runtime: set url too")
            return
        from .connection.attach import check_url

        check_url(self.url)
        spawn = [
            name
            for name, value in (
                ("codex_bin", self.codex_bin),
                ("launch_args_override", self.launch_args_override),
                ("config_overrides", self.config_overrides or None),
                ("cwd", self.cwd),
                ("env", self.env),
            )
            if value is not None
        ]
        if spawn:
            raise ValueError(
                f"{', '.join(spawn)} configure a spawned runtime; "
                "an attached runtime (url=...) takes none of them"
            )

    def __repr__(self) -> str:
        from openai_codex_transport.redaction import redact_argv, redact_mapping

        fields = {
            "codex_bin": self.codex_bin,
            "launch_args_override": None
            if self.launch_args_override is None
            else tuple(_argv_repr(self.launch_args_override, redact_argv)),
            # keys only: an override's value may be a secret under any key
            "config_overrides": tuple(_override_key(o) for o in self.config_overrides),
            "cwd": self.cwd,
            "env": None if self.env is None else _env_repr(self.env, redact_mapping),
            "client_name": self.client_name,
            "client_title": self.client_title,
            "client_version": self.client_version,
            "experimental_api": self.experimental_api,
            "request_timeout": self.request_timeout,
            "max_requests_in_flight": self.max_requests_in_flight,
            "max_retries": self.max_retries,
        }
        if self.url is not None:
            from openai_codex_transport import redact_text

            fields["url"] = redact_text(self.url)
            fields["token"] = None if self.token is None else "[REDACTED]"
            fields["token_env"] = self.token_env
            fields["token_file"] = self.token_file
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


def _override_key(override: str) -> str:
    """``K=V`` of a config override as ``K=[REDACTED]`` (a repr shows no override value)."""
    key, sep, _ = override.partition("=")
    return f"{key.strip()}=[REDACTED]" if sep else "[REDACTED]"


def _argv_repr(argv: tuple[str, ...] | list[str], redact_argv: Any) -> list[str]:
    """A launch argv for a repr: redacted, and every ``--config`` value shown as its key."""
    shown = redact_argv(argv)
    out: list[str] = []
    config_next = False
    for original, text in zip(argv, shown, strict=True):
        if config_next:
            out.append(_override_key(str(original)))
            config_next = False
        elif text in ("-c", "--config"):
            out.append(text)
            config_next = True
        elif text.startswith("--config="):
            out.append("--config=" + _override_key(str(original)[len("--config=") :]))
        else:
            out.append(text)
    return out
