"""The glue between a client's threads and its hook server (the core calls one function)."""

from __future__ import annotations

from typing import Any

from ._config import thread_config
from ._registry import Hooks
from ._server import hook_server_of

__all__ = ["check_hooks", "install_hooks"]


def check_hooks(hooks: object, where: str) -> Hooks | None:
    """``hooks`` if it is a ``Hooks`` (or ``None``), else a ``TypeError`` for ``where``."""
    if hooks is None or isinstance(hooks, Hooks):
        return hooks
    raise TypeError(
        f"{where}: hooks must be an openai_codex.hooks.Hooks (register functions with "
        f"@hooks.pre_tool_use(...) and friends); got {hooks!r}"
    )


async def install_hooks(owner: Any, client_hooks: Hooks | None, options: dict[str, Any]) -> None:
    """Put the relay hooks of ``client_hooks`` and ``options["hooks"]`` (the thread's) into
    ``options["config"]``, starting ``owner``'s hook server on first use."""
    thread_hooks = check_hooks(options.get("hooks"), "thread")
    registrations = [*(client_hooks or ()), *(thread_hooks or ())]
    if not registrations:
        return
    server = hook_server_of(owner)
    await server.start()
    relays = [server.relay_hook(r) for r in registrations]
    options["config"] = thread_config(relays, options.get("config"))
