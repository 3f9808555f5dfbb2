"""A whole run over input files: parse here, map and validate on worker processes, publish in ordered transactions."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdfpub.errors import ParseError
from rdfpub.model import Deletion
from rdfpub.pipeline.preparation import Outcome, Preparer, input_files
from rdfpub.pipeline.publisher import Publisher
from rdfpub.references.resolution import resolves
from rdfpub.settings import Settings
from rdfpub.sources import read_records
from rdfpub.store.embedded import Store

# Records a worker prepares at a time (its shapes' SPARQL constraints run once for all of them).
BATCH_SIZE = 64
# Records a store transaction takes by default on the embedded store (the last may take fewer);
# a store server, or the server holding the store (rdfpub/store/channel/client.py), BATCH_SIZE at a time.
STORE_TRANSACTION = 1024
# Below this many records a run stays in one process: starting workers costs more than it saves.
PARALLEL_THRESHOLD = 256


@dataclass
class Summary:
    """Counts of a run, and the rejected outcomes in order."""

    read: int = 0
    published: int = 0
    replaced: int = 0
    unchanged: int = 0
    older: int = 0
    withdrawn: int = 0  # copies kept out: a DeleteCitation in their file or a later one withdraws them
    deleted: int = 0
    absent: int = 0  # DeleteCitation PMIDs that named nothing stored
    superseded: int = 0  # ... that named a record a later file published again
    conformant: int = 0
    rejected: list[Outcome] = field(default_factory=list)

    @property
    def deletions(self) -> int:
        """The PMIDs the DeleteCitations read named."""
        return self.deleted + self.absent + self.superseded

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "rejected":
            self.rejected.append(outcome)
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if outcome.is_record and outcome.status not in _DELETION_OUTCOMES:
            self.read += 1


_DELETION_OUTCOMES = {"deleted", "absent", "superseded"}


def _items(paths: Iterable[Path], format_name: str | None, progress=None) -> Iterator:
    """Every item of every input, in order; an input that fails yields an Outcome in its place.
    `progress` (rdfpub/cli/progress.py) is told the files, which one is read, and how far."""
    files = list(input_files(paths))
    if progress is not None:
        progress.begin(files)
    for index, path in enumerate(files):
        if progress is not None:
            progress.open_file(index, path)
        if not path.exists():
            yield Outcome(str(path), "rejected", str(path), reason="no such file or folder", is_record=False)
            continue
        try:
            yield from read_records(path, format_name, progress.reading if progress is not None else None)
        except ParseError as error:
            where = error.source + (f":{error.line}" if error.line is not None else "")
            reason = error.reason + (f" ({error.hint})" if error.hint else "")
            yield Outcome(str(path), "rejected", where, reason=reason, is_record=False)


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker: Preparer | None = None


def _start_worker(settings: Settings, resolve: bool = True) -> None:
    global _worker
    _die_with_parent()
    _worker = Preparer(settings, resolve)
    _collect_less()


def _collect_less() -> tuple[int, int, int]:
    """Has Python's cycle collector run less often (returns the old thresholds). Mapping and
    checking a record makes many small objects that live a moment and hold no cycles; at the
    default thresholds the collector ran every few hundred of them and took ~15 % of the time.
    The objects alive now (shapes, caches) are moved out of its reach for good."""
    old = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    return old


def _die_with_parent() -> None:
    """Asks Linux to kill this worker when the ingest process dies (a kill -9 leaves no orphans
    working for nobody); elsewhere the worker ends when its queue closes."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _prepare_in_worker(items: list) -> list:
    return _worker.prepare_batch(items)


def run(paths: Iterable[Path], settings: Settings, store: Store | None = None, format_name: str | None = None,
        workers: int | None = None, on_outcome: Callable[[Outcome], None] | None = None,
        batch_size: int | None = None, progress=None) -> Summary:
    """Reads every input, prepares each record and (with a store) publishes it; validates only without."""
    summary = Summary()
    # batch_size is the records of a store transaction; workers take them in chunks of at most BATCH_SIZE.
    embedded = isinstance(store, Store)  # not a store server, nor a store a running server holds
    transaction = max(1, batch_size or (STORE_TRANSACTION if embedded else BATCH_SIZE))
    publisher = Publisher(settings, store, transaction) if store is not None else None
    chunk = min(transaction, BATCH_SIZE)

    def report(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            summary.add(outcome)
            if on_outcome:
                on_outcome(outcome)

    def finish(results: list) -> None:
        report(publisher.publish(results) if publisher else [
            r if isinstance(r, Outcome) else Outcome(r.source, "conformant", r.label, r.pmid, problems=r.warnings,
                                                     position=r.position)
            for r in results if not isinstance(r, Deletion)])

    thresholds = _collect_less()
    try:
        # Reference keys only for a store whose writes are resolved (not a store server, nor validation).
        _prepare_all(_items(paths, format_name, progress), settings, workers, chunk, finish, resolves(store))
    finally:
        try:
            if publisher is not None:
                report(publisher.close())
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
            # The run's reference cycles (a caught exception's frames may hold the store) are freed
            # now, not at some later full collection: a caller that drops the store closes it.
            gc.collect()
    return summary


def _prepare_all(items: Iterator, settings: Settings, workers: int | None, batch_size: int,
                 finish: Callable[[list], None], resolve: bool = True) -> None:
    """Reads the inputs' items and hands each prepared batch to `finish`, in input order."""
    head = []
    for item in items:  # look ahead: a small run is not worth the workers' start-up
        head.append(item)
        if len(head) >= PARALLEL_THRESHOLD:
            break
    workers = workers if workers is not None else (os.cpu_count() or 1)
    everything = _chain(head, items)
    if workers <= 1 or len(head) < PARALLEL_THRESHOLD:
        preparer = Preparer(settings, resolve)
        for batch in _batches(everything, batch_size):
            finish(preparer.prepare_batch(batch))
        return
    # spawn, not fork: the parent may hold an open store, whose threads and locks a fork would copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(settings, resolve)) as pool:
        pending: deque[Future] = deque()
        try:
            for batch in _batches(everything, batch_size):
                pending.append(pool.submit(_prepare_in_worker, batch))
                while len(pending) > 2 * workers:
                    finish(pending.popleft().result())
            while pending:
                finish(pending.popleft().result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest

