"""What ``Codex(...)``/``AsyncCodex(...)`` accept: a ``CodexConfig`` or its fields as keywords.

``Codex(cwd="/repo", request_timeout=30)`` is ``Codex(CodexConfig(cwd="/repo",
request_timeout=30))``. Anything else (a dict, both forms at once, an unknown keyword) is a
``TypeError`` at the call that says what is accepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from .config import CodexConfig

if TYPE_CHECKING:
    from collections.abc import Mapping


class CodexConfigFields(TypedDict, total=False):
    """The keyword form of :class:`CodexConfig` (``Codex(**fields)``), for type checkers."""

    codex_bin: str | None
    launch_args_override: tuple[str, ...] | None
    config_overrides: tuple[str, ...]
    cwd: str | None
    env: dict[str, str] | None
    client_name: str
    client_title: str
    client_version: str
    experimental_api: bool
    request_timeout: float | None
    url: str | None
    token: str | None
    token_env: str | None
    token_file: str | None
    max_requests_in_flight: int | None
    max_retries: int


def config_from_arguments(
    owner: str, config: object, fields: Mapping[str, Any]
) -> CodexConfig | None:
    """The ``CodexConfig`` for ``owner(config, **fields)`` (``None``: all defaults)."""
    if config is not None and not isinstance(config, CodexConfig):
        hint = (
            f"{owner}(**your_dict) or {owner}(CodexConfig(**your_dict))"
            if isinstance(config, dict)
            else f"{owner}(CodexConfig(...)) or {owner}(cwd=..., ...)"
        )
        raise TypeError(
            f"{owner}() takes a CodexConfig or CodexConfig's fields as keywords, "
            f"not a {type(config).__name__}: use {hint}"
        )
    if not fields:
        return config
    if config is not None:
        raise TypeError(
            f"{owner}() takes a CodexConfig or keyword fields, not both: "
            f"put {', '.join(sorted(fields))} into the CodexConfig"
        )
    known = CodexConfigFields.__annotations__
    unknown = [name for name in fields if name not in known]
    if unknown:
        import difflib

        name = unknown[0]
        close = difflib.get_close_matches(name, list(known), n=3)
        maybe = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise TypeError(
            f"{owner}() got an unexpected keyword argument {name!r}{maybe} "
            f"(it takes handlers= and CodexConfig's fields: {', '.join(known)})"
        )
    return CodexConfig(**fields)


__all__ = ["CodexConfigFields", "config_from_arguments"]
