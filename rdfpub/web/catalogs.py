"""The search and listing index the pages read: the embedded store's own (rdfpub/store/catalog.py), or, over a
store server, one this front builds from the store in the background and builds again when the store changes."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from fastapi import FastAPI

from rdfpub.iris import Iris
from rdfpub.store.catalog import Catalog, CatalogReader
from rdfpub.store.catalog_entries import RECORD_PATTERN

logger = logging.getLogger(__name__)

# How often a front asks a store server whether its records changed (their count and newest time).
REFRESH_SECONDS = 600.0
_CHANGED = f"SELECT (COUNT(?t) AS ?n) (MAX(?t) AS ?latest) WHERE {{ GRAPH ?g {{ {RECORD_PATTERN} }} }}"


class IndexNotReady(Exception):
    """The index is not there yet (a front over a store server builds its own first: `soon`) or
    not at all."""

    def __init__(self, message: str, soon: bool = True):
        super().__init__(message)
        self.soon = soon


class RemoteIndex:
    """The index of a store server's records, in a temporary folder of this front: built when the
    front starts, built again (and swapped in whole) when the records' count or newest time changes."""

    def __init__(self, store, base: str, timeout: float):
        self.store, self.iris, self.timeout = store, Iris(base), timeout
        self.folder = Path(tempfile.mkdtemp(prefix="rdfpub-index-"))
        self.reader: CatalogReader | None = None
        self.indexed = 0  # records read so far by the build under way
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rdfpub-index", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _signature(self) -> tuple:
        row = next(iter(self.store.query(_CHANGED)))
        return tuple(term.value if term is not None else None for term in (row["n"], row["latest"]))

    def _run(self) -> None:
        signature, generation = None, 0
        while not self._stop.is_set():
            try:
                now = self._signature()
                if now != signature:
                    generation += 1
                    self._build(generation)
                    signature = now
            except Exception:  # the store may be down for a while: keep the last index, try again later
                logger.exception("could not build the search index from the store; trying again later")
            self._stop.wait(REFRESH_SECONDS)

    def _build(self, generation: int) -> None:
        path = self.folder / f"index-{generation}.sqlite"
        catalog = Catalog(path, self.iris.journal_of)
        self.indexed = 0

        def counted(entries):
            for entry in entries:
                self.indexed += 1
                yield entry

        try:
            catalog.rebuild(counted(self.store.entries(self.iris.journal_of)))
        finally:
            catalog.close()
        old, self.reader = self.reader, CatalogReader(path, self.timeout)
        if old is not None:  # readers of the old file hold it open: unlinking it is safe on POSIX
            for stale in old.path.parent.glob(old.path.name + "*"):
                stale.unlink(missing_ok=True)


def start(app: FastAPI) -> None:
    """Starts building a store server's index with the server (the embedded store has its own)."""
    state = app.state
    if getattr(state.store, "path", None) is None and getattr(state, "remote_index", None) is None:
        state.remote_index = RemoteIndex(state.store, state.settings.base_iri, state.settings.query_timeout)
        state.remote_index.start()


def stop(app: FastAPI) -> None:
    index = getattr(app.state, "remote_index", None)
    if index is not None:
        index.close()
        app.state.remote_index = None


def reader(app: FastAPI) -> CatalogReader:
    """The index to read, or IndexNotReady saying why there is none yet."""
    state = app.state
    catalog = getattr(state.store, "catalog", None)
    if catalog is not None:
        return CatalogReader(catalog.path, state.settings.query_timeout)
    if getattr(state.store, "path", None) is not None:
        raise IndexNotReady("this store was opened without its search index (rdfpub.store.opening.open_store "
                            "attaches it)", soon=False)
    start(app)
    index = state.remote_index
    if index.reader is None:
        raise IndexNotReady(f"the search index is being built from the store ({index.indexed:,} records so far)")
    return index.reader
