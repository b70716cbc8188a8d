"""The low-level async client (the published SDK's module path).

``AsyncCodexClient`` has one typed method per request of the pinned runtime
(``thread_goal_set``, ``account_rate_limits_read``, ...), plus ``request``, ``notify`` and the
notifications that belong to no turn. ``AsyncCodex.client`` is one on a running client::

    async with AsyncCodex() as codex:
        limits = await codex.client.account_rate_limits_read()
"""

from __future__ import annotations

from ._core.config import CodexConfig
from ._core.connection.notifications import Notification
from ._core.lowlevel.client import ApprovalHandler, AsyncCodexClient
from ._sync.published_names import module_getattr

__all__ = ["ApprovalHandler", "AsyncCodexClient", "CodexConfig", "Notification"]


# the other names the published module offered (models, errors, helpers), on first access
__getattr__ = module_getattr(__name__)
