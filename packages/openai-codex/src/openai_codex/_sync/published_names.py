"""Names the published SDK's modules offered besides their main classes, resolved lazily.

The published ``openai_codex.client``, ``async_client`` and ``api`` modules also exposed
the protocol models they used (some as ``V2...Params`` aliases), a few errors, constants and
helpers. ``openai_codex.client``/``async_client`` look such names up here on first access, so
code importing them from there keeps working; nothing is imported until asked for.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._core.client import AsyncCodex
    from .._core.connection.metadata import InitializeResponse
    from .._core.lowlevel.client import AsyncCodexClient
    from .._core.services.login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
    from .generated import ChatgptLoginHandle, DeviceCodeLoginHandle
    from .lowlevel import CodexClient

RUNTIME_PKG_NAME = "openai-codex-cli-bin"
"""The distribution that ships the runtime binary."""

#: published alias -> the params model it names
_V2_ALIASES = {
    "V2GetAccountParams": "GetAccountParams",
    "V2LoginAccountParams": "LoginAccountParams",
    "V2ThreadForkParams": "ThreadForkParams",
    "V2ThreadListParams": "ThreadListParams",
    "V2ThreadResumeParams": "ThreadResumeParams",
    "V2ThreadStartParams": "ThreadStartParams",
    "V2TurnStartParams": "TurnStartParams",
}
#: name -> module (absolute) it comes from
_FROM = {
    "CodexError": "openai_codex.errors",
    "InvalidRequestError": "openai_codex.errors",
    "TransportClosedError": "openai_codex.errors",
    "InitializeResponse": "openai_codex.models",
    "JsonObject": "openai_codex.models",
    "JsonValue": "openai_codex.models",
    "Notification": "openai_codex.models",
    "UnknownNotification": "openai_codex.models",
    "NOTIFICATION_MODELS": "openai_codex.generated.notification_registry",
    "retry_on_overload": "openai_codex.retry",
    "CodexClient": "openai_codex.client",
    "AsyncCodexClient": "openai_codex.async_client",
}


def default_codex_home() -> str:
    """The runtime's home directory: ``$CODEX_HOME`` if set, else ``~/.codex``."""
    return os.environ.get("CODEX_HOME") or str(Path.home() / ".codex")


def validate_initialize_metadata(payload: InitializeResponse) -> InitializeResponse:
    """``payload`` with ``serverInfo`` filled from the user agent if the runtime left it
    out; a ``RuntimeError`` if the runtime reported no user agent, name or version."""
    from .._core.connection.metadata import ServerInfo

    agent = (payload.userAgent or "").strip()
    head, _, rest = agent.partition("/")
    server = payload.serverInfo
    name = ((server.name if server else None) or head).strip()
    version = ((server.version if server else None) or (rest.split() or [""])[0]).strip()
    if not agent or not name or not version:
        raise RuntimeError(
            "the runtime's initialize answer lacks its user agent, name or version "
            f"(userAgent={agent!r}, name={name!r}, version={version!r})"
        )
    payload.serverInfo = ServerInfo(name=name, version=version)
    return payload


def _codex_of(owner: AsyncCodex | AsyncCodexClient) -> AsyncCodex:
    from .._core.lowlevel.client import AsyncCodexClient

    return owner.codex if isinstance(owner, AsyncCodexClient) else owner


async def async_start_chatgpt_login(
    owner: AsyncCodex | AsyncCodexClient,
) -> AsyncChatgptLoginHandle:
    """Start a browser ChatGPT login on ``owner``'s connection (``AsyncCodex.login_chatgpt``)."""
    return await _codex_of(owner).login_chatgpt()


async def async_start_device_code_login(
    owner: AsyncCodex | AsyncCodexClient,
) -> AsyncDeviceCodeLoginHandle:
    """Start a device-code ChatGPT login on ``owner``'s connection."""
    return await _codex_of(owner).login_chatgpt_device_code()


def start_chatgpt_login(client: CodexClient) -> ChatgptLoginHandle:
    """Start a browser ChatGPT login on ``client``'s connection (``Codex.login_chatgpt``)."""
    from .generated import ChatgptLoginHandle

    handle = client._portal.call(client._async.codex.login_chatgpt)
    return ChatgptLoginHandle._wrap(client, handle)  # type: ignore[arg-type]  # has the portal


def start_device_code_login(client: CodexClient) -> DeviceCodeLoginHandle:
    """Start a device-code ChatGPT login on ``client``'s connection."""
    from .generated import DeviceCodeLoginHandle

    handle = client._portal.call(client._async.codex.login_chatgpt_device_code)
    return DeviceCodeLoginHandle._wrap(client, handle)  # type: ignore[arg-type]


#: the helpers above, by name
HELPERS = (
    "RUNTIME_PKG_NAME",
    "async_start_chatgpt_login",
    "async_start_device_code_login",
    "default_codex_home",
    "start_chatgpt_login",
    "start_device_code_login",
    "validate_initialize_metadata",
)


def module_getattr(module: str) -> Any:
    """A module ``__getattr__`` that looks the published module's other names up here on
    first access and caches them in the module."""
    import sys

    def getattr_(name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = resolve(module, name)
        setattr(sys.modules[module], name, value)
        return value

    return getattr_


def resolve(module: str, name: str) -> Any:
    """A published name of ``module`` that is not defined there (``AttributeError`` if none)."""
    if name == "SDK_VERSION":
        from .._version import installed_version

        return installed_version()
    if name in HELPERS:
        return globals()[name]
    source = _FROM.get(name)
    if source is not None and source != module:
        return getattr(import_module(source), name)
    import openai_codex_types

    try:
        return getattr(openai_codex_types, _V2_ALIASES.get(name, name))
    except AttributeError:
        raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
