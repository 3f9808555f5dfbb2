"""Who runs a query now: places for a fixed number at once, and a slow lane that may never take them all.

Nobody can tell a slow query from a quick one before it runs, so every query starts as quick and is
moved to the slow lane (`demote`) once it has run past a short probation; the slow lane has half
the places, so the other half always turn over within one probation. When every place is taken,
arrivals wait in order of arrival, and nobody waits longer than `max_wait` seconds: past that, a
query is refused at once with 503 and Retry-After rather than kept waiting behind work the server
cannot do. (Serving the newest first, as Facebook's "adaptive LIFO" does, lets what arrives after a
burst skip it, but starves the oldest waiters whenever clients keep every place busy: the soak
test's steady lookups were refused so.)
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque


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
        self._waiting: deque[asyncio.Future] = deque()  # the first to arrive is the first served
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
        self._waiting = deque(w for w in self._waiting if not w.done())

    def demote(self) -> bool:
        """Moves a running query to the slow lane; False (and nothing moves) when the lane is full."""
        if self.slow >= self.max_slow:
            self.counts["shed"] += 1
            return False
        self.slow += 1
        self.peak_slow = max(self.peak_slow, self.slow)
        self.counts["demoted"] += 1
        return True

    @property
    def slow_lane_full(self) -> bool:
        return self.slow >= self.max_slow

    def leave(self, slow: bool) -> None:
        """Gives a place back: to the query that has waited longest, else to nobody."""
        if slow:
            self.slow -= 1
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(True)
                return
        self.running -= 1
