"""Who runs a query now: places for a fixed number at once, a slow lane that may never take them all, newest first.

Nobody can tell a slow query from a quick one before it runs, so every query starts as quick and is
moved to the slow lane (`demote`) once it has run past a short probation; the slow lane has fewer
places than there are in all, so some places always turn over within one probation. When every
place is taken, arrivals wait on a stack, not in a line: the newest is served first, so a burst
that arrived together (slow queries, most often) waits below what arrives after it, and nobody
waits longer than `max_wait` seconds: past that, a query is refused at once with 503 and
Retry-After rather than kept waiting behind work the server cannot do (Facebook's "adaptive LIFO"
with a bounded wait, Maurer, ACM Queue 13(8), 2015).
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter


class Refused(Exception):
    """No place became free in time: the HTTP status, a message, and when to come back."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.status = 503
        self.headers = {"Retry-After": str(max(1, math.ceil(retry_after)))}


class Lanes:
    """`size` places; at most `max_slow` of them held by slow queries; arrivals wait at most `max_wait` s."""

    def __init__(self, size: int, max_slow: int, max_wait: float):
        self.size = max(1, size)
        self.max_slow = max(0, min(max_slow, self.size))
        self.max_wait = max_wait
        self.running = 0  # places held, by quick and slow queries
        self.slow = 0
        self._waiting: list[asyncio.Future] = []  # a stack: the last to arrive is the first served
        # What happened to the queries that asked, for the log, the tests and bench/soak.py.
        self.counts: Counter[str] = Counter()
        self.peak_slow = 0

    @property
    def waiting(self) -> int:
        return sum(not waiter.done() for waiter in self._waiting)

    async def enter(self, deadline: float | None = None) -> None:
        """Takes a place, waiting for one at most `max_wait` seconds (and not past `deadline`, a
        time of the running loop); raises Refused when none came."""
        loop = asyncio.get_running_loop()
        if self.running < self.size and not self.waiting:
            self.running += 1
            self.counts["admitted"] += 1
            return
        wait = self.max_wait if deadline is None else min(self.max_wait, deadline - loop.time())
        waiter = loop.create_future()
        self._waiting.append(waiter)
        timer = loop.call_later(max(0.0, wait), self._expire, waiter)
        try:
            admitted = await waiter
        except asyncio.CancelledError:  # the client went away; a place handed over meanwhile goes on
            if waiter.done() and not waiter.cancelled() and waiter.result():
                self.leave(slow=False)
            raise
        finally:
            timer.cancel()
        if not admitted:
            self.counts["refused"] += 1
            raise Refused(f"the server is busy: no query could start within {self.max_wait:g} s "
                          f"({self.running} running, {self.slow} of them long); try again shortly",
                          retry_after=self.max_wait)
        self.counts["admitted"] += 1
        self.counts["waited"] += 1

    def _expire(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            waiter.set_result(False)
        self._waiting = [w for w in self._waiting if not w.done()]

    def demote(self) -> bool:
        """Moves a running query to the slow lane; False (and nothing moves) when the lane is full."""
        if self.slow >= self.max_slow:
            self.counts["shed"] += 1
            return False
        self.slow += 1
        self.peak_slow = max(self.peak_slow, self.slow)
        self.counts["demoted"] += 1
        return True

    def leave(self, slow: bool) -> None:
        """Gives a place back: to the newest waiting query, else to nobody."""
        if slow:
            self.slow -= 1
        while self._waiting:
            waiter = self._waiting.pop()
            if not waiter.done():
                waiter.set_result(True)
                return
        self.running -= 1
