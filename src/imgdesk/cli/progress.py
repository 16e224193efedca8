"""Progress on a terminal: one line rewritten in place on a TTY, plain lines when piped."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._started = time.monotonic()
        self._line_open = False

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self._started:5.1f}s"

    def stage(self, text: str) -> None:
        if self._tty:
            self._stream.write(f"\r\x1b[2K[{self._elapsed()}] {text}")
            self._line_open = True
        else:
            self._stream.write(f"[{self._elapsed()}] {text}\n")
        self._stream.flush()

    def _end_line(self) -> None:
        if self._line_open:
            self._stream.write("\n")
            self._line_open = False

    def done(self) -> None:
        self._end_line()

    def note(self, text: str) -> None:
        self._end_line()
        self._stream.write(f"{text}\n")
        self._stream.flush()

    def error(self, text: str) -> None:
        self._end_line()
        # Every error line starts "imgdesk: ", also one whose sentence begins with the name.
        self._stream.write(f"imgdesk: {text}\n")
        self._stream.flush()
