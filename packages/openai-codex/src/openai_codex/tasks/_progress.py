"""Live progress of a run: a ``rich`` view on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import IO, Any, Literal, Protocol

from ._results import TaskResult

__all__ = ["PlainProgress", "Progress", "ProgressMode", "RichProgress", "make_progress"]

#: ``auto``: rich on a terminal when installed, plain lines otherwise
ProgressMode = Literal["auto", "rich", "plain", "none"]


class Progress(Protocol):
    """What the runner tells the display."""

    def start(self, total: int, done: list[TaskResult], concurrency: int) -> None: ...
    def started(self, task_id: str) -> None: ...
    def finished(self, result: TaskResult) -> None: ...
    def stop(self) -> None: ...


def _result_line(result: TaskResult) -> str:
    parts = [f"{result.status:<9} {result.id}", f"{result.duration_s:.1f} s"]
    if result.tokens.total:
        parts.append(f"{result.tokens.total:,} tokens")
    if result.error:
        parts.append(result.error.splitlines()[0][:120])
    return " · ".join(parts)


class _State:
    def __init__(self) -> None:
        self.total = 0
        self.concurrency = 1
        self.counts = {"passed": 0, "failed": 0, "timed_out": 0, "error": 0}
        self.tokens = 0
        self.finished = 0  # in this run (resumed ones are in counts, not here)
        self.already = 0
        self.running: dict[str, float] = {}
        self.began = time.monotonic()

    def start(self, total: int, done: list[TaskResult], concurrency: int) -> None:
        self.total, self.concurrency, self.already = total, concurrency, len(done)
        for result in done:
            self.add(result)
        self.began = time.monotonic()

    def finish(self, result: TaskResult) -> None:
        """A task ended: no longer running, counted, its figures added."""
        self.running.pop(result.id, None)
        self.add(result)
        self.finished += 1

    def add(self, result: TaskResult) -> None:
        self.counts[result.status] += 1
        self.tokens += result.tokens.total

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def eta(self) -> str:
        left = self.total - self.done
        if self.finished == 0 or left <= 0:
            return "--"
        seconds = (time.monotonic() - self.began) / self.finished * left
        minutes, secs = divmod(int(seconds), 60)
        return f"{minutes}:{secs:02d}"

    def header(self) -> str:
        c = self.counts
        return (
            f"{self.done}/{self.total} done · {len(self.running)} running · "
            f"{c['passed']} passed · {c['failed'] + c['error']} failed · "
            f"{c['timed_out']} timed out · {self.tokens:,} tokens · ETA {self.eta()}"
        )


class PlainProgress:
    """One line per finished task (``[3/10] passed t03 · 4.2 s · 1,234 tokens``)."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self._file = file if file is not None else sys.stdout
        self._state = _State()

    def _print(self, text: str) -> None:
        print(text, file=self._file, flush=True)

    def start(self, total: int, done: list[TaskResult], concurrency: int) -> None:
        """Say what runs."""
        self._state.start(total, done, concurrency)
        resumed = f", {len(done)} already done (resumed)" if done else ""
        self._print(f"tasks: {total} in the set{resumed}, at most {concurrency} at once")

    def started(self, task_id: str) -> None:
        """A task began (not shown: only ends are)."""
        self._state.running[task_id] = time.monotonic()

    def finished(self, result: TaskResult) -> None:
        """Print the task's line."""
        state = self._state
        state.finish(result)
        self._print(f"[{state.done}/{state.total}] {_result_line(result)}")

    def stop(self) -> None:
        """Nothing to tear down."""


class RichProgress:
    """A live view: a bar, counts, tokens and ETA, the running tasks; each finished task
    printed above it."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console

        self._console = console if console is not None else Console()
        self._state = _State()
        self._live: Any = None

    def _view(self) -> Any:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.text import Text

        state = self._state
        now = time.monotonic()
        lines: list[Any] = [
            ProgressBar(total=max(state.total, 1), completed=state.done, width=50),
            Text(state.header(), style="bold"),
        ]
        for task_id, began in sorted(state.running.items(), key=lambda kv: kv[1])[:12]:
            lines.append(Text(f"  ⠿ {task_id}  {now - began:.0f} s", style="cyan"))
        if len(state.running) > 12:
            lines.append(Text(f"  ... and {len(state.running) - 12} more"))
        return Group(*lines)

    def start(self, total: int, done: list[TaskResult], concurrency: int) -> None:
        """Start the live view."""
        from rich.live import Live

        self._state.start(total, done, concurrency)
        if done:
            self._console.print(f"resumed: {len(done)} of {total} tasks already done")
        self._live = Live(
            get_renderable=self._view,
            console=self._console,
            refresh_per_second=4,
            transient=True,
        )
        self._live.start()

    def started(self, task_id: str) -> None:
        """Show the task as running."""
        self._state.running[task_id] = time.monotonic()

    def finished(self, result: TaskResult) -> None:
        """Print the task's line above the live view."""
        state = self._state
        state.finish(result)
        style = {"passed": "green", "failed": "red", "timed_out": "yellow", "error": "red"}
        self._console.print(
            f"[{style[result.status]}]{_result_line(result)}[/]", highlight=False, markup=True
        )

    def stop(self) -> None:
        """End the live view (the finished lines stay)."""
        if self._live is not None:
            self._live.stop()
            self._live = None
            self._console.print(self._state.header(), highlight=False)


class _NoProgress:
    def start(self, total: int, done: list[TaskResult], concurrency: int) -> None:
        """Nothing shown."""

    def started(self, task_id: str) -> None:
        """Nothing shown."""

    def finished(self, result: TaskResult) -> None:
        """Nothing shown."""

    def stop(self) -> None:
        """Nothing shown."""


def make_progress(mode: ProgressMode = "auto", file: IO[str] | None = None) -> Progress:
    """The display for ``mode``: ``rich`` needs ``pip install 'openai-codex[console]'``;
    ``auto`` picks it when the output is a terminal and rich is installed."""
    out = file if file is not None else sys.stdout
    if mode == "none":
        return _NoProgress()
    if mode == "auto":
        try:
            terminal = out.isatty()
        except (AttributeError, ValueError):
            terminal = False
        try:
            import rich  # noqa: F401
        except ImportError:
            terminal = False
        mode = "rich" if terminal else "plain"
    if mode == "rich":
        try:
            from rich.console import Console
        except ImportError:
            raise ImportError(
                "the live progress view needs rich: pip install 'openai-codex[console]' "
                "(or use progress='plain')"
            ) from None
        return RichProgress(Console(file=out))
    return PlainProgress(out)
