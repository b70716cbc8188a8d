"""The low-level async client (the published SDK's module path).

``AsyncCodexClient`` has one typed method per request of the pinned runtime
(``thread_goal_set``, ``account_rate_limits_read``, ...), plus ``request``, ``notify`` and the
notifications that belong to no turn. ``AsyncCodex.client`` is one on a running client::

    async with AsyncCodex() as codex:
        limits = await codex.client.account_rate_limits_read()
"""

from __future__ import annotations

from typing import Any

from ._core.config import CodexConfig
from ._core.connection.notifications import Notification
from ._core.lowlevel.client import ApprovalHandler, AsyncCodexClient

__all__ = ["ApprovalHandler", "AsyncCodexClient", "CodexConfig", "Notification"]


def __getattr__(name: str) -> Any:
    # the other names the published module offered (models, errors, helpers), on first access
    if name.startswith("_"):
        raise AttributeError(name)
    from ._sync.published_names import resolve

    value = resolve(__name__, name)
    globals()[name] = value
    return value
