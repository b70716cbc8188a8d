"""``CodexClient``: the sync face of ``AsyncCodexClient``, run on a portal's event loop.

The request methods are generated (``lowlevel_requests.py``); this module adds the
hand-written parts: the lifecycle and the relays of ``AsyncCodexClient``'s own methods.
``CodexClient(config)`` has its own runtime and event-loop thread; ``Codex.client`` uses
its ``Codex``'s.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._core.lowlevel.client import ApprovalHandler, AsyncCodexClient
from .._core.resources import Resource
from .lowlevel_requests import SyncRequestMethods
from .portal import Portal, close_on_exit

if TYPE_CHECKING:
    from openai_codex_types import (
        AccountLoginCompletedNotification,
        AgentMessageDeltaNotification,
        ThreadCompactStartResponse,
        ThreadGoalSetResponse,
        ThreadSetNameResponse,
        TurnCompletedNotification,
        TurnStartParams,
    )

    from .._core.config import CodexConfig
    from .._core.connection.metadata import InitializeResponse
    from .._core.connection.notifications import Notification
    from ..handlers import ServerRequestHandlers
    from .generated import Codex

ModelT = TypeVar("ModelT")
_log = logging.getLogger("openai_codex")


class CodexClient(Resource, SyncRequestMethods):
    """Low-level sync client: one typed method per request of the pinned runtime.

    ``CodexClient(config)`` starts its runtime on ``with``, ``start()`` or the first call;
    ``Codex.client`` is one on that client's connection. Methods, arguments and results
    are ``AsyncCodexClient``'s (see there), without ``await``.
    """

    __slots__ = ("__weakref__", "_async", "_finalizer", "_portal")

    def __init__(
        self,
        config: CodexConfig | None = None,
        approval_handler: ApprovalHandler | None = None,
        *,
        handlers: ServerRequestHandlers | None = None,
    ) -> None:
        self._async = AsyncCodexClient(config, approval_handler, handlers=handlers)
        self._portal = Portal()
        self._finalizer: weakref.finalize[Any, Any] | None = weakref.finalize(
            self, close_on_exit, self._portal, self._async
        )

    def __repr__(self) -> str:
        return repr(self._async).replace("AsyncCodexClient", "CodexClient", 1)

    @classmethod
    def _bound(cls, codex: Codex) -> CodexClient:
        """The low-level client on ``codex``'s connection (``codex.client``)."""
        self = cls.__new__(cls)
        self._async = codex._async.client
        self._portal = codex._portal
        self._finalizer = None
        return self

    def _open(self) -> None:
        self.start()

    def start(self) -> None:
        """Start the runtime and complete ``initialize`` (once; later calls do nothing)."""
        self._portal.call(self._async.start)

    def close(self) -> None:
        """Stop the runtime and the event-loop thread this client started (idempotent;
        a ``codex.client`` leaves its ``codex`` open)."""
        if self._finalizer is not None:
            self._finalizer()

    def initialize(self) -> InitializeResponse:
        """What the runtime answered to ``initialize`` (sent once, when the client starts)."""
        return self._portal.call(self._async.initialize)

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize`` (started clients only)."""
        return self._async.metadata

    def request(
        self,
        method: str,
        params: Mapping[str, Any] | Any = None,
        *,
        response_model: type[ModelT] | None = None,
    ) -> ModelT | Any:
        """Send any request (see ``AsyncCodexClient.request``)."""
        return self._portal.call(self._async.request, method, params, response_model=response_model)

    def request_with_retry_on_overload(
        self,
        method: str,
        params: Mapping[str, Any] | Any = None,
        *,
        response_model: type[ModelT] | None = None,
        max_attempts: int = 3,
        initial_delay_s: float = 0.25,
        max_delay_s: float = 2.0,
    ) -> ModelT | Any:
        """``request``, retried with backoff while the runtime answers that it is overloaded."""
        return self._portal.call(
            self._async.request_with_retry_on_overload,
            method,
            params,
            response_model=response_model,
            max_attempts=max_attempts,
            initial_delay_s=initial_delay_s,
            max_delay_s=max_delay_s,
        )

    def notify(self, method: str, params: Mapping[str, Any] | Any = None) -> None:
        """Send a JSON-RPC notification (no answer)."""
        self._portal.call(self._async.notify, method, params)

    def next_notification(self, *, timeout: float | None = None) -> Notification:
        """The next notification that belongs to no turn (see ``AsyncCodexClient``)."""
        return self._portal.call(self._async.next_notification, timeout=timeout)

    def notifications(self) -> Iterator[Notification]:
        """Iterate the notifications that belong to no turn; ends when the runtime closes."""
        return self._portal.iterate(self._async.notifications())

    def register_turn_notifications(self, turn_id: str) -> None:
        """Start queueing ``turn_id``'s notifications (recent unclaimed ones included)."""
        self._portal.call_sync(self._async.register_turn_notifications, turn_id)

    def unregister_turn_notifications(self, turn_id: str) -> None:
        """Stop queueing ``turn_id``'s notifications."""
        self._portal.call_sync(self._async.unregister_turn_notifications, turn_id)

    def next_turn_notification(self, turn_id: str, *, timeout: float | None = None) -> Notification:
        """The next notification of ``turn_id`` (registers the turn if needed)."""
        return self._portal.call(self._async.next_turn_notification, turn_id, timeout=timeout)

    def wait_for_turn_completed(
        self, turn_id: str, *, timeout: float | None = None
    ) -> TurnCompletedNotification:
        """Wait for ``turn_id``'s ``turn/completed`` and return its payload."""
        return self._portal.call(self._async.wait_for_turn_completed, turn_id, timeout=timeout)

    def stream_text(
        self,
        thread_id: str,
        text: str,
        params: TurnStartParams | Mapping[str, Any] | None = None,
    ) -> Iterator[AgentMessageDeltaNotification]:
        """Start a turn with ``text`` and yield its agent-message deltas until it completes."""
        return self._portal.iterate(self._async.stream_text(thread_id, text, params))

    def register_login_notifications(self, login_id: str) -> None:
        """Start waiting for ``account/login/completed`` of ``login_id`` (buffered if early)."""
        self._portal.call_sync(self._async.register_login_notifications, login_id)

    def unregister_login_notifications(self, login_id: str) -> None:
        """Stop waiting for ``login_id``."""
        self._portal.call_sync(self._async.unregister_login_notifications, login_id)

    def next_login_notification(
        self, login_id: str, *, timeout: float | None = None
    ) -> Notification:
        """The next notification of the login ``login_id`` (registers it if needed)."""
        return self._portal.call(self._async.next_login_notification, login_id, timeout=timeout)

    def wait_for_login_completed(
        self, login_id: str, *, timeout: float | None = None
    ) -> AccountLoginCompletedNotification:
        """Wait for ``account/login/completed`` of ``login_id`` and return its payload."""
        return self._portal.call(self._async.wait_for_login_completed, login_id, timeout=timeout)

    def thread_set_name(self, thread_id: str, name: str) -> ThreadSetNameResponse:
        """Rename a thread (``thread/name/set``; same as ``thread_name_set``)."""
        return self._portal.call(self._async.thread_set_name, thread_id, name)

    def thread_compact(self, thread_id: str) -> ThreadCompactStartResponse:
        """Compact a thread's history (``thread/compact/start``; ``thread_compact_start``)."""
        return self._portal.call(self._async.thread_compact, thread_id)

    def pause_goal(self, thread_id: str) -> ThreadGoalSetResponse:
        """Pause the thread's goal (``thread/goal/set`` with status ``paused``)."""
        return self._portal.call(self._async.pause_goal, thread_id)


__all__ = ["CodexClient"]
