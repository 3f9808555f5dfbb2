"""The pool of query worker processes: checkpoints of the store, a deadline that kills, memory caps, and lanes that keep quick queries moving.

Every query starts as quick, on probation: it is slow once its worker has spent SLOW_AFTER seconds
of CPU on it, or QUICK_SECONDS while other queries wait for a worker (CPU time, not time on the
clock, so a quick query that waited for a busy CPU is not taken for a slow one), or after
WALL_PROBATIONS times as long on the clock whatever it spent. A slow query's worker is reniced (the
kernel then runs quick queries' workers first) and it moves to the slow lane, which holds at most
half the workers; when that lane is full the query is stopped with 503, so the other half always
turn over within a probation (admission.py: who waits, and how long). A query text that ran slow
lately skips the probation: it goes straight to the slow lane, or is refused at once when the lane
is full, so a burst of the same slow queries costs quick ones nothing. Each worker may hold an
equal share of RDFPUB_QUERY_MEMORY (the kernel's RLIMIT_DATA), so the workers together never hold
more; a query that needs more than its share is stopped with 507.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

from rdfpub.web.admission import Lanes, Refused
from rdfpub.web.worker_process import WorkerDied, WorkerProcess

# A query still running after this long is slow (a point lookup or a page of results takes a few ms)...
SLOW_AFTER = 0.25
# ...or after this long while other queries wait for a worker (both in CPU time)...
QUICK_SECONDS = 0.02
# ...or after this many probations on the clock, whatever CPU it had (a query waiting on the disk).
WALL_PROBATIONS = 4
# Query texts that ran slow lately: how many are remembered, and for how long.
KNOWN_SLOW = 1024
KNOWN_SLOW_SECONDS = 600.0
# How long a query may wait for a worker before it is refused with 503 (admission.py), in
# probations: while slow queries hold their lane, the other places turn over once a probation.
MAX_WAIT_PROBATIONS = 4
# Below this a worker cannot open a store and answer (it held about 115 MB of data after a count
# over the development data set).
MIN_WORKER_MEMORY_MB = 160

logger = logging.getLogger(__name__)


class QueryFailed(Exception):
    """The pool could not answer: the HTTP status to send and a message that says why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def slow_places(size: int) -> int:
    """How many workers slow queries may hold: half of them (the one worker of a pool of one)."""
    return max(1, size // 2)


class QueryPool:
    """Runs jobs in at most `size` worker processes over a read-only checkpoint of `store`, each
    stopped at `timeout` seconds and capped at `memory_mb` / `size` megabytes (0: no cap)."""

    def __init__(self, store, size: int, timeout: float, memory_mb: int = 0, slow_after: float = SLOW_AFTER,
                 quick_seconds: float = QUICK_SECONDS):
        self.store = store
        self.slow_after, self.quick_seconds = slow_after, quick_seconds
        self._known_slow: OrderedDict[str, float] = OrderedDict()  # query fingerprint -> when it ran slow
        self.size = max(1, size)
        self.timeout = timeout
        self.worker_memory = memory_mb * (1 << 20) // self.size
        if memory_mb and self.worker_memory < MIN_WORKER_MEMORY_MB << 20:
            raise ValueError(f"RDFPUB_QUERY_MEMORY={memory_mb} MB gives each of the {self.size} query workers "
                             f"{memory_mb // self.size} MB; a worker needs at least {MIN_WORKER_MEMORY_MB} MB: "
                             "raise it or lower RDFPUB_QUERY_WORKERS")
        self.lanes = Lanes(self.size, slow_places(self.size), MAX_WAIT_PROBATIONS * slow_after)
        # Beside the store, so that checkpoints are hard links on the same file system; one folder
        # per pool, so that two apps over one store (as in tests) never touch each other's.
        self.folder = Path(f"{store.path}.checkpoints")
        self.root = self.folder / f"{os.getpid()}-{id(self):x}"
        self.spool = ""
        self.checkpoint = ""
        self._generation = itertools.count(1)
        self._idle: list[WorkerProcess] = []
        self._all: set[WorkerProcess] = set()
        self._stats: dict[str, asyncio.Future] = {}

    def start(self) -> None:
        self._remove_orphans()
        self.root.mkdir(parents=True)
        self.spool = tempfile.mkdtemp(prefix="rdfpub-results-")
        self.publish()
        # Every worker starts with the pool, and each one retired is replaced at once: a burst of
        # queries then waits for no process to start (it cost the first of them half a second).
        for _ in range(self.size):
            self._idle.append(self._spawn())

    def _spawn(self) -> WorkerProcess:
        worker = WorkerProcess(self.checkpoint, self.worker_memory)
        self._all.add(worker)
        return worker

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

    def _worker(self) -> WorkerProcess:
        """A worker for a query that holds a place: an idle one, else a new one (there are never
        more processes than places, since a place's worker is killed or made idle before it is given back)."""
        while self._idle:
            worker = self._idle.pop()
            if worker.process.poll() is None:
                return worker
            self._retire(worker)
        return self._spawn()

    def _retire(self, worker: WorkerProcess) -> None:
        worker.kill()
        self._all.discard(worker)

    async def run(self, job: dict) -> dict:
        """The worker's reply to `job`; raises QueryFailed when the query is refused or stopped (its
        worker is then killed, which frees everything the query held)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        fingerprint = _fingerprint(job)
        known_slow = self._ran_slow(fingerprint)
        if known_slow and self.lanes.slow_lane_full:
            raise self._refuse_known_slow()
        try:
            await self.lanes.enter(deadline)
        except Refused as refused:
            raise QueryFailed(refused.status, str(refused), refused.headers) from None
        known_slow = self._ran_slow(fingerprint)  # it, or the lane, may have changed while it waited
        if known_slow:
            if self.lanes.slow_lane_full:
                self.lanes.leave(slow=False)
                raise self._refuse_known_slow()
            self.lanes.demote()
        worker, slow, healthy = self._worker(), known_slow, False
        if slow:
            worker.demote()
        try:
            if not await worker.started(deadline - loop.time()):
                raise QueryFailed(503, "the server is busy: no query worker could start in time; try again later",
                                  {"Retry-After": "10"})
            worker.call(dict(job, checkpoint=self.checkpoint, spool=self.spool))
            reply = None if slow else await self._probation(worker, deadline)
            if reply is None and not slow and loop.time() < deadline:
                self._remember_slow(fingerprint)
                if not self.lanes.demote():
                    raise QueryFailed(503, f"the server is busy with {self.lanes.slow} long-running queries; this "
                                           "one ran long and was stopped so that quick queries keep being "
                                           "answered; try again later", {"Retry-After": "30"})
                slow = True
                worker.demote()
            if reply is None:
                reply = await worker.reply(deadline - loop.time())
            if reply is None:
                self.lanes.counts["timed out"] += 1
                self._remember_slow(fingerprint)
                raise QueryFailed(504, f"the query ran longer than the {self.timeout:g} s limit and was "
                                       "stopped; narrow it down (a LIMIT, more specific patterns) and retry")
            healthy = not slow
            return reply
        except WorkerDied as death:
            raise self._died(job, worker, death) from None
        finally:
            # A worker that did not answer is still computing: only killing it stops the query. A
            # demoted one keeps its low priority for good, so it goes too.
            if healthy:
                self._idle.append(worker)
            else:
                self._retire(worker)
                self._idle.append(self._spawn())
            self.lanes.leave(slow)

    async def _probation(self, worker: WorkerProcess, deadline: float) -> dict | None:
        """The reply if it comes within the probation: SLOW_AFTER seconds of the worker's CPU time,
        cut to QUICK_SECONDS as soon as another query waits for a worker, or WALL_PROBATIONS times
        SLOW_AFTER on the clock."""
        loop = asyncio.get_running_loop()
        started, cpu_before = loop.time(), worker.cpu_seconds()
        while True:
            now = loop.time()
            cpu = worker.cpu_seconds()
            spent = now - started if cpu is None or cpu_before is None else cpu - cpu_before
            limit = self.quick_seconds if self.lanes.waiting else self.slow_after
            if spent >= limit or now - started >= WALL_PROBATIONS * self.slow_after or now >= deadline:
                return None
            reply = await worker.reply(min(self.quick_seconds, deadline - now))
            if reply is not None:
                return reply

    def _ran_slow(self, fingerprint: str | None) -> bool:
        when = self._known_slow.get(fingerprint) if fingerprint else None
        return when is not None and time.monotonic() - when < KNOWN_SLOW_SECONDS

    def _remember_slow(self, fingerprint: str | None) -> None:
        if fingerprint:
            self._known_slow[fingerprint] = time.monotonic()
            self._known_slow.move_to_end(fingerprint)
            while len(self._known_slow) > KNOWN_SLOW:
                self._known_slow.popitem(last=False)

    def _refuse_known_slow(self) -> QueryFailed:
        self.lanes.counts["refused as known slow"] += 1
        return QueryFailed(503, f"this query ran long lately, and the server is busy with {self.lanes.slow} "
                                "long-running queries; try again later", {"Retry-After": "30"})

    def _died(self, job: dict, worker: WorkerProcess, death: WorkerDied) -> QueryFailed:
        if death.out_of_memory:
            self.lanes.counts["over memory"] += 1
            logger.warning("query worker %d ran out of its %d MB (%s) on: %.300s", worker.pid,
                           self.worker_memory >> 20, death, job.get("query", job["kind"]))
            return QueryFailed(507, f"the query needed more memory than the {self.worker_memory >> 20} MB one "
                                    "query may use, and was stopped; ask for less at once (a LIMIT, fewer "
                                    "variables, no DISTINCT or ORDER BY over everything)")
        self.lanes.counts["crashed"] += 1
        logger.error("query worker %d died (%s) running: %.300s", worker.pid, death,
                     job.get("query", job["kind"]))
        return QueryFailed(500, "the query crashed the query engine (a worker process died; the server "
                                "has logged it); it may be nested too deeply or be too large")

    async def stats(self, queries: dict[str, str]) -> dict[str, int]:
        """Counts for the service description, computed once per checkpoint however many ask at once
        (each waits for the one count, which a client that leaves does not stop)."""
        loop = asyncio.get_running_loop()
        counting = self._stats.get(self.checkpoint)
        if counting is not None and counting.done() and not counting.cancelled() and not counting.exception():
            return counting.result()
        if counting is None or counting.done() or counting.get_loop() is not loop:
            counting = loop.create_task(self._count(queries))
            self._stats = {self.checkpoint: counting}
        return await asyncio.shield(counting)

    async def _count(self, queries: dict[str, str]) -> dict[str, int]:
        reply = await self.run({"kind": "stats", "queries": queries})
        if reply["status"] != 200:
            raise QueryFailed(reply["status"], reply["message"])
        return reply["stats"]


def _fingerprint(job: dict) -> str | None:
    """What makes two SPARQL jobs the same query: its text and its dataset."""
    if job.get("kind") != "query":
        return None
    key = repr((job["query"], job["dataset"], job["default_graphs"], job["named_graphs"]))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
