"""Plain-line output: what the renderer writes when stdout is not a terminal.

No colours, no cursor movement, nothing rewritten: agent text is written as it streams,
everything else one finished line at a time, so the output reads well in a log file or a
CI job. Only the standard library is used.
"""

from __future__ import annotations

from typing import IO

from ._view import Delta, MessageDone, Output, Print

__all__ = ["PlainOutput"]


class PlainOutput:
    """Writes :class:`~._view.TurnView` outputs to ``file`` as plain lines."""

    def __init__(self, file: IO[str]) -> None:
        self.file = file
        self._mid_line = False  # streamed agent text left the cursor mid-line

    def start(self) -> None:
        """Nothing to set up for plain lines."""

    def stop(self) -> None:
        """End a line left open by streamed text."""
        self._end_line()
        self.file.flush()

    def write(self, outputs: list[Output]) -> None:
        """Write what the view produced for one notification."""
        for output in outputs:
            if isinstance(output, Delta):
                self.file.write(output.text)
                self._mid_line = not output.text.endswith("\n")
            elif isinstance(output, MessageDone):
                text = "\n".join(line.text for line in output.lines)
                if output.streamed and text.startswith(output.streamed):
                    self.file.write(text[len(output.streamed) :])
                    self._mid_line = bool(text) and not text.endswith("\n")
                    self._end_line()
                else:
                    self._end_line()
                    if text:
                        self.file.write(text + "\n")
            elif isinstance(output, Print):
                self._end_line()
                for line in output.lines:
                    self.file.write(line.text + "\n")
        self.file.flush()

    def refresh(self) -> None:
        """Nothing is live in plain output."""

    def _end_line(self) -> None:
        if self._mid_line:
            self.file.write("\n")
            self._mid_line = False
