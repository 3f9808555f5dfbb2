"""Progress of a long run: on a terminal one live line (share of the input read, file, records, rate,
elapsed time and ETA, tallies); elsewhere (a cron job, a log file) the same as a log line a minute."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1000
    return ""


class Progress:
    """Follows the input by bytes (compressed bytes for a gzipped file: the share of it read, which
    the records' count cannot give before the end), and the records as they are published."""

    def __init__(self, stream: TextIO = sys.stderr, enabled: bool = True, interval: float = 0.5,
                 log_interval: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.enabled = enabled
        self.terminal = stream.isatty()
        self.interval = interval if self.terminal else log_interval
        self.clock = clock
        self.started = clock()
        self._last = float("-inf")  # the first update draws at once
        self._drawn = False
        self.done = 0
        self.tallies = ""
        self.sizes: list[int] = []
        self.file_index = -1
        self.file_name = ""
        self._tell: Callable[[], int] | None = None

    # What the reader reports: the files, the one it opens, and where it is in it.

    def begin(self, files: list[Path]) -> None:
        self.sizes = []
        for path in files:
            try:
                self.sizes.append(path.stat().st_size)
            except OSError:
                self.sizes.append(0)

    def open_file(self, index: int, path: Path) -> None:
        self.file_index, self.file_name, self._tell = index, path.name, None

    def reading(self, tell: Callable[[], int]) -> None:
        self._tell = tell

    def fraction(self) -> float | None:
        """The share of the input's bytes read so far, or None when the input has no size."""
        total = sum(self.sizes)
        if not total or self.file_index < 0:
            return None
        position = 0
        if self._tell is not None:
            try:
                position = self._tell()
            except (OSError, ValueError):  # the file was closed: it was read to its end
                position = self.sizes[self.file_index]
        read = sum(self.sizes[:self.file_index]) + min(position, self.sizes[self.file_index])
        return min(read / total, 1.0)

    # What the writer reports: records done and the tallies so far.

    def update(self, done: int, tallies: str) -> None:
        self.done, self.tallies = done, tallies
        now = self.clock()
        if not self.enabled or now - self._last < self.interval:
            return
        self._last = now
        if self.terminal:
            width = shutil.get_terminal_size((120, 20)).columns - 1
            self.stream.write("\r\x1b[K" + self.line(now)[:width])
            self._drawn = True
        else:
            self.stream.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} rdfpub: {self.line(now)}\n")
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        elapsed = now - self.started
        parts = []
        fraction = self.fraction()
        if fraction is not None:
            parts.append(f"{fraction:6.1%} of {_size(sum(self.sizes))}")
        if self.file_index >= 0:
            parts.append(f"file {self.file_index + 1}/{len(self.sizes)} {self.file_name}")
        parts += [f"{self.done:,} records", f"{self.rate(now):,.0f}/s", f"elapsed {_duration(elapsed)}"]
        if fraction:
            parts.append(f"ETA {_duration(elapsed * (1 - fraction) / fraction)}")
        return "  ".join(parts) + (f"  {self.tallies}" if self.tallies else "")

    def rate(self, now: float | None = None) -> float:
        elapsed = (self.clock() if now is None else now) - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
