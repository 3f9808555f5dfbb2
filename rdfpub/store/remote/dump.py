"""The whole dataset read from a store server for a dump: in pages, in one fixed order, so every
front over one store writes the same bytes (and so gives its dump the same ETag)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox

from rdfpub.store.remote.answers import AnswerCut, canonical

_GRAPHS_PER_QUERY = 200
# Rows per page of the shared graph: under Virtuoso's stock ResultSetMaxRows (10,000), so a page
# comes whole.
_SHARED_ROWS = 5000

Query = Callable[[str], tuple[object, str]]  # SPARQL -> (rows, the row count the server cut them at or "")


def record_graph_quads(query: Query, graphs: list[ox.NamedNode]) -> Iterator[list[ox.Quad]]:
    """The record graphs' quads, a few graphs per query, in the order given."""
    start = 0
    while start < len(graphs):
        batch = graphs[start:start + _GRAPHS_PER_QUERY]
        rows, cut = query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {' '.join(map(str, batch))} }} "
                          "GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
        if cut:  # the first rows only, graph after graph: keep the graphs it holds whole, ask for the rest
            last = quads[-1].graph_name if quads else batch[0]
            quads = [quad for quad in quads if quad.graph_name != last]
            if not quads:
                raise AnswerCut(f"the store sends at most {cut} rows, fewer than the graph {last} holds: "
                                "raise its limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)")
            batch = batch[:batch.index(last)]
        start += len(batch)
        yield canonical(quads)


def shared_graph_quads(query: Query, shared: str) -> Iterator[list[ox.Quad]]:
    """The shared graph's quads, which grow with the store, a page of subjects at a time: each page
    ends before the subject the server's limit may have cut, and the next starts at that subject."""
    graph, after = ox.NamedNode(shared), None
    while True:
        where = f"FILTER(STR(?s) >= {ox.Literal(after)})" if after else ""
        rows, cut = query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} {where} }} "
                          f"ORDER BY STR(?s) LIMIT {_SHARED_ROWS}")
        quads = [ox.Quad(row["s"], row["p"], row["o"], graph) for row in rows]
        if len(quads) < _SHARED_ROWS and not cut:
            yield canonical(quads)
            return
        last = quads[-1].subject.value if quads else after
        whole = [quad for quad in quads if quad.subject.value != last]
        if not whole:
            raise AnswerCut(f"one subject of the shared graph, {last}, has more triples than a page holds")
        yield canonical(whole)
        after = last
