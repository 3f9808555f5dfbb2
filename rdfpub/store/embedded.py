"""The embedded store: Oxigraph on disk, one named graph per record, replaced atomically, queried as a union."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from rdfpub.errors import StoreError, StoreLocked
from rdfpub.store.catalog import Catalog
from rdfpub.store.catalog_entries import Entry, entry_of_ntriples, entry_of_stored
from rdfpub.store.rdf_terms import DUMP_FORMATS, serialize_chunk, to_ntriples
from rdfpub.store.shared_graph import GraphWrite, Operation, Plan, collect_dead, plan
from rdfpub.vocab import PREFIXES

_QUADS_PER_CHUNK = 50_000
_MODIFIED = ox.NamedNode("http://purl.org/dc/terms/modified")
_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


@dataclass(frozen=True)
class RecordState:
    """What a stored record graph says about the record it came from."""

    version: int
    revised: str
    digest: str
    source_file: str = ""  # the file name the record came from (its graph's dcterms:source)
    source_format: str = ""  # its format (rdfpub:sourceFormat)


class Store:
    """An Oxigraph store in the directory `path` (created when missing). Its named graphs are the
    record graphs, the graph `shared_graph` of things many records mention, and the graph
    `withdrawn_graph` of the records PubMed withdrew."""

    # A query without ORDER BY reads an index in its order, the same for the same store state.
    scan_order_is_stable = True
    atomic_writes = False  # each batch in one update, never seen half done (rdfpub/store/channel/owner.py)

    def __init__(self, path: Path | str, shared_graph: str | None = None, withdrawn_graph: str | None = None):
        self.path = Path(path)
        self.shared_graph, self.withdrawn_graph = shared_graph, withdrawn_graph
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreLocked(
                    f"the store at {self.path} is locked: another process (or this one) has it open; "
                    "stop that process, or give this one another --store") from None
            raise StoreError(f"cannot open the store at {self.path}: {message}") from None
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.recovered = self._recover()
        self.catalog: Catalog | None = None
        self.reindexed = 0

    def catalog_path(self) -> Path:
        """Where the store's search and listing index lives: beside it, as its journal does."""
        return self.path.with_name(self.path.name + ".index.sqlite")

    def attach_catalog(self, catalog: Catalog) -> int:
        """Keeps `catalog` in step with the store from now on, after bringing it up to date
        (Catalog.sync); the number of records it indexed anew."""
        self.catalog = catalog

        def read(graph: str) -> Entry | None:
            return entry_of_stored(self._store, graph, catalog.journal_of)

        return catalog.sync(read, lambda: (graph.value for graph in self._record_graphs()), self.graph_count)

    def _recover(self) -> int:
        """Undoes the load a killed run left half done (the journal names its record graphs, and
        the shared things it wrote about): its record graphs are dropped, so no record is ever half
        in the store, and shared things nothing points at any more go with them. The run that loads
        them again restores them. The number of record graphs removed."""
        if not self.journal.exists():
            return 0
        lines = [line for line in self.journal.read_text(encoding="utf-8").splitlines() if line]
        # Journals of earlier versions list the record graphs alone, one IRI a line.
        graphs = [line[2:] if line.startswith("g ") else line for line in lines if line[1:2] != " " or line[0] == "g"]
        shared = next((line[2:] for line in lines if line.startswith("s ")), None)
        withdrawn = next((line[2:] for line in lines if line.startswith("w ")), None)
        removals = [f"DROP SILENT GRAPH <{iri}>" for iri in graphs]
        # A withdrawal half loaded is undone whole: reading its DeleteCitation again writes it again.
        removals += [f"DELETE WHERE {{ GRAPH <{withdrawn}> {{ <{line[2:]}> ?p ?o }} }}"
                     for line in lines if line.startswith("r ") and withdrawn]
        if removals:
            self._store.update(" ;\n".join(removals))
        if shared is not None:
            things = {ox.NamedNode(line[2:]) for line in lines if line.startswith("t ")}
            dead = collect_dead(self, things, set(graphs), shared)
            self._execute(Plan(dead=dead), shared)
        self._store.flush()
        self.journal.unlink()
        return len(graphs)

    def replace_graph(self, graph_iri: str, graph: Graph) -> bool:
        """Puts `graph` in the named graph `graph_iri` instead of what it held, in one transaction,
        so a reader or a crash never sees half a record. True when the graph existed before."""
        existed = self._store.contains_named_graph(ox.NamedNode(graph_iri))
        self.apply([GraphWrite(graph_iri, to_ntriples(graph))])
        return existed

    def apply(self, operations: list[Operation], shared: str | None = None, withdrawn: str | None = None) -> None:
        """Writes (GraphWrite) and removes (a graph IRI) record graphs, and keeps the shared graph
        `shared` true (rdfpub/store/shared_graph.py); a later operation on the same graph wins. A
        Tombstone rewrites what the graph `withdrawn` says of a record PubMed withdrew.

        One transaction drops the touched record graphs and the shared triples that go with them;
        the new triples are then bulk-loaded (about four times faster than a transactional load,
        but not atomic), with the names of what they touch in a journal beside the store until
        the load is on disk: if the process dies in between, the next opening of the store undoes
        the load, so each record is wholly in or wholly out."""
        if not operations:
            return
        batch = plan(self, operations, shared, withdrawn)
        if self.catalog is None:
            self._execute(batch, shared, withdrawn)
            return
        # The index learns which records are changing before the store does, and what they became
        # after: a run killed in between leaves them pending, to be read again (attach_catalog).
        self.catalog.begin(batch.final)
        self._execute(batch, shared, withdrawn)
        self.catalog.finish({graph: entry_of_ntriples(graph, write.ntriples, self.catalog.journal_of)
                             if write is not None else None for graph, write in batch.final.items()})

    def _execute(self, batch: Plan, shared: str | None, withdrawn: str | None = None) -> None:
        removals = [f"DROP SILENT GRAPH <{iri}>" for iri in batch.drop]
        removals += [f"DELETE WHERE {{ GRAPH <{shared}> {{ {thing} ?p ?o }} }}" for thing in batch.dead]
        removals += [f"DELETE WHERE {{ GRAPH <{withdrawn}> {{ <{iri}> ?p ?o }} }}" for iri in batch.reburied]
        if batch.delete_shared:
            removals.append(f"DELETE DATA {{ GRAPH <{shared}> {{ "
                            + " . ".join(map(str, batch.delete_shared)) + " } }")
        if self.atomic_writes and batch.load:  # one update request is one transaction
            inserts = " ".join(f"GRAPH <{graph}> {{ {' '.join(lines)} }}" for graph, lines in batch.load.items())
            self._store.update(" ;\n".join(removals + [f"INSERT DATA {{ {inserts} }}"]))
            return
        if removals:
            self._store.update(" ;\n".join(removals))
        if not batch.load:
            return
        journal = [f"g {iri}" for iri in batch.load if iri not in (shared, withdrawn)]
        if shared is not None:
            journal += [f"s {shared}"] + [f"t {iri}" for iri in batch.shared_subjects]
        if batch.reburied:
            journal += [f"w {withdrawn}"] + [f"r {iri}" for iri in batch.reburied]
        with self.journal.open("w", encoding="utf-8") as file:
            file.write("\n".join(journal) + "\n")
            file.flush()
            os.fsync(file.fileno())
        # A bulk load hands finished files to RocksDB: once it returns they are on disk, so the
        # journal can go without a flush (flushing every batch left many small files to compact).
        self._store.bulk_load(batch.nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        self.journal.unlink()

    # The lookups rdfpub/store/shared_graph.py plans a batch with, each a direct index lookup.

    def objects_of_graphs(self, graphs: list[str]) -> set[ox.NamedNode]:
        return {quad.object for graph in graphs
                for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                if isinstance(quad.object, ox.NamedNode)}

    def with_shared_facts(self, things: set[ox.NamedNode], shared: str) -> set[ox.NamedNode]:
        graph = ox.NamedNode(shared)
        return {thing for thing in things
                if next(self._store.quads_for_pattern(thing, None, None, graph), None) is not None}

    def still_referenced(self, things: set[ox.NamedNode], excluded: set[str], shared: str,
                         dead: set[ox.NamedNode]) -> set[ox.NamedNode]:
        # The store's own default graph holds nothing of the dataset (rdfpub writes named graphs only).
        found = set()
        for thing in things:
            for quad in self._store.quads_for_pattern(None, None, thing, None):
                graph = quad.graph_name
                if isinstance(graph, ox.DefaultGraph) or graph.value in excluded:
                    continue
                if graph.value == shared and quad.subject in dead:
                    continue
                found.add(thing)
                break
        return found

    def shared_facts(self, subjects: set[ox.NamedNode], shared: str) -> list[ox.Triple]:
        graph = ox.NamedNode(shared)
        return [quad.triple for subject in subjects for quad in self._store.quads_for_pattern(subject, None, None, graph)]

    def present(self, triples: list[ox.Triple], graph: str) -> list[ox.Triple]:
        name = ox.NamedNode(graph)
        return [t for t in triples
                if next(self._store.quads_for_pattern(t.subject, t.predicate, t.object, name), None) is not None]

    def existing_graphs(self, graphs: set[str]) -> set[str]:
        return {graph for graph in graphs if self._store.contains_named_graph(ox.NamedNode(graph))}

    def record_states(self, graph_iris: list[str], vocab: str) -> dict[str, RecordState]:
        """The version, revision date, digest and source file each of these graphs holds now (absent: not stored).

        Direct index lookups, three per graph: the same question as one SPARQL query with VALUES
        made Oxigraph scan every graph, which slowed ingest down as the store grew."""
        digest_term, version_term = ox.NamedNode(f"{vocab}contentDigest"), ox.NamedNode(f"{vocab}pmidVersion")
        format_term = ox.NamedNode(f"{vocab}sourceFormat")
        states = {}
        for iri in graph_iris:
            graph = ox.NamedNode(iri)
            digest = self._first(graph, digest_term)
            if digest is None:
                continue
            version = self._first(graph, version_term)
            revised = self._first(graph, _MODIFIED)
            source = self._first(graph, _SOURCE)
            states[iri] = RecordState(int(version) if version else 1, revised or "", digest, source or "",
                                      self._first(graph, format_term) or "")
        return states

    def withdrawals(self, graph_iris: list[str], predicate: str) -> dict[str, str]:
        """The input file whose DeleteCitation withdrew each of these record graphs, where one did."""
        if self.withdrawn_graph is None:
            return {}
        graph, term = ox.NamedNode(self.withdrawn_graph), ox.NamedNode(predicate)
        found = {}
        for iri in graph_iris:
            for quad in self._store.quads_for_pattern(ox.NamedNode(iri), term, None, graph):
                found[iri] = quad.object.value
        return found

    def _first(self, graph: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
        """The value of `graph predicate ?value` stated inside the graph itself, if any."""
        for quad in self._store.quads_for_pattern(graph, predicate, None, graph):
            return quad.object.value
        return None

    def remove_graph(self, graph_iri: str) -> bool:
        """Removes one record's graph, and the shared things only it pointed at; True when it was there."""
        if not self._store.contains_named_graph(ox.NamedNode(graph_iri)):
            return False
        self.apply([graph_iri], self.shared_graph)
        return True

    def _record_graphs(self) -> Iterator[ox.NamedNode]:
        others = {self.shared_graph, self.withdrawn_graph}
        return (graph for graph in self._store.named_graphs() if graph.value not in others)

    def is_empty(self) -> bool:
        return next(self._record_graphs(), None) is None

    def graph_count(self) -> int:
        """How many records the store holds (its named graphs but the shared one)."""
        return sum(1 for _ in self._record_graphs())

    def triple_count(self) -> int:
        """Triples of the dataset, which is what a query without GRAPH sees: every triple is in one
        graph only (rdfpub/store/shared_graph.py), and rdfpub writes nothing in the store's default graph."""
        return len(self._store)

    def query(self, sparql: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
        """Runs a SPARQL query: over the union of the record graphs, unless the request names
        its own default graphs (SPARQL 1.1 Protocol, section 2.1.4)."""
        options: dict = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        return self._store.query(sparql, **options)

    def dump(self, format_name: str, prefixes: dict[str, str] | None = None) -> Iterator[bytes]:
        """The whole dataset, graph after graph, serialised a bounded number of quads at a time so
        memory stays flat however big a graph (the shared one grows with the store)."""
        rdf_format, keep_graphs = DUMP_FORMATS[format_name]
        prefixes = (prefixes or PREFIXES) if rdf_format == ox.RdfFormat.TURTLE else None
        if prefixes:
            yield "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()).encode()
        quads = (quad for graph in self._store.named_graphs()
                 for quad in self._store.quads_for_pattern(None, None, None, graph))
        while chunk := list(islice(quads, _QUADS_PER_CHUNK)):
            yield serialize_chunk(chunk if keep_graphs else [quad.triple for quad in chunk], rdf_format, prefixes)

    def checkpoint(self, directory: Path | str) -> None:
        """A consistent copy of the store in `directory` (hard links, so quick), which other
        processes may open read-only while this one goes on writing."""
        self._store.backup(str(directory))

    def update(self, sparql: str) -> None:
        """Runs a SPARQL update in one transaction (a resolved reference's link edits)."""
        self._store.update(sparql)

    def flush(self) -> None:
        self._store.flush()
