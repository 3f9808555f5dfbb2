"""Deadlines for the work requests start outside the SPARQL endpoint: pages, /resolve, the dataset description, dumps.

A store query cannot be stopped once it runs, so work here is a series of bounded queries that
checks its deadline between them (`Deadline.check`), on a few threads of its own; the request
stops waiting at the deadline and gets 503 with Retry-After. Work many requests want (the dataset
description, a dump, the counts on the landing page) is done once, on a thread of its own, however
many ask for it at once: each request waits for it up to its own deadline.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
# Page work at once: beyond this, pages wait (each up to its deadline) rather than crowd the CPU
# that quick queries and other pages need.
PAGE_THREADS = 4


class DeadlinePassed(Exception):
    """Raised inside work whose request has stopped waiting for it."""


class Busy(Exception):
    """The work did not end by the request's deadline: 503, a message, and when to come back."""

    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class Deadline:
    """A moment on the monotonic clock; work calls `check()` between its steps."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise DeadlinePassed


class Work:
    """The app's threads for page work and for shared work, and the deadline of each request."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._pages = concurrent.futures.ThreadPoolExecutor(PAGE_THREADS, thread_name_prefix="rdfpub-page")
        self._shared: dict[Hashable, concurrent.futures.Future] = {}
        self._lock = threading.Lock()

    async def page(self, work: Callable[[Deadline], T]) -> T:
        """`work(deadline)` on a page thread; Busy when it has not ended by the deadline (it then
        stops at its next check, or before it starts if it is still waiting for a thread)."""
        deadline = Deadline(self.timeout)
        future = self._pages.submit(work, deadline)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), max(0.0, deadline.left()))
        except (asyncio.TimeoutError, DeadlinePassed):
            raise Busy(f"the server is busy: this page was not ready within {self.timeout:g} s; "
                       "try again shortly", retry_after=max(1, round(self.timeout))) from None

    async def shared(self, key: Hashable, work: Callable[[], T], what: str) -> T:
        """The result of `work()` for `key`, computed once on a thread of its own whoever asks
        first; the latest result of each kind (`key[0]`) is kept. Busy when it is not ready by
        the request's deadline; it goes on, and the request that asks after gets it."""
        with self._lock:
            future = self._shared.get(key)
            if future is None or (future.done() and future.exception() is not None):
                future = concurrent.futures.Future()
                for other in [k for k, f in self._shared.items() if k[0] == key[0] and f.done()]:
                    del self._shared[other]
                self._shared[key] = future
                # A daemon thread: a server stopping mid-way does not wait for a whole count or dump.
                threading.Thread(target=_fill, args=(future, work), daemon=True,
                                 name=f"rdfpub-{key[0]}").start()
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout)
        except asyncio.TimeoutError:
            raise Busy(f"{what} is being prepared (once, for every request); it was not ready within "
                       f"{self.timeout:g} s: try again in a minute", retry_after=60) from None

    def close(self) -> None:
        self._pages.shutdown(wait=False, cancel_futures=True)


def _fill(future: concurrent.futures.Future, work: Callable) -> None:
    try:
        future.set_result(work())
    except BaseException as error:  # the requests waiting for it get the error
        future.set_exception(error)


class Timed:
    """A store whose every query first checks a deadline: work made of many bounded queries then
    stops within one query of it."""

    def __init__(self, store, deadline: Deadline):
        self._store, self._deadline = store, deadline

    def query(self, *args, **kwargs):
        self._deadline.check()
        return self._store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def app_work(app) -> Work:
    """The app's Work, made on first use with the page deadline of its settings."""
    work = getattr(app.state, "work", None)
    if work is None:
        app.state.work = work = Work(app.state.settings.page_timeout)
    return work
