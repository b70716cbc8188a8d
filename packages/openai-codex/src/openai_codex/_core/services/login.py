"""ChatGPT login handles (async implementation; the sync ones wrap these)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openai_codex_transport import CodexError, TransportClosedError

from ..connection.sink import Sink
from ..parsing import notification_model, validate

if TYPE_CHECKING:
    from openai_codex_types import (
        AccountLoginCompletedNotification,
        CancelLoginAccountResponse,
    )

    from ..connection.session import Session


class _AsyncLogin:
    """A live login attempt; completion (``account/login/completed``) is matched by id."""

    def __init__(self, _session: Session, login_id: str) -> None:
        self._session = _session
        self.login_id = login_id
        self._sink = Sink()
        _session.router.wait_login(login_id, self._sink)
        self._completed: AccountLoginCompletedNotification | None = None

    async def wait(self, *, timeout: float | None = None) -> AccountLoginCompletedNotification:
        """Wait for this attempt to finish (``AccountLoginCompletedNotification``);
        ``timeout`` (seconds): ``WaitTimeoutError`` if it has not finished by then (the
        attempt goes on: wait again, or ``cancel()`` it)."""
        from ..arguments import check_seconds
        from ..waits import wait_deadline

        seconds = check_seconds(timeout)
        if self._completed is None:
            with wait_deadline(seconds, f"account/login/completed of login {self.login_id}"):
                item = await self._sink.get()
            if isinstance(item, BaseException):
                if isinstance(item, TransportClosedError):
                    raise item._copy() from item
                raise item
            self._session.router.forget_login(self.login_id, self._sink)
            self._completed = validate(
                notification_model("account/login/completed"), item[1], "a login completion"
            )
        return self._completed

    async def cancel(self) -> CancelLoginAccountResponse:
        """Cancel this attempt (``CancelLoginAccountResponse``)."""
        result: CancelLoginAccountResponse = await self._session.typed(
            "account/login/cancel", {"loginId": self.login_id}
        )
        return result


class AsyncChatgptLoginHandle(_AsyncLogin):
    """A browser login: open ``auth_url``, then ``await wait()``."""

    def __init__(self, _session: Session, login_id: str, auth_url: str) -> None:
        super().__init__(_session, login_id)
        self.auth_url = auth_url

    def __repr__(self) -> str:
        return f"AsyncChatgptLoginHandle(login_id={self.login_id!r}, auth_url={self.auth_url!r})"


class AsyncDeviceCodeLoginHandle(_AsyncLogin):
    """A device-code login: visit ``verification_url``, enter ``user_code``, ``await wait()``."""

    def __init__(
        self, _session: Session, login_id: str, verification_url: str, user_code: str
    ) -> None:
        super().__init__(_session, login_id)
        self.verification_url = verification_url
        self.user_code = user_code

    def __repr__(self) -> str:
        return (
            f"AsyncDeviceCodeLoginHandle(login_id={self.login_id!r}, "
            f"verification_url={self.verification_url!r}, user_code={self.user_code!r})"
        )


def _field(result: Any, key: str) -> str:
    value = result.get(key) if isinstance(result, dict) else None
    if not isinstance(value, str):
        raise CodexError(f"unexpected login response, no {key!r}: {result!r}")
    return value


async def start_chatgpt_login(session: Session) -> AsyncChatgptLoginHandle:
    result = await session.request("account/login/start", {"type": "chatgpt"})
    return AsyncChatgptLoginHandle(session, _field(result, "loginId"), _field(result, "authUrl"))


async def start_device_code_login(session: Session) -> AsyncDeviceCodeLoginHandle:
    result = await session.request("account/login/start", {"type": "chatgptDeviceCode"})
    return AsyncDeviceCodeLoginHandle(
        session,
        _field(result, "loginId"),
        _field(result, "verificationUrl"),
        _field(result, "userCode"),
    )
