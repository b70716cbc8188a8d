"""The low-level sync client (the published SDK's module path).

``CodexClient`` is ``AsyncCodexClient`` without ``await``: one typed method per request of
the pinned runtime, ``request``, ``notify`` and the notifications of no turn.
``Codex.client`` is one on a running client::

    with Codex() as codex:
        status = codex.client.mcp_server_status_list()
"""

from __future__ import annotations

from typing import Any

from ._core.config import CodexConfig
from ._core.connection.notifications import Notification
from ._core.lowlevel.client import ApprovalHandler
from ._sync.lowlevel import CodexClient

__all__ = ["ApprovalHandler", "CodexClient", "CodexConfig", "Notification"]


def __getattr__(name: str) -> Any:
    # the other names the published module offered (models, errors, helpers), on first access
    if name.startswith("_"):
        raise AttributeError(name)
    from ._sync.published_names import resolve

    value = resolve(__name__, name)
    globals()[name] = value
    return value
