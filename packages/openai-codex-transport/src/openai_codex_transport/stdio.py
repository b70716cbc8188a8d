"""The default transport: ``codex app-server --listen stdio://`` as a child process.

Newline-delimited JSON on the child's stdin/stdout. The child runs in a process group of its
own (POSIX ``start_new_session``) so closing takes its helpers down with it. Its stderr is
drained continuously into a bounded ring buffer (:mod:`._stderr`). When the child dies, the
:class:`TransportClosedError` says first how it ended (``exited with code 3``, ``exited with
signal SIGKILL (-9)``), then shows the stderr tail without the runtime's harmless start-up
warnings.

Secrets: ``env`` entries reach the child through its environment, never its argv, and are
never logged (the DEBUG "spawned" record names the variables that were set, not their
values, and shows the argv with ``--config`` secrets redacted).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import anyio

from ._background import Detached, current_backend
from ._child import _POSIX, _child_args, _describe_exit, _start_error
from ._stderr import StderrBuffer, strip_ansi
from ._transport import Transport
from .errors import TransportClosedError
from .redaction import logger, redact_argv, redact_text

if TYPE_CHECKING:
    import asyncio

    from anyio.abc import ByteReceiveStream, ByteSendStream, Process, TaskGroup

    from ._early import EarlyChild

__all__ = ["StdioTransport"]

_READ_SIZE = 1 << 20
_WRITE_HIGH_WATER = 64 * 1024
_stderr_logger = logging.getLogger("openai_codex_transport.stderr")


#: Default seconds :meth:`StdioTransport.aclose` waits for the child to exit after closing its
#: stdin (an idle runtime exits in ~25 ms), then again after SIGTERM, before SIGKILL.
DEFAULT_GRACEFUL_TIMEOUT = 0.5
DEFAULT_TERMINATE_TIMEOUT = 0.5


def _split_lines(chunk: bytes, partial: list[bytes]) -> list[bytes | str]:
    """The whole lines completed by ``chunk``, as ``str``; the incomplete tail goes to ``partial``.

    The complete-lines part is decoded once per read (a ``b"\\n"`` byte never occurs inside a
    UTF-8 multi-byte sequence, so splitting the text is the same as splitting the bytes):
    cheaper than decoding line by line. If that part is not valid UTF-8, each line is decoded
    on its own and the undecodable ones stay ``bytes`` (the connection counts them malformed);
    the other lines are unaffected. Empty and (ASCII) whitespace-only lines are dropped.
    """
    end = chunk.rfind(b"\n")
    if end < 0:
        partial.append(chunk)  # a line longer than one read: keep the pieces
        return []
    if partial:
        partial.append(chunk[:end])
        head = b"".join(partial)
        partial.clear()
    else:
        head = chunk[:end]
    if end + 1 < len(chunk):
        partial.append(chunk[end + 1 :])
    try:
        text = head.decode()
    except UnicodeDecodeError:
        return [_decode_line(p) for p in head.split(b"\n") if p and not p.isspace()]
    # (isascii: a line of Unicode spaces is not JSON whitespace; it is reported as malformed)
    return [p for p in text.split("\n") if p and not (p.isspace() and p.isascii())]


def _decode_line(line: bytes) -> bytes | str:
    try:
        return line.decode()
    except UnicodeDecodeError:
        return line


class _DirectFeed:
    """The protocol of the runtime's stdout pipe (asyncio): what is read goes to the
    transport at once (:meth:`StdioTransport._data_received`). asyncio's subprocess protocol
    defers each read to a callback of the loop's next iteration, an iteration per read; end
    of file and closing are still asyncio's (handed to its protocol, which feeds the
    ``StreamReader`` its end and reaps the process)."""

    def __init__(self, original: Any, receive: Callable[[bytes], None]) -> None:
        self.data_received = receive
        self._original = original

    def eof_received(self) -> bool | None:
        result: bool | None = self._original.eof_received()
        return result

    def connection_lost(self, exc: Exception | None) -> None:
        self._original.connection_lost(exc)

    def __getattr__(self, name: str) -> Any:  # anything else asyncio may call
        return getattr(self._original, name)


def _feed_directly(process: Any, receive: Callable[[bytes], None]) -> bool:
    """Install :class:`_DirectFeed` on ``process``'s stdout pipe (before anything is read:
    reads already scheduled would still run first, in order); False if it cannot."""
    transport = getattr(process, "_transport", None)
    get_pipe = getattr(transport, "get_pipe_transport", None)
    pipe = get_pipe(1) if get_pipe is not None else None
    if pipe is None or not hasattr(pipe, "set_protocol"):
        return False
    pipe.set_protocol(_DirectFeed(pipe.get_protocol(), receive))
    return True


class StdioTransport(Transport):
    """A ``codex app-server`` child process speaking JSON lines on stdin/stdout.

    Create it with :meth:`spawn`. Lines of any length are read whole (no fixed line limit).
    :meth:`aclose` closes stdin, waits ``graceful_timeout``, sends SIGTERM to the process group,
    waits ``terminate_timeout``, sends SIGKILL and reaps the child: it returns within about
    ``graceful_timeout + terminate_timeout`` seconds plus the time to reap a killed child
    (milliseconds) whatever the child does, leaves no zombie, and is idempotent.
    """

    def __init__(
        self,
        process: Process,
        argv: Sequence[str],
        *,
        stderr_limit: int = 64 * 1024,
        graceful_timeout: float = DEFAULT_GRACEFUL_TIMEOUT,
        terminate_timeout: float = DEFAULT_TERMINATE_TIMEOUT,
    ) -> None:
        super().__init__()
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        self._process = process
        self._argv = list(argv)
        self._stdin: ByteSendStream = process.stdin
        self._stdout: ByteReceiveStream = process.stdout
        self._stderr: ByteReceiveStream = process.stderr
        self.graceful_timeout = graceful_timeout
        self.terminate_timeout = terminate_timeout
        self._stderr_buf = StderrBuffer(stderr_limit)
        self._partial: list[bytes] = []
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._shield_writes = current_backend() == "trio"
        # asyncio fast path: the StreamWriter under anyio's wrapper. write() is atomic and
        # cheap; drain() only when the pipe buffer is past its high-water mark. Saves a full
        # event-loop iteration per message compared with anyio's send().
        self._writer: asyncio.StreamWriter | None = None
        # and reading: the StreamReader under anyio's wrapper (one coroutine less per read;
        # the wrapper's aclose() sets ClosedResourceError on it, which read() then raises),
        # fed by _data_received; with a batch handler (deliver_batches), the reads go to it
        # at once once the StreamReader holds nothing unread (_fed == _taken: in order)
        self._reader: asyncio.StreamReader | None = None
        self._direct = False  # _DirectFeed is installed
        self._on_batch: Callable[[list[bytes | str]], None] | None = None
        self._fed = 0  # bytes given to the StreamReader
        self._taken = 0  # bytes receive_batch() took back from it
        if not self._shield_writes:
            import asyncio

            raw = getattr(process, "_process", None)
            writer = getattr(raw, "stdin", None)
            if isinstance(writer, asyncio.StreamWriter):
                self._writer = writer
            reader = getattr(raw, "stdout", None)
            if isinstance(reader, asyncio.StreamReader):
                self._reader = reader
                self._direct = _feed_directly(raw, self._data_received)
        self._stdout_eof = anyio.Event()
        self._stderr_eof = anyio.Event()
        self._exited = anyio.Event()
        self._reading = False  # a receive_batch() is waiting for stdout
        self._draining = False  # aclose() is discarding stdout (nobody was reading)
        self._close_error: TransportClosedError | None = None
        self._helpers = Detached(self._run_helpers, name=f"codex stderr pump pid={process.pid}")

    @classmethod
    async def spawn(
        cls,
        argv: Sequence[str],
        *,
        env: Mapping[str, str | None] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        extra_path_dir: str | None = None,
        stderr_limit: int = 64 * 1024,
        graceful_timeout: float = DEFAULT_GRACEFUL_TIMEOUT,
        terminate_timeout: float = DEFAULT_TERMINATE_TIMEOUT,
    ) -> StdioTransport:
        """Start ``argv`` (e.g. from :func:`app_server_argv`) and return the transport.

        ``env`` is merged over the current environment (a ``None`` value removes a variable):
        the way to hand the runtime a secret (``OPENAI_API_KEY``, a provider key its config
        reads with ``env_key``) without putting it in argv, where ``ps`` shows it. ``env``
        values are never logged. ``extra_path_dir`` (from :func:`resolve_codex_binary`) is
        prepended to the child's PATH. A ``cwd`` that is not an existing directory raises
        :class:`WorkingDirectoryNotFoundError`, a missing executable
        :class:`CodexBinaryNotFoundError`, any other start failure
        :class:`TransportClosedError`.
        """
        command, kwargs = _child_args(argv, env, cwd, extra_path_dir)
        try:
            process = await anyio.open_process(command, **kwargs)
        except OSError as exc:
            raise _start_error(exc, argv, kwargs["cwd"]) from exc
        transport = cls(
            process,
            argv,
            stderr_limit=stderr_limit,
            graceful_timeout=graceful_timeout,
            terminate_timeout=terminate_timeout,
        )
        await transport._started(sorted(env or ()))
        return transport

    @classmethod
    async def adopt(
        cls,
        child: EarlyChild,
        *,
        stderr_limit: int = 64 * 1024,
        graceful_timeout: float = DEFAULT_GRACEFUL_TIMEOUT,
        terminate_timeout: float = DEFAULT_TERMINATE_TIMEOUT,
    ) -> StdioTransport:
        """The transport of a runtime started before the loop ran (``EarlyChild.start``),
        on the running loop; from here on it is closed like a spawned one."""
        from ._early import PopenProcess

        transport = cls(
            await PopenProcess.adopt(child),
            child.argv,
            stderr_limit=stderr_limit,
            graceful_timeout=graceful_timeout,
            terminate_timeout=terminate_timeout,
        )
        transport._shield_writes = True  # a line is written in pieces: never half of one
        await transport._started(child.env_names)
        return transport

    async def _started(self, env_names: list[str]) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "spawned pid %d: %s%s",
                self.pid,
                " ".join(redact_argv(self._argv)),
                f" (env set: {', '.join(env_names)}; values not logged)" if env_names else "",
            )
        await self._helpers.start()

    # -- facts --------------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        """The runtime process's id."""
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """The runtime's exit status once it has exited, else ``None``."""
        return self._process.returncode

    @property
    def argv(self) -> list[str]:
        """The runtime's command line (may hold secrets: see ``redact_argv``)."""
        return list(self._argv)

    @property
    def description(self) -> str:
        """``codex app-server (pid N)``, for messages."""
        return f"codex app-server (pid {self._process.pid})"

    def stderr_tail(self, max_chars: int = 4000) -> str:
        """The last lines the child wrote to stderr: colours stripped, secrets redacted, the
        runtime's known-harmless start-up warnings left out."""
        return self._stderr_buf.tail(max_chars)

    def stderr_text(self) -> str:
        """All of the child's buffered stderr (colours stripped, secrets redacted, unfiltered)."""
        return self._stderr_buf.text()

    # -- background helpers: stderr pump and exit watcher ---------------------------------------

    async def _run_helpers(self, tg: TaskGroup) -> None:
        tg.start_soon(self._pump_stderr)
        tg.start_soon(self._watch_exit)

    async def _pump_stderr(self) -> None:
        buf = self._stderr_buf
        try:
            while True:
                chunk = await self._stderr.receive(65536)
                buf.append(chunk)
                if _stderr_logger.isEnabledFor(logging.DEBUG):
                    for line in chunk.decode("utf-8", "replace").splitlines():
                        _stderr_logger.debug("pid %d: %s", self.pid, redact_text(strip_ansi(line)))
        except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass
        finally:
            self._stderr_eof.set()

    async def _watch_exit(self) -> None:
        """When the child exits, give stdout a moment to drain, then end the reader.

        Normally stdout reaches EOF by itself; this covers a grandchild holding the pipe open.
        """
        try:
            await self._process.wait()
        except anyio.get_cancelled_exc_class():
            if not self._closing:
                # The event loop is ending and nobody closed us: do not leave the child behind.
                self._signal_group(signal.SIGTERM)
                # asyncio: close the subprocess transport now (kills a child still running and
                # closes the pipes), or its __del__ does it later on a closed loop.
                raw = getattr(self._process, "_process", None)  # asyncio.subprocess.Process
                subprocess_transport = getattr(raw, "_transport", None)
                if subprocess_transport is not None:
                    with contextlib.suppress(Exception):
                        subprocess_transport.close()
            raise
        self._exited.set()
        with anyio.move_on_after(0.25):
            await self._stdout_eof.wait()
        if not self._stdout_eof.is_set():
            await self._stdout.aclose()

    # -- reading and writing --------------------------------------------------------------------

    def deliver_batches(self, handler: Callable[[list[bytes | str]], None] | None) -> bool:
        """See :meth:`Transport.deliver_batches` (asyncio only: on trio, ``False``)."""
        if not self._direct:
            return False
        self._on_batch = handler
        return True

    def _data_received(self, data: bytes) -> None:
        """What the stdout pipe read (asyncio, in the loop's read callback)."""
        handler = self._on_batch
        if handler is not None and self._fed == self._taken:
            lines = _split_lines(data, self._partial)
            if lines:
                try:
                    handler(lines)
                except Exception:  # (the handler's own; never the pipe's problem)
                    logger.exception("the batch handler of %s failed", self.description)
            return
        self._fed += len(data)
        assert self._reader is not None
        self._reader.feed_data(data)

    async def receive_batch(self) -> list[bytes | str]:
        """The next complete lines from the runtime's stdout (``TransportClosedError`` at the end)."""
        partial = self._partial
        reader = self._reader
        while True:
            if self._draining:
                raise await self._closed_error()
            self._reading = True
            try:
                if reader is not None:
                    chunk = await reader.read(_READ_SIZE)
                    if not chunk:
                        raise anyio.EndOfStream
                    self._taken += len(chunk)
                else:
                    chunk = await self._stdout.receive(_READ_SIZE)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError):
                self._stdout_eof.set()
                raise await self._closed_error() from None
            finally:
                self._reading = False
            lines = _split_lines(chunk, partial)
            if lines:
                return lines

    async def send_bytes(self, data: bytes) -> None:
        """Write one encoded message (a line) to the runtime's stdin."""
        if self._closing or self._close_error is not None:
            raise await self._closed_error()
        line = data + b"\n"
        writer = self._writer
        if writer is not None:
            try:
                if writer.is_closing():
                    raise BrokenPipeError("stdin is closed")
                writer.write(line)
                if writer.transport.get_write_buffer_size() > _WRITE_HIGH_WATER:
                    async with self._send_lock:
                        await writer.drain()
            except (OSError, RuntimeError):
                raise await self._closed_error() from None
            return
        try:
            async with self._send_lock:
                if self._shield_writes:
                    # A cancelled half-written line would corrupt the stream for everyone.
                    with anyio.CancelScope(shield=True):
                        await self._stdin.send(line)
                else:
                    await self._stdin.send(line)  # asyncio: write() is atomic, drain() is not
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            raise await self._closed_error() from None

    async def _closed_error(self) -> TransportClosedError:
        """The error describing why the child is gone (waits briefly for its exit code)."""
        if self._close_error is None:
            with anyio.CancelScope(shield=True):
                with anyio.move_on_after(0.5):
                    await self._exited.wait()
                with anyio.move_on_after(0.1):
                    await self._stderr_eof.wait()
            if self._close_error is None:
                code = self._process.returncode
                if self._closing:
                    message = f"{self.description}: transport closed by the client"
                else:
                    message = f"codex app-server (pid {self.pid}) {_describe_exit(code)}"
                self._close_error = TransportClosedError(message, code, self.stderr_tail() or None)
        return self._close_error._copy()

    # -- closing ----------------------------------------------------------------------------------

    def _signal_group(self, sig: int) -> None:
        if self._process.returncode is not None and sig != signal.SIGKILL:
            return
        try:
            if _POSIX:
                os.killpg(self._process.pid, sig)
            elif sig == signal.SIGTERM:
                self._process.terminate()
            else:
                self._process.kill()
        except (ProcessLookupError, PermissionError):
            pass

    async def _wait_exit(self, seconds: float) -> bool:
        with anyio.move_on_after(seconds):
            await self._exited.wait()
        return self._exited.is_set()

    async def _drain_stdout(self) -> None:
        with contextlib.suppress(
            anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError
        ):
            while True:
                await self._stdout.receive(_READ_SIZE)

    async def _stop_child(self) -> None:
        """Wait for the exit after stdin's EOF; then SIGTERM, then SIGKILL, each bounded."""
        if await self._wait_exit(self.graceful_timeout):
            return
        logger.debug("pid %d did not exit after stdin closed: SIGTERM", self.pid)
        self._signal_group(signal.SIGTERM)
        if await self._wait_exit(self.terminate_timeout):
            return
        logger.warning("pid %d ignored SIGTERM: SIGKILL", self.pid)
        self._signal_group(signal.SIGKILL)
        await self._wait_exit(2.0)

    async def _close(self) -> None:
        """Stop the runtime: close stdin, then SIGTERM and SIGKILL after short waits."""
        with contextlib.suppress(OSError, anyio.BrokenResourceError, anyio.ClosedResourceError):
            await self._stdin.aclose()
        async with anyio.create_task_group() as tg:
            if not self._reading and not self._stdout_eof.is_set():
                # Nobody reads stdout: discard it, or a child blocked writing to a
                # full pipe would never see stdin's EOF and exit by itself.
                self._draining = True
                tg.start_soon(self._drain_stdout)
            await self._stop_child()
            tg.cancel_scope.cancel()
        if _POSIX and self._exited.is_set():
            self._signal_group(signal.SIGKILL)  # helpers left in the child's group
        with anyio.move_on_after(0.5):
            await self._stderr_eof.wait()
        self._helpers.cancel()
        with anyio.move_on_after(1.0):
            await self._helpers.wait()
        with anyio.move_on_after(1.0):
            await self._process.aclose()  # closes the pipes and reaps the child
