"""What the connection's reader has seen: counters for tests, metrics and debugging."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ConnectionStats"]


@dataclass
class ConnectionStats:
    """Counters of what the reader has seen (for tests, metrics and debugging)."""

    messages_received: int = 0
    notifications: int = 0
    responses: int = 0
    server_requests: int = 0
    malformed_messages: int = 0
    """Lines/frames that were not valid JSON or not a JSON object."""
    unknown_responses: int = 0
    """Responses whose id matched no waiting request (late, cancelled, or bogus)."""
    invalid_messages: int = 0
    """JSON objects that are neither a request, a notification nor a response."""
    notification_handler_errors: int = 0
    server_request_errors: int = 0
    """Server requests answered with an error (handler raised, timed out, or overload)."""
