"""``InitializeResponse``: what the runtime says about itself in ``initialize``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict


class ServerInfo(BaseModel):
    """The runtime's name and version (derived from its user agent)."""

    name: str | None = None
    version: str | None = None


class InitializeResponse(BaseModel):
    """The runtime's ``initialize`` result.

    Wire fields (``userAgent``, ``codexHome``, ``platformFamily``, ``platformOs``)
    are attributes under their wire names, as in earlier SDK releases, and under
    snake_case names. ``runtime_version`` is the token after the first ``/`` of
    the user agent; ``serverInfo`` is ``codex`` at that version.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    userAgent: str | None = None
    codexHome: str | None = None
    platformFamily: str | None = None
    platformOs: str | None = None
    serverInfo: ServerInfo | None = None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # shown under the snake_case names code should use
        yield "user_agent", self.userAgent
        yield "runtime_version", self.runtime_version
        yield "codex_home", self.codexHome
        yield "platform_family", self.platformFamily
        yield "platform_os", self.platformOs

    @property
    def user_agent(self) -> str | None:
        """The runtime's user agent string (``originator/0.163.0 (Linux; ...) ...``)."""
        return self.userAgent

    @property
    def codex_home(self) -> str | None:
        """The runtime's CODEX_HOME."""
        return self.codexHome

    @property
    def platform_family(self) -> str | None:
        """``unix`` or ``windows``."""
        return self.platformFamily

    @property
    def platform_os(self) -> str | None:
        """The runtime's OS (``linux``, ``macos``, ``windows``)."""
        return self.platformOs

    @property
    def server_info(self) -> ServerInfo | None:
        """``codex`` and its version."""
        return self.serverInfo

    @property
    def runtime_version(self) -> str | None:
        """The runtime's version, from the user agent (``0.163.0``)."""
        return runtime_version_of(self.userAgent)


def runtime_version_of(user_agent: str | None) -> str | None:
    """``"originator/0.163.0 (Linux; x86_64) ..."`` -> ``"0.163.0"``."""
    if not user_agent or "/" not in user_agent:
        return None
    rest = user_agent.split("/", 1)[1].strip()
    token = rest.split(None, 1)[0] if rest else ""
    return token or None


def metadata_from(result: object) -> InitializeResponse:
    raw = result if isinstance(result, dict) else {}
    meta = InitializeResponse.model_validate(raw)
    if meta.serverInfo is None:
        meta.serverInfo = ServerInfo(name="codex", version=meta.runtime_version)
    return meta
