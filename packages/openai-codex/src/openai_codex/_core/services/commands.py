"""Commands without a turn: ``command/exec`` shaped like ``subprocess``.

``run_command`` waits for the exit and gives a ``CommandResult`` (``returncode``,
``stdout``, ``stderr``); ``start_command`` gives an ``AsyncCommandProcess`` to stream
output from, write stdin to, resize (a PTY) and terminate. Both run in the runtime's
sandbox on the runtime's host (which matters when attached to a remote runtime).

The ``command/exec`` request is answered only when the process exits, so a process's
request waits in a detached task of its own; its output arrives as
``command/exec/outputDelta`` notifications routed by ``processId`` (``keyed.py``).
"""

from __future__ import annotations

import base64
import contextlib
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import anyio

from openai_codex_transport import Detached, JsonRpcError, TransportClosedError

from ...errors import CommandError, CommandTimeoutError
from ..arguments import check_seconds
from ..resources import AsyncResource
from ..threads.presets import SandboxArg, turn_sandbox_wire

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from ..connection.session import Session
    from ..connection.sink import Sink

#: After ``terminate()`` at a deadline: how long to wait for the runtime's final answer.
TERMINATE_GRACE_S = 5.0

_EXITED: tuple[str, dict[str, Any]] = ("", {})  # pushed into the output sink after the final answer


@dataclass(frozen=True, slots=True)
class CommandResult:
    """A finished command, as ``subprocess.CompletedProcess``: ``args``, ``returncode``,
    ``stdout`` and ``stderr`` (text, decoded as UTF-8 with replacement)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def check_returncode(self) -> None:
        """Raise ``CommandError`` if ``returncode`` is not 0."""
        if self.returncode != 0:
            raise CommandError(self.args, self.returncode, self.stdout, self.stderr)


@dataclass(frozen=True, slots=True)
class CommandOutput:
    """One chunk of a streamed command's output: ``stream`` and the raw ``data``."""

    stream: Literal["stdout", "stderr"]
    data: bytes

    @property
    def text(self) -> str:
        """``data`` decoded as UTF-8 (a character split across chunks is replaced)."""
        return self.data.decode("utf-8", "replace")


def check_command(command: object) -> tuple[str, ...]:
    """The argv as a tuple of strings; a clear error for anything else."""
    if isinstance(command, (str, bytes)) or not isinstance(command, Sequence):
        raise TypeError(
            "command must be a sequence of strings (an argv such as ['ls', '-l']); "
            f"got {type(command).__name__}"
        )
    argv = tuple(command)
    if not argv:
        raise ValueError("command must not be empty")
    for arg in argv:
        if not isinstance(arg, str):
            raise TypeError(f"every command argument must be a str; got {arg!r}")
        if "\x00" in arg:
            raise ValueError(f"a command argument contains a NUL character: {arg!r}")
    return argv


def exec_params(
    argv: tuple[str, ...],
    *,
    process_id: str,
    cwd: str | None,
    env: Mapping[str, str | None] | None,
    sandbox: SandboxArg | None,
    stream_stdin: bool,
    stream_output: bool,
    tty: bool,
    size: tuple[int, int] | None,
    output_limit: int | None,
) -> dict[str, Any]:
    """The ``command/exec`` params (the deadline is the client's: ``disableTimeout``)."""
    params: dict[str, Any] = {
        "command": list(argv),
        "processId": process_id,
        "disableTimeout": True,
    }
    if cwd is not None:
        params["cwd"] = str(cwd)
    if env is not None:
        if not isinstance(env, Mapping) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in env.items()
        ):
            raise TypeError("env must map str to str (or None to unset a variable)")
        params["env"] = dict(env)
    policy = turn_sandbox_wire(sandbox)
    if policy is not None:
        params["sandboxPolicy"] = policy
    if tty:
        params["tty"] = True
        if size is not None:
            rows, cols = size
            params["size"] = {"rows": rows, "cols": cols}
    elif size is not None:
        raise ValueError("size is only for a PTY (tty=True)")
    if stream_stdin:
        params["streamStdin"] = True
    if stream_output:
        params["streamStdoutStderr"] = True
    if output_limit is not None:
        if isinstance(output_limit, bool) or not isinstance(output_limit, int) or output_limit < 1:
            raise ValueError(
                f"output_limit must be a positive number of bytes; got {output_limit!r}"
            )
        params["outputBytesCap"] = output_limit
    return params


class AsyncCommandProcess(AsyncResource):
    """A running ``command/exec`` process (``start_command``).

    ``output()`` streams its chunks, ``write()``/``close_stdin()`` feed stdin,
    ``resize()`` a PTY, ``terminate()`` kills it, ``wait()`` gives the ``CommandResult``
    (its ``stdout``/``stderr`` hold everything the process wrote, streamed or not).
    Leaving ``with``/``async with`` terminates a process still running.
    """

    def __init__(
        self, session: Session, args: tuple[str, ...], process_id: str, sink: Sink
    ) -> None:
        self._session = session
        self.args = args
        self.process_id = process_id
        self._sink = sink
        self._done = anyio.Event()
        self._answer: dict[str, Any] | None = None
        self._error: BaseException | None = None
        self._chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
        self._task: Detached | None = None
        self._ended = False  # the output sink gave its end marker

    def __repr__(self) -> str:
        return f"AsyncCommandProcess(args={self.args!r}, returncode={self.returncode!r})"

    async def _start(self, params: dict[str, Any]) -> None:
        """Send ``command/exec`` from a detached task; return once it is on its way.

        The task runs without a suspension from ``sending.set()`` into the connection's
        send (which writes at once or holds the send lock), so a ``write()`` made after
        this returns reaches the runtime after the request that starts the process.
        """
        sending = anyio.Event()

        async def request(_tg: TaskGroup) -> None:
            sending.set()
            try:
                self._answer = await self._session.request("command/exec", params, timeout=None)
            except BaseException as exc:  # delivered to wait()/output()
                self._error = exc
                if isinstance(exc, anyio.get_cancelled_exc_class()):
                    raise
            finally:
                self._session.keyed_streams("command/exec/outputDelta", "processId").close(
                    self.process_id
                )
                self._sink.push(_EXITED)
                self._done.set()

        self._task = Detached(request, name=f"command/exec {self.process_id}")
        await self._task.start()
        await sending.wait()

    @property
    def returncode(self) -> int | None:
        """The exit status once the process has exited, else ``None``."""
        answer = self._answer
        return None if answer is None else int(answer.get("exitCode", -1))

    # -- output -------------------------------------------------------------------
    def _take(self, item: Any) -> CommandOutput | None:
        """Record one sink item; the chunk it carries, or None at the end."""
        if isinstance(item, BaseException):
            if isinstance(item, TransportClosedError):
                raise item._copy() from item
            raise item
        if item is _EXITED:
            self._ended = True
            return None
        _method, params = item
        stream: Literal["stdout", "stderr"] = (
            "stderr" if params.get("stream") == "stderr" else "stdout"
        )
        data = base64.b64decode(params.get("deltaBase64") or "")
        self._chunks[stream].append(data)
        return CommandOutput(stream, data)

    async def output(self) -> AsyncIterator[CommandOutput]:
        """The process's output chunks as they arrive (``stdout`` and ``stderr``
        interleaved, each a ``CommandOutput``), ending when it exits."""
        while not self._ended:
            chunk = self._take(await self._sink.get())
            if chunk is not None:
                yield chunk
        self._raise_error()

    def _raise_error(self) -> None:
        """The ``command/exec`` request's error (a refused spawn, a lost connection)."""
        error = self._error
        if error is not None:
            if isinstance(error, TransportClosedError):
                raise error._copy() from error
            raise error

    # -- input and control ----------------------------------------------------------
    async def write(self, data: bytes | str) -> None:
        """Write to the process's stdin (a ``str`` is encoded as UTF-8)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"write() takes bytes or str; got {type(data).__name__}")
        await self._control(
            "command/exec/write",
            {"deltaBase64": base64.b64encode(bytes(data)).decode("ascii")},
        )

    async def close_stdin(self) -> None:
        """Close the process's stdin (end of input)."""
        await self._control("command/exec/write", {"closeStdin": True})

    async def resize(self, rows: int, cols: int) -> None:
        """Resize the PTY of a ``tty=True`` process (character cells)."""
        for name, value in (("rows", rows), ("cols", cols)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int; got {value!r}")
        await self._control("command/exec/resize", {"size": {"rows": rows, "cols": cols}})

    async def terminate(self) -> None:
        """Kill the process (a process that already exited is left alone)."""
        if self._done.is_set():
            return
        try:
            await self._session.request("command/exec/terminate", {"processId": self.process_id})
        except Exception:
            if not self._done.is_set():
                raise  # it exited meanwhile: nothing to terminate

    async def _control(self, method: str, params: dict[str, Any]) -> None:
        if self._done.is_set():
            raise RuntimeError(f"the command {list(self.args)!r} has already exited")
        await self._session.request(method, {"processId": self.process_id, **params})

    # -- the end --------------------------------------------------------------------
    async def wait(self, *, timeout: float | None = None) -> CommandResult:  # noqa: ASYNC109
        """Wait for the exit and return the ``CommandResult``. With ``timeout`` (seconds)
        the process is terminated at the deadline and ``CommandTimeoutError`` raised."""
        timeout = check_seconds(timeout, "timeout")
        timed_out = False
        if timeout is None:
            await self._done.wait()
        else:
            with anyio.move_on_after(timeout):
                await self._done.wait()
            if not self._done.is_set():
                timed_out = True
                with anyio.CancelScope(shield=True), anyio.move_on_after(TERMINATE_GRACE_S):
                    with contextlib.suppress(Exception):
                        await self.terminate()
                    await self._done.wait()
        result = self._result()
        if timed_out:
            assert timeout is not None
            raise CommandTimeoutError(self.args, timeout, result.stdout, result.stderr)
        return result

    def _result(self) -> CommandResult:
        while not self._ended:  # what is queued already: output() may not have run
            item = self._sink.get_nowait()
            if item is None:
                break
            self._take(item)
        self._raise_error()
        answer = self._answer or {}
        stdout = str(answer.get("stdout") or "") + _decoded(self._chunks["stdout"])
        stderr = str(answer.get("stderr") or "") + _decoded(self._chunks["stderr"])
        return CommandResult(self.args, self.returncode or 0, stdout, stderr)

    async def _on_exit(self, exc: BaseException | None) -> None:
        if not self._done.is_set():
            with anyio.CancelScope(shield=True), anyio.move_on_after(TERMINATE_GRACE_S):
                with contextlib.suppress(Exception):
                    await self.terminate()
                await self._done.wait()


def _decoded(chunks: list[bytes]) -> str:
    return b"".join(chunks).decode("utf-8", "replace") if chunks else ""


async def start_process(
    session: Session,
    command: Sequence[str],
    *,
    cwd: str | None,
    env: Mapping[str, str | None] | None,
    sandbox: SandboxArg | None,
    stream_stdin: bool,
    stream_output: bool,
    tty: bool = False,
    size: tuple[int, int] | None = None,
    output_limit: int | None = None,
) -> AsyncCommandProcess:
    """Send ``command/exec`` (answered at the exit) and return the running process."""
    argv = check_command(command)
    process_id = f"py-{uuid.uuid4().hex}"
    params = exec_params(
        argv,
        process_id=process_id,
        cwd=cwd,
        env=env,
        sandbox=sandbox,
        stream_stdin=stream_stdin,
        stream_output=stream_output,
        tty=tty,
        size=size,
        output_limit=output_limit,
    )
    await session.ensure_started()
    sink = session.keyed_streams("command/exec/outputDelta", "processId").open(process_id)
    process = AsyncCommandProcess(session, argv, process_id, sink)
    await process._start(params)
    return process


async def run_process(
    session: Session,
    command: Sequence[str],
    *,
    cwd: str | None,
    env: Mapping[str, str | None] | None,
    input: bytes | str | None,
    timeout: float | None,  # noqa: ASYNC109
    sandbox: SandboxArg | None,
    check: bool,
    output_limit: int | None,
) -> CommandResult:
    """``run_command``: start, feed ``input``, wait (bounded by ``timeout``)."""
    timeout = check_seconds(timeout, "timeout")
    if input is not None and not isinstance(input, (bytes, bytearray, str)):
        raise TypeError(f"input must be bytes or str; got {type(input).__name__}")
    process = await start_process(
        session,
        command,
        cwd=cwd,
        env=env,
        sandbox=sandbox,
        stream_stdin=input is not None,
        stream_output=False,
        output_limit=output_limit,
    )
    try:
        async with process:
            if input is not None:
                if input:
                    await process.write(input)
                await process.close_stdin()
            result = await process.wait(timeout=timeout)
    except JsonRpcError as exc:  # the runtime could not start it: as subprocess.run says
        from .files import AsyncFiles
        from .spawn_errors import spawn_os_error

        error = await spawn_os_error(exc, process.args[0], cwd, AsyncFiles(session).exists)
        if error is None:
            raise
        raise error from exc
    from .spawn_errors import panic_os_error

    not_started = panic_os_error(result.returncode, result.stderr)
    if not_started is not None:
        raise not_started
    if check:
        result.check_returncode()
    return result
