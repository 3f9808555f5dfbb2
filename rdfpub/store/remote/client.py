"""A store on a remote SPARQL server, spoken to by the standards only: SPARQL 1.1 Protocol, Update and Graph Store Protocol."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from rdflib import Graph

from rdfpub.errors import StoreError
from rdfpub.store.catalog_entries import Entry, entry_of
from rdfpub.store.embedded import DUMP_FORMATS, RecordState
from rdfpub.store.rdf_terms import serialize_chunk, to_ntriples
from rdfpub.store.remote.answers import ACCEPT, CUT_HEADER, AnswerCut, FormAwareTransport, parse_answer
from rdfpub.store.remote.auth import StoreAuth
from rdfpub.store.remote.dump import record_graph_quads, shared_graph_quads
from rdfpub.store.remote.lookups import RemoteLookups
from rdfpub.store.shared_graph import GraphWrite, Operation, Plan, plan
from rdfpub.vocab import PREFIXES

# A form, not a query body: only a form carries the dataset parameters (SPARQL 1.1 Protocol 2.1.2).
FORM_HEADERS = {"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
# Oxigraph's own parameter for a union default graph: unlike its server-wide flag, it leaves a
# query's FROM alone. Servers whose default graph is the union already (Virtuoso) ignore it.
UNION = ("union-default-graph", "")
# Virtuoso's SPARQL parser runs out of stack ("memory exhausted") on a block of about 5,000 triples
# in INSERT DATA, whatever the request's size: a bigger record graph goes in several GRAPH blocks.
_TRIPLES_PER_BLOCK = 2000


def _insert(load: dict[str, list[str]]) -> str:
    """INSERT DATA of N-Triples lines by graph, each graph in blocks of at most _TRIPLES_PER_BLOCK lines."""
    blocks = "\n".join(f"GRAPH <{graph}> {{\n" + "\n".join(lines[start:start + _TRIPLES_PER_BLOCK]) + "\n}"
                       for graph, lines in load.items() for start in range(0, len(lines), _TRIPLES_PER_BLOCK))
    return f"INSERT DATA {{\n{blocks}\n}}"


def endpoints(query_url: str, update_url: str = "") -> tuple[str, str]:
    """The query and update endpoints: Oxigraph serves them at /query and /update, most other
    servers (Virtuoso, Fuseki's dataset URL, GraphDB) at one URL."""
    if update_url:
        return query_url, update_url
    if query_url.endswith("/query"):
        return query_url, query_url[: -len("query")] + "update"
    return query_url, query_url


class RemoteStore:
    """Record graphs on the SPARQL server at `url`. A query's default graph is the union of the
    named graphs, as on the embedded store: Oxigraph is asked so per query, other servers must be
    set up so (Virtuoso's is the union of the graphs its SPARQL user may read: hide its own from it).

    The server may hold other graphs too (its own, the writer lock's, another dataset's): with
    `record_graphs`, the IRI prefix of the record graphs, counts, listings and dumps keep to those."""

    path = None  # no directory: nothing of the store lives beside the process
    recovered = 0  # each write is one server transaction, so nothing is ever half written

    def __init__(self, url: str, update_url: str = "", graph_store_url: str = "", user: str = "",
                 password: str = "", timeout: float = 300.0, record_graphs: str = "", shared_graph: str | None = None,
                 withdrawn_graph: str | None = None):
        self.url, self.update_url = endpoints(url, update_url)
        self._is_record = f"STRSTARTS(STR(?g), {ox.Literal(record_graphs)})" if record_graphs else "true"
        self.shared_graph, self.withdrawn_graph = shared_graph, withdrawn_graph
        self.graph_store_url = graph_store_url
        self.auth = StoreAuth(user, password) if user else None
        self.timeout = timeout
        self._client = httpx.Client(auth=self.auth, timeout=timeout, transport=FormAwareTransport())
        lookups = RemoteLookups(self.query, self._is_record)
        # The lookups rdfpub/store/shared_graph.py plans a batch with.
        self.objects_of_graphs, self.with_shared_facts = lookups.objects_of_graphs, lookups.with_shared_facts
        self.still_referenced, self.shared_facts = lookups.still_referenced, lookups.shared_facts
        self.present, self.existing_graphs = lookups.present, lookups.existing_graphs

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise StoreError(f"cannot reach the store at {url}: {error}; is the server running?") from None
        if response.status_code >= 400:
            raise StoreError(f"the store at {url} answered {response.status_code}: {response.text[:500]}")
        return response

    def query(self, sparql: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None):
        """Runs a query on the server (SPARQL 1.1 Protocol, section 2.1.2: POST form, so the dataset
        parameters travel with it); answers what pyoxigraph's Store.query answers, or raises
        AnswerCut rather than answer with the first rows only."""
        result, cut = self._query(sparql, default_graphs, named_graphs)
        if cut:
            raise AnswerCut(f"the store sent only the first {cut} rows of an answer: raise its limit on "
                            "rows (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
        return result

    def _query(self, sparql: str, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None) -> tuple[object, str]:
        """The parsed answer, and the row count the server cut it at ("" when it sent it all)."""
        form = [("query", sparql)] + [("default-graph-uri", iri) for iri in default_graphs or []]
        form += [("named-graph-uri", iri) for iri in named_graphs or []]
        if not default_graphs:
            form.append(UNION)
        response = self._send("POST", self.url, content=urlencode(form).encode("ascii"), headers=FORM_HEADERS)
        answer = parse_answer(response.headers.get("content-type", ""), response.content)
        return answer, response.headers.get(CUT_HEADER, "")

    def _number(self, sparql: str) -> int:
        return int(next(iter(self.query(sparql)))["n"].value)

    def update(self, sparql: str) -> None:
        """One SPARQL 1.1 Update request (Protocol, section 2.2.2: POST application/sparql-update)."""
        self._send("POST", self.update_url, content=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def apply(self, operations: list[Operation], shared: str | None = None, withdrawn: str | None = None) -> None:
        """Writes and removes record graphs and keeps the shared graph `shared` true (see
        rdfpub/store/shared_graph.py); a later operation on the same graph wins. By default one Update
        request per batch, which servers that run a request as one transaction (Oxigraph,
        Virtuoso) apply wholly or not at all. With a Graph Store Protocol URL, each record graph is
        one PUT or DELETE, atomic on its own, between two updates of the shared graph: a process
        killed in between leaves shared things that no record points at."""
        if not operations:
            return
        batch = plan(self, operations, shared, withdrawn)
        reburials = [f"DELETE WHERE {{ GRAPH <{withdrawn}> {{ <{iri}> ?p ?o }} }}" for iri in batch.reburied]
        removals = [f"DELETE WHERE {{ GRAPH <{shared}> {{ {thing} ?p ?o }} }}" for thing in batch.dead]
        if batch.delete_shared:
            removals.append(f"DELETE DATA {{ GRAPH <{shared}> {{ {' . '.join(map(str, batch.delete_shared))} }} }}")
        if self.graph_store_url:
            self._put_graphs(batch, reburials, removals)
            return
        parts = [f"DROP SILENT GRAPH <{iri}>" for iri in batch.drop] + reburials + removals
        if batch.load:
            parts.append(_insert(batch.load))
        self.update(" ;\n".join(parts))

    def _put_graphs(self, batch: Plan, reburials: list[str], removals: list[str]) -> None:
        """The shared and withdrawn graphs' additions first, then each record graph, then what goes."""
        dropped = set(batch.drop)
        others = {graph: lines for graph, lines in batch.load.items() if graph not in dropped}
        if others or reburials:
            self.update(" ;\n".join(reburials + ([_insert(others)] if others else [])))
        for iri in batch.drop:
            self._put_graph(iri, batch.load.get(iri))
        if removals:
            self.update(" ;\n".join(removals))

    def _put_graph(self, iri: str, lines: list[str] | None) -> None:
        """SPARQL 1.1 Graph Store Protocol, sections 5.3 (PUT) and 5.4 (DELETE; 404 means already gone)."""
        if lines is None:
            try:
                self._send("DELETE", self.graph_store_url, params={"graph": iri})
            except StoreError as error:
                if " answered 404" not in str(error):
                    raise
            return
        self._send("PUT", self.graph_store_url, params={"graph": iri}, content="\n".join(lines).encode("utf-8"),
                   headers={"Content-Type": "application/n-triples"})

    def replace_graph(self, graph_iri: str, graph: Graph) -> bool:
        existed = bool(self.query(f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"))
        self.apply([GraphWrite(graph_iri, to_ntriples(graph))])
        return existed

    def remove_graph(self, graph_iri: str) -> bool:
        existed = bool(self.query(f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"))
        if existed:
            self.apply([graph_iri], self.shared_graph)
        return existed

    def record_states(self, graph_iris: list[str], vocab: str) -> dict[str, RecordState]:
        """The version, revision date and digest each of these graphs holds now (absent: not stored)."""
        if not graph_iris:
            return {}
        # One UNION branch per graph, each naming its graph: with VALUES ?g Oxigraph scans every
        # graph of the store (2.3 s against 23 ms for 64 graphs at 4,600 records).
        branches = " UNION ".join(
            f"""{{ BIND(<{iri}> AS ?g) GRAPH <{iri}> {{ <{iri}> <{vocab}contentDigest> ?digest .
                OPTIONAL {{ <{iri}> <{vocab}pmidVersion> ?version }}
                OPTIONAL {{ <{iri}> <http://purl.org/dc/terms/modified> ?revised }}
                OPTIONAL {{ <{iri}> <http://purl.org/dc/terms/source> ?source }}
                OPTIONAL {{ <{iri}> <{vocab}sourceFormat> ?format }} }} }}""" for iri in graph_iris)
        query = f"SELECT ?g ?version ?revised ?digest ?source ?format WHERE {{ {branches} }}"
        states = {}
        for row in self.query(query):
            version, revised, source, kind = row["version"], row["revised"], row["source"], row["format"]
            states[row["g"].value] = RecordState(int(version.value) if version else 1,
                                                 revised.value if revised else "", row["digest"].value,
                                                 source.value if source else "", kind.value if kind else "")
        return states

    def withdrawals(self, graph_iris: list[str], predicate: str) -> dict[str, str]:
        """The input file whose DeleteCitation withdrew each of these record graphs, where one did."""
        if not graph_iris or self.withdrawn_graph is None:
            return {}
        branches = " UNION ".join(f"{{ <{iri}> <{predicate}> ?file BIND(<{iri}> AS ?g) }}" for iri in graph_iris)
        rows = self.query(f"SELECT ?g ?file WHERE {{ GRAPH <{self.withdrawn_graph}> {{ {branches} }} }}")
        return {row["g"].value: row["file"].value for row in rows}

    def _not_records(self) -> list[str]:
        """The dataset's graphs that hold no record: the shared graph and the withdrawn graph, where named."""
        return [graph for graph in (self.shared_graph, self.withdrawn_graph) if graph]

    def _records_only(self) -> str:
        return self._is_record + "".join(f" && ?g != <{graph}>" for graph in self._not_records())

    def is_empty(self) -> bool:
        return not bool(self.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({self._records_only()}) }}"))

    def graph_count(self) -> int:
        """How many records the server holds: its record graphs, each tested once, after DISTINCT."""
        return self._number(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ "
                            f"GRAPH ?g {{ ?s ?p ?o }} }} }} FILTER({self._records_only()}) }}")

    def triple_count(self) -> int:
        """Triples of the dataset's graphs: each triple is in one graph only (rdfpub/store/shared_graph.py)."""
        return self._number(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({self._is_record}) }}")

    def _graphs(self) -> list[ox.NamedNode]:
        """The record graphs in IRI order; when the server cuts its answer, asked again for those after
        the last one it sent (SPARQL 1.1 Query 15.1 orders IRIs as their strings, as STR(?g) > compares)."""
        graphs: list[ox.NamedNode] = []
        while True:
            after = f" && STR(?g) > {ox.Literal(graphs[-1].value)}" if graphs else ""
            rows, cut = self._query(f"SELECT ?g WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
                                    f" FILTER({self._is_record}{after}) }} ORDER BY ?g")
            page = [row["g"] for row in rows]
            graphs += page
            if not cut:
                return graphs
            if not page:
                raise AnswerCut("the store cut its list of graphs before the first one")

    def dump(self, format_name: str, prefixes: dict[str, str] | None = None) -> Iterator[bytes]:
        """The whole dataset: the record graphs in IRI order, then the shared graph by subject, each
        in pages (rdfpub/store/remote/dump.py), so that every front over one store writes byte-equal dumps."""
        rdf_format, keep_graphs = DUMP_FORMATS[format_name]
        prefixes = (prefixes or PREFIXES) if rdf_format == ox.RdfFormat.TURTLE else None
        if prefixes:
            yield "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()).encode()
        others = self._not_records()
        records = [graph for graph in self._graphs() if graph.value not in others]
        pages = record_graph_quads(self._query, records)
        for graph in others:  # graphs of many subjects, read a page of subjects at a time
            pages = chain(pages, shared_graph_quads(self._query, graph))
        for quads in pages:
            if quads:
                yield serialize_chunk(quads if keep_graphs else [quad.triple for quad in quads], rdf_format, prefixes)

    def entries(self, journal_of) -> Iterator[Entry]:
        """The search and listing index's entry of every record (rdfpub/store/catalog_entries.py), read graph
        by graph in pages as a dump reads them."""
        others = self._not_records()
        records = [graph for graph in self._graphs() if graph.value not in others]
        for quads in record_graph_quads(self._query, records):
            by_graph: dict[str, list[ox.Triple]] = {}
            for quad in quads:
                by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
            for graph, triples in by_graph.items():
                entry = entry_of(graph, triples, journal_of)
                if entry is not None:
                    yield entry

    def checkpoint(self, directory) -> None:
        raise StoreError("a remote store has no local checkpoint: queries go to its server")

    def flush(self) -> None:
        """Nothing to do: the server has committed each request before answering it."""

    def close(self) -> None:
        self._client.close()

    def __del__(self):
        # A store dropped without close() must not leave its connections open.
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
