"""The low-level sync client (the published SDK's module path).

``CodexClient`` is ``AsyncCodexClient`` without ``await``: one typed method per request of
the pinned runtime, ``request``, ``notify`` and the notifications of no turn.
``Codex.client`` is one on a running client::

    with Codex() as codex:
        status = codex.client.mcp_server_status_list()
"""

from __future__ import annotations

from ._core.config import CodexConfig
from ._core.connection.notifications import Notification
from ._core.lowlevel.client import ApprovalHandler
from ._sync.lowlevel import CodexClient
from ._sync.published_names import module_getattr

__all__ = ["ApprovalHandler", "CodexClient", "CodexConfig", "Notification"]


# the other names the published module offered (models, errors, helpers), on first access
__getattr__ = module_getattr(__name__)
