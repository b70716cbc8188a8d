"""A runtime child started with ``subprocess.Popen`` before any event loop runs.

The sync client needs its event-loop thread (anyio's backend alone takes ~10 ms to import)
only to talk to the runtime, which itself takes ~50-100 ms to boot. Started here first, from
plain code, the runtime boots while that thread comes up; :meth:`StdioTransport.adopt`
then wraps the child on the loop: its pipes as non-blocking byte streams read and written
with anyio's ``wait_readable``/``wait_writable``, its exit seen through a pidfd.

Only where that works (:func:`early_start_supported`: POSIX with ``os.pidfd_open``, i.e.
Linux 5.3+, and anyio 4.7+); elsewhere the client spawns on its loop as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from signal import Signals
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel
from anyio.abc import ByteReceiveStream, ByteSendStream, Process

from ._background import current_backend
from ._child import _child_args, _start_error

if TYPE_CHECKING:
    import asyncio

__all__ = ["EarlyChild", "PopenProcess", "early_start_supported"]

_supported: bool | None = None


def early_start_supported() -> bool:
    """True where a child can be started before the loop and adopted by it later."""
    global _supported
    if _supported is None:
        _supported = False
        if os.name == "posix" and hasattr(os, "pidfd_open") and hasattr(anyio, "wait_readable"):
            try:
                os.close(os.pidfd_open(os.getpid()))
                _supported = True
            except OSError:  # a kernel without pidfd
                pass
    return _supported


class EarlyChild:
    """A started runtime process (pipes on stdin/stdout/stderr, its own process group)
    waiting to be adopted by :meth:`StdioTransport.adopt`; :meth:`discard` stops it if
    that never happens."""

    __slots__ = ("adopted", "argv", "env_names", "pidfd", "popen")

    def __init__(self, popen: subprocess.Popen[bytes], argv: Sequence[str], env_names: list[str]):
        self.popen = popen
        self.argv = list(argv)
        self.env_names = env_names
        self.pidfd = os.pidfd_open(popen.pid)
        #: a transport owns the process now (and closes it)
        self.adopted = False

    @classmethod
    def start(
        cls,
        argv: Sequence[str],
        *,
        env: Mapping[str, str | None] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        extra_path_dir: str | None = None,
    ) -> EarlyChild:
        """Start ``argv`` as :meth:`StdioTransport.spawn` would (same environment, group
        and errors), without an event loop."""
        command, kwargs = _child_args(argv, env, cwd, extra_path_dir)
        try:
            popen = subprocess.Popen(command, bufsize=0, **kwargs)
        except OSError as exc:
            raise _start_error(exc, argv, kwargs["cwd"]) from exc
        try:
            return cls(popen, argv, sorted(env or ()))
        except BaseException:
            _kill_and_reap(popen)
            raise

    def discard(self) -> None:
        """Stop the child and release its pipes if it was never adopted. Idempotent."""
        if self.adopted or self.popen.returncode is not None:  # owned elsewhere, or reaped
            return
        _kill_and_reap(self.popen)
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1


def _kill_and_reap(popen: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, signal.SIGKILL)
    for pipe in (popen.stdin, popen.stdout, popen.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        popen.wait(timeout=5)


class _FdStream:
    """A pipe's end as a non-blocking descriptor (closing it wakes a task waiting on it)."""

    def __init__(self, pipe: Any) -> None:
        self._pipe = pipe
        self._fd: int = pipe.fileno()
        os.set_blocking(self._fd, False)

    async def aclose(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            anyio.notify_closing(fd)  # a task waiting on it gets ClosedResourceError
            with contextlib.suppress(OSError):
                self._pipe.close()
        await anyio.lowlevel.checkpoint()


class _FdReceiveStream(_FdStream, ByteReceiveStream):
    """One end of a pipe; ``receive`` reads what is there, else waits."""

    async def receive(self, max_bytes: int = 65536) -> bytes:
        while True:
            fd = self._fd
            if fd < 0:
                raise anyio.ClosedResourceError
            try:
                data = os.read(fd, max_bytes)
            except BlockingIOError:
                await anyio.wait_readable(fd)
                continue
            if not data:
                raise anyio.EndOfStream
            return data


class _FdSendStream(_FdStream, ByteSendStream):
    """The child's stdin; ``send`` writes all of ``item``, waiting as needed (the transport
    shields a line's write from cancellation: no half lines)."""

    async def send(self, item: bytes) -> None:
        view = memoryview(item)
        while view:
            fd = self._fd
            if fd < 0:
                raise anyio.ClosedResourceError
            try:
                written = os.write(fd, view)
            except BlockingIOError:
                await anyio.wait_writable(fd)
                continue
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise anyio.BrokenResourceError from exc
            view = view[written:]


class _ReaderStream(ByteReceiveStream):
    """stdout through asyncio's own pipe reading (one registration with the loop, data
    buffered as it arrives), as anyio's asyncio backend reads a spawned child's."""

    def __init__(self, reader: asyncio.StreamReader, pipe: asyncio.ReadTransport) -> None:
        self.reader = reader
        self.pipe = pipe

    async def receive(self, max_bytes: int = 65536) -> bytes:
        data = await self.reader.read(max_bytes)
        if not data:
            raise anyio.EndOfStream
        return data

    async def aclose(self) -> None:
        if not self.pipe.is_closing():
            self.reader.set_exception(anyio.ClosedResourceError())
            self.pipe.close()
        await anyio.lowlevel.checkpoint()


class PopenProcess(Process):
    """An adopted :class:`EarlyChild` as an anyio ``Process`` (on the running loop): make
    it with :meth:`adopt`."""

    def __init__(self, child: EarlyChild, stdout: ByteReceiveStream) -> None:
        popen = child.popen
        assert popen.stdin is not None
        assert popen.stderr is not None
        self._popen = popen
        self._pidfd = child.pidfd
        child.pidfd = -1  # owned here now
        child.adopted = True
        self._stdin = _FdSendStream(popen.stdin)
        self._stdout = stdout
        self._stderr = _FdReceiveStream(popen.stderr)
        #: what the transport's asyncio fast paths use, shaped as under anyio's asyncio
        #: process: the stdout ``StreamReader`` and its pipe (``_transport.get_pipe_transport(1)``)
        self._process: Any = None
        if isinstance(stdout, _ReaderStream):
            pipes = {1: stdout.pipe}
            self._process = SimpleNamespace(
                stdout=stdout.reader,
                _transport=SimpleNamespace(get_pipe_transport=pipes.get),
            )

    @classmethod
    async def adopt(cls, child: EarlyChild) -> PopenProcess:
        """``child`` on the running loop: on asyncio its stdout is read by the loop's own
        pipe reader; elsewhere (trio) every pipe is a non-blocking descriptor."""
        popen = child.popen
        assert popen.stdout is not None
        stdout: ByteReceiveStream
        if current_backend() == "asyncio":
            import asyncio

            loop = asyncio.get_running_loop()
            reader = asyncio.StreamReader(limit=1 << 30)
            transport, _ = await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader), popen.stdout
            )
            stdout = _ReaderStream(reader, transport)
        else:
            stdout = _FdReceiveStream(popen.stdout)
        return cls(child, stdout)

    async def wait(self) -> int:
        while (code := self._popen.poll()) is None:
            pidfd = self._pidfd
            if pidfd < 0:  # closed by aclose(): wait by polling
                await anyio.sleep(0.01)
                continue
            try:
                await anyio.wait_readable(pidfd)  # readable once the child has exited
            except (anyio.BusyResourceError, anyio.ClosedResourceError):
                await anyio.sleep(0.01)  # another task waits on it: poll instead
        return code

    async def aclose(self) -> None:
        with anyio.CancelScope(shield=True):
            for stream in (self._stdin, self._stdout, self._stderr):
                await stream.aclose()
        try:
            await self.wait()
        except BaseException:
            with anyio.CancelScope(shield=True):
                self.kill()
                await self.wait()
            raise
        finally:
            pidfd, self._pidfd = self._pidfd, -1
            if pidfd >= 0:
                anyio.notify_closing(pidfd)
                os.close(pidfd)

    def terminate(self) -> None:
        self._popen.terminate()

    def kill(self) -> None:
        self._popen.kill()

    def send_signal(self, signal: Signals) -> None:
        self._popen.send_signal(signal)

    @property
    def pid(self) -> int:
        return self._popen.pid

    @property
    def returncode(self) -> int | None:
        return self._popen.poll()

    @property
    def stdin(self) -> ByteSendStream:
        return self._stdin

    @property
    def stdout(self) -> ByteReceiveStream:
        return self._stdout

    @property
    def stderr(self) -> ByteReceiveStream:
        return self._stderr
