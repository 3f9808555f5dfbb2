"""Writes prepared batches to the store in input order: the decisions of the order rules and the store transactions."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext

import pyoxigraph as ox

from rdfpub.errors import StoreError
from rdfpub.identifiers import normalize_pmid
from rdfpub.iris import Iris
from rdfpub.mapping import source_file_name
from rdfpub.model import Deletion
from rdfpub.pipeline.preparation import Outcome, Prepared
from rdfpub.pipeline.record_order import decide, decide_deletion, later_withdrawal
from rdfpub.references.resolution import apply_resolving
from rdfpub.settings import Settings
from rdfpub.store.embedded import RecordState, Store
from rdfpub.store.shared_graph import Operation, Tombstone
from rdfpub.store.writer_lock import WriterLock


class Publisher:
    """Writes prepared batches to the store in input order. Each batch's decisions and write run
    on a writer thread (pyoxigraph releases the GIL while it loads) while the next batch is read
    and prepared; a batch's outcomes are reported once its write is done, and the next batch looks
    at the store only after that, so the order of writes and decisions is the input's order."""

    def __init__(self, settings: Settings, store: Store, transaction: int = 1):
        self.store = store
        self.iris = Iris(settings.base_iri)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="rdfpub-store-writer")
        self._pending: Future | None = None
        # Prepared batches wait here until a transaction's worth of records has come: each bulk
        # load has a fixed cost (RocksDB writes and ingests new files): ~1.3 ms a record more at
        # 64 records a load than at 1,024.
        self._waiting: list = []
        self._transaction = transaction
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
        """Writes what still waits and finishes the last write (also when the run fails, so no
        prepared record is lost by leaving, and no write is cut off)."""
        try:
            done = self._settle()
            if self._waiting:
                self._submit_waiting()
            return done + self._settle()
        finally:
            self._writer.shutdown(wait=True)

    def graph_of_pmid(self, pmid: str) -> str:
        return self.iris.record_graph(self.iris.pubmed_article(pmid))

    def publish(self, results: list) -> list[Outcome]:
        """Starts the decisions and write of the batches waiting, once a transaction's worth has
        come; returns the outcomes of the write before."""
        self._waiting += results
        if len(self._waiting) < self._transaction:
            return []
        done = self._settle()
        self._submit_waiting()
        return done

    def _submit_waiting(self) -> None:
        """Starts the decisions and write of the batches waiting, which wait no more."""
        self._pending, self._waiting = self._writer.submit(self._publish_now, self._waiting), []

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
            apply_resolving(self.store, self.iris, operations, results)
        return outcomes

    def _decide_all(self, results: list, states: dict, withdrawn: dict[str, str]) -> tuple[list[Operation], list[Outcome]]:
        """The batch's operations and outcomes, in input order (rdfpub/pipeline/record_order.py says which wins)."""
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
