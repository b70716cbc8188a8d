"""``TurnRenderer`` (feed it events) and ``render(handle)`` (show a whole turn)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, Protocol, TextIO, overload

from .._core.resources import Resource
from ._plain import PlainOutput
from ._view import Output, TurnView

if TYPE_CHECKING:
    from rich.console import Console

    from .._core.connection.notifications import Notification
    from .._core.turns.results import TurnResult

__all__ = ["TurnRenderer", "render", "run_with_progress"]


class _Output(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def write(self, outputs: list[Output]) -> None: ...
    def refresh(self) -> None: ...


def _rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


class TurnRenderer(Resource):
    """Shows one turn's notifications as they arrive; use it as a context manager.

    ``console``: a ``rich.console.Console`` to draw on (its ``file`` is used for plain
    lines). ``file``: where to write without a console (default ``sys.stdout``).
    ``plain``: ``True`` for plain lines, ``False`` for the live display, ``None`` (default)
    to choose: the live display when the output is a terminal and ``rich`` is installed
    (``pip install 'openai-codex[console]'``), plain lines otherwise. ``cwd``: file paths
    under it are shown relative to it (default: the current directory).
    ``auto_refresh``: redraw the live region on a timer (spinner and elapsed time); with
    ``False`` it is redrawn on each event only.

    ::

        with TurnRenderer() as renderer:
            for event in handle.stream():
                renderer.feed(event)
    """

    def __init__(
        self,
        console: Console | None = None,
        *,
        file: TextIO | None = None,
        plain: bool | None = None,
        cwd: str | None = None,
        auto_refresh: bool = True,
    ) -> None:
        if console is not None and file is not None:
            raise TypeError("TurnRenderer: pass console= or file=, not both")
        if plain is not None and not isinstance(plain, bool):
            raise TypeError(f"TurnRenderer: plain must be True, False or None; got {plain!r}")
        self.view = TurnView(cwd=cwd)
        out: IO[str] = (
            file if file is not None else (console.file if console is not None else sys.stdout)
        )
        if plain is None:
            terminal = console.is_terminal if console is not None else _isatty(out)
            plain = not (terminal and (console is not None or _rich_available()))
        self.plain = plain
        self._output: _Output
        if plain:
            self._output = PlainOutput(out)
            self._lock: Any = None
        else:
            from ._live import LiveOutput

            if console is None:
                from rich.console import Console

                console = Console(file=out)
            live = LiveOutput(console, self.view, auto_refresh=auto_refresh)
            self._output = live
            self._lock = live.lock
        self._started = False

    def _open(self) -> None:
        self.start()

    def close(self) -> None:
        """Stop the display (as leaving ``with`` does); the same as :meth:`stop`."""
        self.stop()

    def start(self) -> None:
        """Start the display (the spinner); :meth:`feed` starts it too."""
        if not self._started:
            self._started = True
            self._output.start()

    def stop(self) -> None:
        """End the display: the live region goes, the finished lines stay."""
        if self._started:
            self._started = False
            self._output.stop()

    def feed(self, event: Notification | tuple[str, Mapping[str, Any]]) -> None:
        """Show one notification (a ``Notification`` or a raw ``(method, params)`` pair)."""
        if isinstance(event, tuple):
            method, params = event
        else:
            method, params = event.method, event.params
        self.start()
        if self._lock is None:
            self._output.write(self.view.feed(method, params))
            return
        with self._lock:
            outputs = self.view.feed(method, params)
        self._output.write(outputs)

    def refresh(self) -> None:
        """Redraw the live region now (no-op for plain lines)."""
        self._output.refresh()


def _isatty(file: IO[str]) -> bool:
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):  # closed or not a real file
        return False


class _SyncHandle(Protocol):
    def stream(self) -> Iterator[Notification]: ...
    def run(self) -> TurnResult: ...


class _AsyncHandle(Protocol):
    def stream(self) -> AsyncIterator[Notification]: ...
    async def run(self) -> TurnResult: ...


@overload
def render(
    handle: _AsyncHandle,
    *,
    console: Console | None = ...,
    file: TextIO | None = ...,
    plain: bool | None = ...,
    cwd: str | None = ...,
) -> Awaitable[TurnResult]: ...


@overload
def render(
    handle: _SyncHandle,
    *,
    console: Console | None = ...,
    file: TextIO | None = ...,
    plain: bool | None = ...,
    cwd: str | None = ...,
) -> TurnResult: ...


def render(
    handle: _SyncHandle | _AsyncHandle,
    *,
    console: Console | None = None,
    file: TextIO | None = None,
    plain: bool | None = None,
    cwd: str | None = None,
) -> TurnResult | Awaitable[TurnResult]:
    """Show a turn in the terminal as it runs, then return its ``TurnResult``.

    ``handle`` is a ``TurnHandle`` (``render`` returns the result) or an
    ``AsyncTurnHandle`` (``await render(handle)``). The result is the handle's ``run()``:
    a failed turn is shown, then raises ``TurnFailedError``. See :class:`TurnRenderer`
    for the options.
    """
    renderer = TurnRenderer(console, file=file, plain=plain, cwd=cwd)
    events = handle.stream()
    if isinstance(events, AsyncIterator):
        return _render_async(handle, events, renderer)  # type: ignore[arg-type]
    with renderer:
        for event in events:
            renderer.feed(event)
    return handle.run()


async def _render_async(
    handle: _AsyncHandle, events: AsyncIterator[Notification], renderer: TurnRenderer
) -> TurnResult:
    with renderer:
        async for event in events:
            renderer.feed(event)
    return await handle.run()


async def run_with_progress(handle: Any, *, timeout: float | None = None) -> TurnResult:
    """``await handle.run(timeout=...)`` while a :class:`TurnRenderer` shows its events
    (``thread.run(..., progress=True)``); the result and errors are ``run()``'s own."""
    with TurnRenderer() as renderer:
        handle._observer = lambda method, params: renderer.feed((method, params))
        try:
            result: TurnResult = await handle.run(timeout=timeout)
        finally:
            handle._observer = None
    return result
