"""The pool of query worker processes: checkpoints of the store, a deadline that kills, and a lane kept for fast queries."""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("query_worker.py")
# A query still running after this long is "slow". Slow queries may hold every worker but one, so
# a query that finishes quickly always finds a worker within about this long.
SLOW_AFTER = 1.0
# Workers started with the pool, so the first queries do not wait for a process to start.
WARM_WORKERS = 2
# Each message on a pipe, either way, is a pickle behind its length (query_worker.py reads the same).
FRAME = struct.Struct("<I")
READ_SIZE = 1 << 16  # a pipe holds 64 KiB: one read never returns more


class QueryFailed(Exception):
    """The pool could not answer: the HTTP status to send and a message that says why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class _Worker:
    """One worker process, a pipe to it and a pipe back. Messages are pickles behind a 4-byte
    length; the event loop reads replies as they arrive, without ever blocking on the pipe."""

    def __init__(self):
        job_read, job_write = os.pipe()
        reply_read, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), str(job_read), str(reply_write)],
            pass_fds=(job_read, reply_write), stdin=subprocess.DEVNULL)
        os.close(job_read)
        os.close(reply_write)
        os.set_blocking(reply_read, False)
        self.jobs = job_write
        self.replies = reply_read
        self.checkpoint: str | None = None
        self._buffer = bytearray()
        self._reply: dict | None = None
        self._dead = False
        self._waiter: asyncio.Future | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def call(self, job: dict) -> None:
        self.checkpoint = job.get("checkpoint", self.checkpoint)
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        frame = memoryview(FRAME.pack(len(data)) + data)
        try:
            while frame:  # a job is small (the guard caps a query at 100,000 characters)
                frame = frame[os.write(self.jobs, frame):]
        except OSError:
            raise _crashed() from None

    def _readable(self) -> None:
        """Called by the event loop when the reply pipe has bytes (or the worker has died)."""
        try:
            chunk = os.read(self.replies, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._dead = True
            self._stop_reading()
        self._buffer += chunk
        if len(self._buffer) >= FRAME.size:
            (size,) = FRAME.unpack_from(self._buffer)
            if len(self._buffer) >= FRAME.size + size:
                self._reply = pickle.loads(memoryview(self._buffer)[FRAME.size:FRAME.size + size])
                del self._buffer[:FRAME.size + size]
        if (self._reply is not None or self._dead) and self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _stop_reading(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self.replies)
        self._loop = None

    async def reply(self, timeout: float) -> dict | None:
        """The worker's reply, or None when it has not come within `timeout` seconds."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop and not self._dead:  # a test client may run each request in a new loop
            self._stop_reading()
            loop.add_reader(self.replies, self._readable)
            self._loop = loop
        if self._reply is None and not self._dead:
            self._waiter = loop.create_future()
            timer = loop.call_later(max(timeout, 0), self._waiter.set_result, None)
            try:
                await self._waiter
            finally:
                timer.cancel()
                self._waiter = None
        reply, self._reply = self._reply, None
        if reply is None and self._dead:
            raise _crashed()
        return reply

    def kill(self) -> None:
        self._stop_reading()
        self.process.kill()
        self.process.wait()
        os.close(self.jobs)
        os.close(self.replies)


def _crashed() -> QueryFailed:
    return QueryFailed(500, "the query crashed the query engine (a worker process died); "
                            "it may be nested too deeply or be too large")


class QueryPool:
    """Runs jobs in at most `size` worker processes over a read-only checkpoint of `store`."""

    def __init__(self, store, size: int, timeout: float):
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self.max_slow = max(1, self.size - 1)
        # Beside the store, so that checkpoints are hard links on the same file system; one folder
        # per pool, so that two apps over one store (as in tests) never touch each other's.
        self.folder = Path(f"{store.path}.checkpoints")
        self.root = self.folder / f"{os.getpid()}-{id(self):x}"
        self.spool = ""
        self.checkpoint = ""
        self._generation = itertools.count(1)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._waiting: deque[asyncio.Future] = deque()
        self._slow = 0
        self._warming: list[_Worker] = []
        self.stats_cache: dict[str, dict] = {}

    def start(self) -> None:
        self._remove_orphans()
        self.root.mkdir(parents=True)
        self.spool = tempfile.mkdtemp(prefix="rdfpub-results-")
        self.publish()
        for _ in range(min(WARM_WORKERS, self.size)):
            worker = _Worker()
            worker.call({"kind": "warm", "checkpoint": self.checkpoint})
            self._all.add(worker)
            self._warming.append(worker)

    def _remove_orphans(self) -> None:
        """Removes the checkpoints of servers that were killed before they could clean up."""
        if not self.folder.is_dir():
            return
        for old in self.folder.iterdir():
            pid = old.name.split("-")[0]
            try:
                os.kill(int(pid), 0)
            except (ValueError, ProcessLookupError):
                shutil.rmtree(old, ignore_errors=True)
            except PermissionError:
                pass  # alive, someone else's

    def publish(self) -> str:
        """Takes a new checkpoint of the store (hard links: quick); workers move to it between
        queries. A read-only store next to a writer of the same directory is undefined behaviour
        in Oxigraph, so workers never open the live store itself."""
        path = self.root / f"checkpoint-{next(self._generation)}"
        # Store has no public checkpoint method yet; pyoxigraph's backup is what it would call.
        self.store.checkpoint(path)
        self.checkpoint = str(path)
        in_use = {w.checkpoint for w in self._all} | {self.checkpoint}
        for old in self.root.iterdir():
            if str(old) not in in_use:
                shutil.rmtree(old, ignore_errors=True)
        return self.checkpoint

    def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle.clear()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()
        if self.spool:
            shutil.rmtree(self.spool, ignore_errors=True)

    async def _collect_warm(self) -> None:
        """Takes the warm-up replies, so that they are not read as the answer to a query."""
        warming, self._warming = self._warming, []
        for worker in warming:
            try:
                if await worker.reply(self.timeout) is not None:
                    self._idle.append(worker)
                    continue
            except QueryFailed:
                pass
            self._discard(worker)

    async def _acquire(self, deadline: float) -> _Worker:
        if self._warming:
            await self._collect_warm()
        if self._idle:
            return self._idle.pop()
        if len(self._all) < self.size:
            worker = _Worker()
            self._all.add(worker)
            return worker
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await asyncio.wait_for(waiter, max(0, deadline - asyncio.get_running_loop().time()))
        except asyncio.TimeoutError:
            raise QueryFailed(503, f"the server is busy: no query worker became free within "
                                   f"{self.timeout:g} s; try again later", {"Retry-After": "10"}) from None
        finally:
            if waiter in self._waiting:
                self._waiting.remove(waiter)

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if self._waiting and len(self._all) < self.size:
            replacement = _Worker()
            self._all.add(replacement)
            self._release(replacement)

    async def run(self, job: dict) -> dict:
        """The worker's reply to `job`; raises QueryFailed at the deadline (the worker is killed,
        which frees everything the query held) or when too many slow queries already run."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        worker = await self._acquire(deadline)
        job = dict(job, checkpoint=self.checkpoint, spool=self.spool)
        healthy = False
        try:
            worker.call(job)
            reply = await worker.reply(min(SLOW_AFTER, deadline - loop.time()))
            if reply is None and loop.time() < deadline:
                if self._slow >= self.max_slow:
                    raise QueryFailed(503, f"the server is busy with {self._slow} long-running queries; this "
                                           f"one ran over {SLOW_AFTER:g} s and was stopped so that quick "
                                           "queries keep being answered; try again later", {"Retry-After": "30"})
                self._slow += 1
                try:
                    reply = await worker.reply(deadline - loop.time())
                finally:
                    self._slow -= 1
            if reply is None:
                raise QueryFailed(504, f"the query ran longer than the {self.timeout:g} s limit and was "
                                       "stopped; narrow it down (a LIMIT, more specific patterns) and retry")
            healthy = True
            return reply
        finally:
            # A worker that did not answer is still computing: only killing it stops the query.
            if healthy:
                self._release(worker)
            else:
                self._discard(worker)

    async def stats(self, queries: dict[str, str]) -> dict[str, int]:
        """Counts for the service description, computed once per checkpoint."""
        if self.checkpoint not in self.stats_cache:
            reply = await self.run({"kind": "stats", "queries": queries})
            if reply["status"] != 200:
                raise QueryFailed(reply["status"], reply["message"])
            self.stats_cache = {self.checkpoint: reply["stats"]}
        return self.stats_cache[self.checkpoint]
