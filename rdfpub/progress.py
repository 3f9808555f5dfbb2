"""A one-line progress display for long runs: records done, records per second, and the tallies so far."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws one line on a terminal at most every `interval` seconds; silent when not a terminal."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 0.5, enabled: bool | None = None):
        self.stream = stream
        self.interval = interval
        self.enabled = stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._last = 0.0
        self.done = 0

    def update(self, done: int, tallies: str) -> None:
        self.done = done
        now = time.monotonic()
        if not self.enabled or now - self._last < self.interval:
            return
        self._last = now
        self.stream.write(f"\r\x1b[K{done:,} records  {self.rate():,.0f}/s  {tallies}")
        self.stream.flush()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
