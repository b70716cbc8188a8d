"""The live terminal output, drawn with ``rich`` (the ``openai-codex[console]`` extra).

Finished lines are printed above a small live region that rich redraws in place: the
agent text as it streams, the reasoning summary so far, the tail of a running command's
output, and a spinner with the elapsed time, what is happening and the tokens so far.
The live region is transient: when the turn ends only the finished lines stay on screen,
the same text the plain output writes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from ._view import Delta, Line, MessageDone, Output, Print, TurnView

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["LiveOutput"]

#: Lines of a running command's output shown in the live region.
LIVE_OUTPUT_LINES = 4


def _text(lines: tuple[Line, ...] | list[Line]) -> Text:
    text = Text()
    for index, line in enumerate(lines):
        if index:
            text.append("\n")
        text.append(line.text, style=line.style or None)
    return text


class _LiveRegion:
    """The live region's renderable: built from the view's state at each redraw."""

    def __init__(self, owner: LiveOutput) -> None:
        self.owner = owner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.owner.live_renderable()


class LiveOutput:
    """Prints :class:`~._view.TurnView` outputs to a rich ``Console`` with a live region.

    ``auto_refresh=False`` redraws only on :meth:`refresh` and on each event (tests use it
    with a console whose ``get_time`` is fixed, so every frame is deterministic).
    """

    def __init__(self, console: Console, view: TurnView, *, auto_refresh: bool = True) -> None:
        self.console = console
        self.view = view
        self._lock = threading.RLock()  # rich redraws from its own thread
        self._started_at = console.get_time()
        self._spinner = Spinner("dots", style="cyan")
        self._live = Live(
            _LiveRegion(self),
            console=console,
            auto_refresh=auto_refresh,
            refresh_per_second=8,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )

    @property
    def lock(self) -> threading.RLock:
        """Held while the view changes and while the live region is drawn."""
        return self._lock

    def start(self) -> None:
        """Show the live region."""
        self._started_at = self.console.get_time()
        self._live.start()

    def stop(self) -> None:
        """Remove the live region (only the finished lines stay)."""
        self._live.stop()

    def write(self, outputs: list[Output]) -> None:
        """Print what the view produced for one notification, above the live region."""
        for output in outputs:
            if isinstance(output, Delta):
                continue  # the live region shows the streamed text
            if isinstance(output, (Print, MessageDone)) and output.lines:
                self.console.print(_text(output.lines), soft_wrap=False, highlight=False)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the live region now."""
        self._live.refresh()

    def live_renderable(self) -> RenderableType:
        """The live region: what is in progress, then the spinner line."""
        with self._lock:
            view = self.view
            parts: list[RenderableType] = []
            if view.completed:
                return Text("")
            if view.reasoning_text:
                parts.append(Text(f"thinking: {view.reasoning_text}", style="dim italic"))
            if view.streaming_text:
                parts.append(Text(view.streaming_text))
            if view.command_output.strip():
                tail = view.command_output.rstrip("\n").split("\n")[-LIVE_OUTPUT_LINES:]
                parts.append(Text("\n".join(f"  {line}" for line in tail), style="dim"))
            if view.pending_approval is not None:
                label = "waiting for approval"
            elif view.activity is not None:
                label = view.activity
            elif view.streaming_text is not None:
                label = "writing"
            else:
                label = "thinking"
            elapsed = max(0.0, self.console.get_time() - self._started_at)
            status = f"{label} · {elapsed:.1f} s"
            if view.usage.total:
                status += f" · {view.usage.total:,} tokens"
            self._spinner.update(text=Text(status, style="cyan"))
            parts.append(self._spinner)
            return Group(*parts)
