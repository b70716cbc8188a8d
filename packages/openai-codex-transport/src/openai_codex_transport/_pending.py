"""Pending-request bookkeeping: request ids and the waiters of requests awaiting a response.

A :class:`PendingRequests` is the ``id -> waiter`` dict itself (the reader pops a response's
waiter with plain ``dict.pop``, nothing in between). A request registers its waiter under a
fresh id and removes it again in a ``finally`` (answered, failed, timed out or cancelled), so
a cancelled request leaves no waiter behind and a late response finds none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._background import Waiter

if TYPE_CHECKING:
    from .errors import TransportClosedError

__all__ = ["PendingRequests"]


class PendingRequests(dict[int | str, Waiter]):
    """``request id -> waiter`` of the requests waiting for their response; allocates ids."""

    __slots__ = ("_next_id",)

    def __init__(self) -> None:
        super().__init__()
        self._next_id = 0

    def add(self, waiter: Waiter) -> int:
        """Register ``waiter`` under a new request id (integers from 0) and return the id."""
        request_id = self._next_id
        self._next_id = request_id + 1
        self[request_id] = waiter
        return request_id

    def was_issued(self, request_id: object) -> bool:
        """True if ``request_id`` is one this table handed out (answered or abandoned since)."""
        return type(request_id) is int and 0 <= request_id < self._next_id

    def fail_all(self, error: TransportClosedError) -> None:
        """Forget every waiter, then wake each with ``error`` (the request raises a copy)."""
        if not self:
            return
        waiters = list(self.values())
        self.clear()
        for waiter in waiters:
            waiter.resolve(error)
