"""A whole run over input files: parse here, map and validate on worker processes, publish in ordered transactions."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections import deque
from contextlib import nullcontext
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from rdfpub.errors import ParseError, StoreError
from rdfpub.identifiers import normalize_pmid
from rdfpub.iris import Iris
from rdfpub.mapping import source_file_name
from rdfpub.model import Deletion
from rdfpub.pipeline import Outcome, Prepared, Preparer, input_files
from rdfpub.record_order import decide, decide_deletion, later_withdrawal
from rdfpub.settings import Settings
from rdfpub.shared_graph import Operation, Tombstone
from rdfpub.sources import read_records
from rdfpub.store import RecordState, Store
from rdfpub.writer_lock import WriterLock

BATCH_SIZE = 64
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
    `progress` (rdfpub/progress.py) is told the files, which one is read, and how far."""
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


def _start_worker(settings: Settings) -> None:
    global _worker
    _die_with_parent()
    _worker = Preparer(settings)
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


class Publisher:
    """Writes prepared batches to the store in input order. Each batch's decisions and write run
    on a writer thread (pyoxigraph releases the GIL while it loads) while the next batch is read
    and prepared; a batch's outcomes are reported once its write is done, and the next batch looks
    at the store only after that, so the order of writes and decisions is the input's order."""

    def __init__(self, settings: Settings, store: Store):
        self.store = store
        self.iris = Iris(settings.base_iri)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="rdfpub-store-writer")
        self._pending: Future | None = None
        # Other processes may write to a remote store at the same time; an embedded one is this
        # process's alone (its directory is locked while open), or its server's (ChannelStore).
        self._lock = (store.writer_lock() if hasattr(store, "writer_lock") else
                      WriterLock(store) if getattr(store, "path", None) is None else nullcontext())
        self._withdrawn_in = self.iris.term("withdrawnIn")

    def _settle(self) -> list[Outcome]:
        """Waits for the batch under way; the outcomes its write made true."""
        if self._pending is None:
            return []
        future, self._pending = self._pending, None
        try:
            return future.result()
        except OSError as error:
            raise StoreError(f"writing to the store failed: {error}") from error

    def close(self) -> list[Outcome]:
        """Finishes the last write (also when the run fails, so no write is cut off by leaving)."""
        try:
            return self._settle()
        finally:
            self._writer.shutdown(wait=True)

    def graph_of_pmid(self, pmid: str) -> str:
        return self.iris.record_graph(self.iris.pubmed_article(pmid))

    def publish(self, results: list) -> list[Outcome]:
        """Starts the batch's decisions and write; returns the outcomes of the batch before it."""
        done = self._settle()
        self._pending = self._writer.submit(self._publish_now, results)
        return done

    def _publish_now(self, results: list) -> list[Outcome]:
        """Reads what the store holds of the batch's records, decides, and writes, all under the
        writer lock, so that no other process writes those records in between."""
        wanted = [r.graph_iri for r in results if isinstance(r, Prepared)]
        for deletion in (r for r in results if isinstance(r, Deletion)):
            wanted += [self.graph_of_pmid(p) for p in map(normalize_pmid, deletion.pmids) if p]
        with self._lock:
            states: dict[str, RecordState | None] = dict(self.store.record_states(wanted, self.iris.vocab))
            withdrawn = self.store.withdrawals(wanted, self._withdrawn_in)
            operations, outcomes = self._decide_all(results, states, withdrawn)
            self.store.apply(operations, self.iris.shared_graph(), self.iris.withdrawn_graph())
        return outcomes

    def _decide_all(self, results: list, states: dict, withdrawn: dict[str, str]) -> tuple[list[Operation], list[Outcome]]:
        """The batch's operations and outcomes, in input order (rdfpub/record_order.py says which wins)."""
        operations: list[Operation] = []
        outcomes = []
        for result in results:
            if isinstance(result, Prepared):
                status = decide(result, states.get(result.graph_iri), withdrawn.get(result.graph_iri))
                if status in ("published", "replaced"):
                    operations.append(result.write)
                    states[result.graph_iri] = RecordState(result.version, result.revised, result.digest,
                                                           result.source_file, result.source_format)
                outcomes.append(Outcome(result.source, status, result.label, result.pmid,
                                        problems=result.warnings, position=result.position))
            elif isinstance(result, Deletion):
                outcomes += self._withdraw(result, states, withdrawn, operations)
            else:
                outcomes.append(result)
        return operations, outcomes

    def _withdraw(self, deletion: Deletion, states: dict, withdrawn: dict[str, str],
                  operations: list[Operation]) -> list[Outcome]:
        file = source_file_name(deletion.source.name)
        outcomes = []
        for pmid in filter(None, map(normalize_pmid, deletion.pmids)):
            graph = self.graph_of_pmid(pmid)
            if later_withdrawal(file, withdrawn.get(graph)):
                withdrawn[graph] = file
                operations.append(Tombstone(graph, f"<{graph}> <{self._withdrawn_in}> {ox.Literal(file)} ."))
            status = decide_deletion(file, states.get(graph))
            if status == "deleted":
                operations.append(graph)
                states[graph] = None
            outcomes.append(Outcome(deletion.source.name, status, f"PMID {pmid}", pmid,
                                    position=deletion.source.position))
        return outcomes


def run(paths: Iterable[Path], settings: Settings, store: Store | None = None, format_name: str | None = None,
        workers: int | None = None, on_outcome: Callable[[Outcome], None] | None = None,
        batch_size: int | None = None, progress=None) -> Summary:
    """Reads every input, prepares each record and (with a store) publishes it; validates only without."""
    summary = Summary()
    publisher = Publisher(settings, store) if store is not None else None
    batch_size = max(1, batch_size or BATCH_SIZE)

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
        _prepare_all(_items(paths, format_name, progress), settings, workers, batch_size, finish)
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
                 finish: Callable[[list], None]) -> None:
    """Reads the inputs' items and hands each prepared batch to `finish`, in input order."""
    head = []
    for item in items:  # look ahead: a small run is not worth the workers' start-up
        head.append(item)
        if len(head) >= PARALLEL_THRESHOLD:
            break
    workers = workers if workers is not None else (os.cpu_count() or 1)
    everything = _chain(head, items)
    if workers <= 1 or len(head) < PARALLEL_THRESHOLD:
        preparer = Preparer(settings)
        for batch in _batches(everything, batch_size):
            finish(preparer.prepare_batch(batch))
        return
    # spawn, not fork: the parent may hold an open store, whose threads and locks a fork would copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(settings,)) as pool:
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

