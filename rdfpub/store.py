"""The embedded store: Oxigraph on disk, one named graph per record, replaced atomically, queried as a union."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rdfpub.errors import StoreError
from rdfpub.vocab import PREFIXES

# Formats of the whole-dataset dump: name -> (pyoxigraph format, keeps the record graphs).
DUMP_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "nq": (ox.RdfFormat.N_QUADS, True),
}
_GRAPHS_PER_CHUNK = 200
_MODIFIED = ox.NamedNode("http://purl.org/dc/terms/modified")
_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term of the same value."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ntriples(graph: Graph) -> str:
    """A graph's triples as N-Triples lines (pyoxigraph's own escaping, which its parser reads back)."""
    return "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in graph)


@dataclass(frozen=True)
class RecordState:
    """What a stored record graph says about the record it came from."""

    version: int
    revised: str
    digest: str
    source_file: str = ""  # the file name the record came from (its graph's dcterms:source)


@dataclass(frozen=True)
class GraphWrite:
    graph_iri: str
    ntriples: str


def last_operation_per_graph(operations: list[GraphWrite | str]) -> dict[str, GraphWrite | None]:
    """Each graph's last operation, in first-seen order: its new content, or None for a removal."""
    final: dict[str, GraphWrite | None] = {}
    for operation in operations:
        if isinstance(operation, GraphWrite):
            final[operation.graph_iri] = operation
        else:
            final[operation] = None
    return final


class Store:
    """An Oxigraph store in the directory `path` (created when missing)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self._store = ox.Store(str(self.path))
        except OSError as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreError(
                    f"the store at {self.path} is locked: another process (or this one) has it open; "
                    "stop that process, or give this one another --store") from None
            raise StoreError(f"cannot open the store at {self.path}: {message}") from None
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.recovered = self._recover()

    def _recover(self) -> int:
        """Removes the graphs a killed run was bulk-loading (listed in the journal it left), so no
        record is ever half in the store; the run that loads them again restores them. The count."""
        if not self.journal.exists():
            return 0
        graphs = [line for line in self.journal.read_text(encoding="utf-8").splitlines() if line]
        if graphs:
            self._store.update(" ;\n".join(f"DROP SILENT GRAPH <{iri}>" for iri in graphs))
            self._store.flush()
        self.journal.unlink()
        return len(graphs)

    def replace_graph(self, graph_iri: str, graph: Graph) -> bool:
        """Puts `graph` in the named graph `graph_iri` instead of what it held, in one transaction,
        so a reader or a crash never sees half a record. True when the graph existed before."""
        existed = self._store.contains_named_graph(ox.NamedNode(graph_iri))
        self.apply([GraphWrite(graph_iri, to_ntriples(graph))])
        return existed

    def apply(self, operations: list[GraphWrite | str]) -> None:
        """Writes (GraphWrite) and removes (a graph IRI) record graphs; a later operation on the same
        graph wins. The touched graphs are dropped in one transaction; the new ones are then
        bulk-loaded (about three times faster than a transactional load, but not atomic), with their
        names in a journal beside the store until the load is on disk: if the process dies in
        between, the next opening of the store drops them, so each record is wholly in or wholly out."""
        final = last_operation_per_graph(operations)
        if not final:
            return
        self._store.update(" ;\n".join(f"DROP SILENT GRAPH <{iri}>" for iri in final))
        writes = {iri: write for iri, write in final.items() if write is not None}
        if not writes:
            return
        quads = "\n".join(line[:-1] + f"<{iri}> ." for iri, write in writes.items()
                          for line in write.ntriples.split("\n") if line)
        with self.journal.open("w", encoding="utf-8") as journal:
            journal.write("\n".join(writes) + "\n")
            journal.flush()
            os.fsync(journal.fileno())
        # A bulk load hands finished files to RocksDB: once it returns they are on disk, so the
        # journal can go without a flush (flushing every batch left many small files to compact).
        self._store.bulk_load(quads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        self.journal.unlink()

    def record_states(self, graph_iris: list[str], vocab: str) -> dict[str, RecordState]:
        """The version, revision date, digest and source file each of these graphs holds now (absent: not stored).

        Direct index lookups, three per graph: the same question as one SPARQL query with VALUES
        made Oxigraph scan every graph, which slowed ingest down as the store grew."""
        digest_term, version_term = ox.NamedNode(f"{vocab}contentDigest"), ox.NamedNode(f"{vocab}pmidVersion")
        states = {}
        for iri in graph_iris:
            graph = ox.NamedNode(iri)
            digest = self._first(graph, digest_term)
            if digest is None:
                continue
            version = self._first(graph, version_term)
            revised = self._first(graph, _MODIFIED)
            source = self._first(graph, _SOURCE)
            states[iri] = RecordState(int(version) if version else 1, revised or "", digest, source or "")
        return states

    def _first(self, graph: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
        """The value of `graph predicate ?value` stated inside the graph itself, if any."""
        for quad in self._store.quads_for_pattern(graph, predicate, None, graph):
            return quad.object.value
        return None

    def remove_graph(self, graph_iri: str) -> bool:
        """Removes one record's graph; True when it was there."""
        name = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(name):
            return False
        self._store.remove_graph(name)
        return True

    def is_empty(self) -> bool:
        return next(iter(self._store.named_graphs()), None) is None

    def graph_count(self) -> int:
        return sum(1 for _ in self._store.named_graphs())

    def triple_count(self) -> int:
        """Distinct triples of the union of all record graphs (what a query without GRAPH sees)."""
        solutions = self._store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        return int(next(iter(solutions))["n"].value)

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
        """The whole dataset, serialised a few record graphs at a time so memory stays flat.

        Turtle and N-Triples hold the union of the record graphs: a triple that several records
        state is written once per record, which a parser reads as one triple.
        """
        rdf_format, keep_graphs = DUMP_FORMATS[format_name]
        prefixes = (prefixes or PREFIXES) if rdf_format == ox.RdfFormat.TURTLE else None
        if prefixes:
            yield "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()).encode()
        batch: list[ox.NamedNode] = []
        for graph in self._store.named_graphs():
            batch.append(graph)
            if len(batch) == _GRAPHS_PER_CHUNK:
                yield self._serialize(batch, rdf_format, keep_graphs, prefixes)
                batch = []
        if batch:
            yield self._serialize(batch, rdf_format, keep_graphs, prefixes)

    def _serialize(self, graphs: list, rdf_format, keep_graphs: bool, prefixes) -> bytes:
        quads: Iterable = (q for g in graphs for q in self._store.quads_for_pattern(None, None, None, g))
        items = quads if keep_graphs else (q.triple for q in quads)
        chunk = ox.serialize(items, format=rdf_format, prefixes=prefixes)
        # Each chunk opens with its own @prefix lines; the dump has said them once already.
        start = 0
        while chunk.startswith(b"@prefix ", start):
            start = chunk.index(b"\n", start) + 1
        return chunk[start:]

    def checkpoint(self, directory: Path | str) -> None:
        """A consistent copy of the store in `directory` (hard links, so quick), which other
        processes may open read-only while this one goes on writing."""
        self._store.backup(str(directory))

    def flush(self) -> None:
        self._store.flush()
