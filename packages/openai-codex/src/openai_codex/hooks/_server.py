"""The client's end of the relay: a private Unix socket that answers hook calls.

One :class:`HookServer` per client, made when the first thread with hooks is opened.
It lives in a fresh directory only the user can enter (``mkdtemp``: mode 0700) holding
``socket`` and ``token`` (mode 0600, 32 random hex digits). Each relay connection sends
``TOKEN HOOK_ID`` on a line, then the event as the runtime gave it; the server checks the
token (constant-time), finds the registered function, calls it with the typed input
under its deadline and answers the runtime's command-hook answer (``EXIT STDOUT_BYTES``
on a line, then stdout and stderr). A failure (an exception, a timeout, an invalid return)
answers a denial for the events that can block and nothing for the others; its reason
is logged (redacted), and the model sees only which hook failed and how.

``aclose()`` stops serving and removes the directory: relays still waiting see the
connection close and fail closed; later relays find no socket and fail closed too.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import anyio
from anyio.streams.buffered import BufferedByteReceiveStream

from openai_codex_transport import Detached
from openai_codex_transport.redaction import redact_text

from .._core.host.maybe_async import call_maybe_async
from ..tracing import get_logger
from ._config import RelayHook, runtime_timeout
from ._decisions import Deny, StopTurn, WireAnswer, allowed_decisions, to_wire
from ._events import EVENTS

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from anyio.abc import SocketStream, TaskGroup

    from ._decisions import HookDecision
    from ._registry import HookRegistration

__all__ = ["RELAY_PATH", "HookServer"]

logger = get_logger("hooks")

RELAY_PATH = Path(__file__).with_name("_relay.py")
"""The relay script the runtime runs (standard library only)."""

_MAX_REQUEST = 64 * 1024 * 1024  # a tool's output can be large
_READ_TIMEOUT = 10.0  # a relay sends its request at once
_INTERRUPT_TIMEOUT = 15.0


def _python() -> str:
    return sys.executable or shutil.which("python3") or "python3"


class HookServer:
    """Serves this client's hook functions to the relays the runtime starts."""

    def __init__(self, interrupt: Callable[[str, str], Awaitable[Any]] | None = None) -> None:
        self._interrupt = interrupt  # (thread id, turn id): for StopTurn
        self._dir: Path | None = None
        self._token = secrets.token_hex(16)
        self._hooks: dict[str, HookRegistration] = {}
        self._ids: dict[int, str] = {}  # id(registration) -> hook id
        self._runner: Detached | None = None
        self._start_lock = anyio.Lock()  # threads opened concurrently start it once
        self._closed = False
        self.calls = 0
        """Hook calls answered so far (all outcomes)."""

    @property
    def directory(self) -> Path:
        """The private directory holding ``socket`` and ``token`` (started servers only)."""
        if self._dir is None:
            raise RuntimeError("the hook server is not started")
        return self._dir

    @property
    def started(self) -> bool:
        return self._runner is not None and not self._closed

    async def start(self) -> None:
        """Make the directory, the token file and the socket; serve in the background."""
        async with self._start_lock:
            if self._runner is None:
                await self._start()

    async def _start(self) -> None:
        directory = Path(tempfile.mkdtemp(prefix="codex-hooks-"))  # mode 0700
        try:
            token_path = directory / "token"
            fd = os.open(token_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(self._token)
            listener = await anyio.create_unix_listener(directory / "socket")
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        self._dir = directory

        async def serve(task_group: TaskGroup) -> None:
            async with listener:
                await listener.serve(self._handle, task_group=task_group)

        self._runner = Detached(serve, name=f"codex hook server ({directory})")
        await self._runner.start()

    def relay_hook(self, registration: HookRegistration) -> RelayHook:
        """The runtime's command hook for ``registration`` (registered on first use)."""
        hook_id = self._ids.get(id(registration))
        if hook_id is None:
            hook_id = self._ids[id(registration)] = str(len(self._hooks))
            self._hooks[hook_id] = registration
        deadline = registration.timeout + 1.0  # the relay waits a little past the function
        argv = [_python(), "-I", "-S", str(RELAY_PATH), str(self.directory), hook_id]
        argv += [f"{deadline:g}", EVENTS[registration.event].config_name]
        command = shlex.join(argv)
        return RelayHook(
            registration.event,
            registration.matcher,
            command,
            runtime_timeout(registration.event, deadline),
        )

    async def aclose(self) -> None:
        """Stop serving and remove the directory (idempotent; bounded)."""
        self._closed = True
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            with anyio.CancelScope(shield=True), anyio.move_on_after(5):
                await runner.wait()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    # -- one relay connection -------------------------------------------------------
    async def _handle(self, stream: SocketStream) -> None:
        stop = await self._serve_one(stream)
        if stop is not None and self._interrupt is not None:
            # after the relay has its answer: the runtime is not waiting on us any more
            try:
                with anyio.fail_after(_INTERRUPT_TIMEOUT):
                    await self._interrupt(*stop)
            except Exception:
                logger.warning("could not interrupt turn %s for StopTurn", stop[1], exc_info=True)

    async def _serve_one(self, stream: SocketStream) -> tuple[str, str] | None:
        """Answer one relay; the (thread, turn) to interrupt for a ``StopTurn``, if any."""
        async with stream:
            try:
                with anyio.fail_after(_READ_TIMEOUT):
                    buffered = BufferedByteReceiveStream(stream)
                    header = await buffered.receive_until(b"\n", 200)
                    chunks: list[bytes] = []
                    size = 0
                    while True:
                        try:
                            chunk = await buffered.receive()
                        except anyio.EndOfStream:
                            break
                        size += len(chunk)
                        if size > _MAX_REQUEST:
                            raise ValueError("the hook input is too large")
                        chunks.append(chunk)
                token, _, hook_id = header.decode("ascii").partition(" ")
                if not hmac.compare_digest(token, self._token):
                    logger.warning("hook relay refused: wrong token")
                    return None
                registration = self._hooks.get(hook_id)
                if registration is None:
                    logger.warning("hook relay refused: unknown hook %r", hook_id)
                    return None
                raw = b"".join(chunks).decode()
            except Exception:
                logger.warning("hook relay sent an unreadable request", exc_info=True)
                return None
            answer, stop = await self._answer(registration, raw)
            self.calls += 1
            try:
                await stream.send(answer.to_bytes())
            except Exception:
                logger.debug("hook relay went away before the answer", exc_info=True)
            return stop

    async def _answer(
        self, registration: HookRegistration, raw: str
    ) -> tuple[WireAnswer, tuple[str, str] | None]:
        spec = EVENTS[registration.event]
        name = registration.name
        started = time.monotonic()
        try:
            payload = json.loads(raw)
            if not isinstance(payload, dict):
                raise ValueError("the hook input is not a JSON object")
            hook_input = spec.input_class.from_payload(payload)
        except Exception as exc:
            return self._failed(registration, "could not read the hook input", exc, started), None
        try:
            with anyio.fail_after(registration.timeout):
                decision = await call_maybe_async(registration.function, hook_input)
        except TimeoutError as exc:
            why = f"did not answer within {registration.timeout:g} s"
            return self._failed(registration, why, exc, started), None
        except Exception as exc:
            return self._failed(registration, f"raised {type(exc).__name__}", exc, started), None
        allowed = allowed_decisions(spec.name)
        if decision is not None and not isinstance(decision, allowed):
            kinds = ", ".join(t.__name__ for t in allowed) or "only None"
            why = f"returned {type(decision).__name__}, not a decision for {spec.name} ({kinds})"
            return self._failed(registration, why, None, started), None
        answer = to_wire(spec.name, spec.config_name, cast("HookDecision | None", decision))
        logger.debug(
            "hook %s %s: %s (%.1f ms)",
            spec.name,
            name,
            "no opinion" if decision is None else type(decision).__name__,
            (time.monotonic() - started) * 1000,
        )
        stop = None
        if isinstance(decision, StopTurn) and hook_input.turn_id:
            stop = (hook_input.thread_id, hook_input.turn_id)
        return answer, stop

    def _failed(
        self, registration: HookRegistration, why: str, exc: BaseException | None, started: float
    ) -> WireAnswer:
        spec = EVENTS[registration.event]
        detail = "" if exc is None else f": {redact_text(str(exc))[:500]}"
        ms = (time.monotonic() - started) * 1000
        if spec.blocking:
            logger.warning(
                "hook %s %s %s%s; denied (fail closed, %.1f ms)",
                spec.name,
                registration.name,
                why,
                detail,
                ms,
            )
            reason = f"blocked: the hook {registration.name} {why}"
            return to_wire(spec.name, spec.config_name, Deny(reason))
        logger.warning(
            "hook %s %s %s%s; ignored (%.1f ms)", spec.name, registration.name, why, detail, ms
        )
        return WireAnswer()


def hook_server_of(owner: Any) -> HookServer:
    """``owner``'s hook server (made on first use; it interrupts turns through
    ``owner.client.turn_interrupt``)."""
    server: HookServer | None = getattr(owner, "_hook_server", None)
    if server is None or server._closed:

        async def interrupt(thread_id: str, turn_id: str) -> Any:
            return await owner.client.turn_interrupt(thread_id, turn_id)

        server = HookServer(interrupt)
        owner._hook_server = server
    return server
