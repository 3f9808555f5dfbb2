"""The lookups that plan a batch's changes to the shared graph (rdfpub/store/shared_graph.py), asked of a
store server in SPARQL 1.1: a few queries per batch, each naming its graphs and things as constants.

Each thing gets a UNION branch of its own with the thing written out, not a VALUES list: Oxigraph
then looks the constant up in an index, where a VALUES join beside GRAPH made it scan the store.
A branch that only needs to know whether a match exists is a sub-select with LIMIT 1, so a MeSH
term that a million records name costs one match, not a million.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

_PER_QUERY = 200  # things (or triples) per query: keeps a request's text and its answer small


def _chunks(items: list, size: int = _PER_QUERY) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _one_each(things: Iterable[ox.NamedNode], pattern: Callable[[ox.NamedNode], str]) -> str:
    """A query binding ?t to each thing for which `pattern` (about that thing) has a match."""
    branches = " UNION ".join(f"{{ SELECT ({thing} AS ?t) WHERE {{ {pattern(thing)} }} LIMIT 1 }}" for thing in things)
    return f"SELECT ?t WHERE {{ {branches} }}"


class RemoteLookups:
    """The plan's lookups for a RemoteStore, by SPARQL queries over its `query` method. `in_dataset`
    is a FILTER expression on ?g that keeps to the dataset's graphs."""

    def __init__(self, query: Callable[[str], Iterable], in_dataset: str):
        self._query = query
        self._in_dataset = in_dataset

    def _things(self, sparql: str) -> set[ox.NamedNode]:
        return {row["t"] for row in self._query(sparql)}

    def objects_of_graphs(self, graphs: list[str]) -> set[ox.NamedNode]:
        found: set[ox.NamedNode] = set()
        for chunk in _chunks(graphs, 50):
            branches = " UNION ".join(f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}" for graph in chunk)
            found |= {row["o"] for row in self._query(
                f"SELECT DISTINCT ?o WHERE {{ {branches} FILTER(isIRI(?o)) }}")}
        return found

    def with_shared_facts(self, things: set[ox.NamedNode], shared: str) -> set[ox.NamedNode]:
        found: set[ox.NamedNode] = set()
        for chunk in _chunks(sorted(things, key=str)):
            found |= self._things(_one_each(chunk, lambda t: f"GRAPH <{shared}> {{ {t} ?p ?o }}"))
        return found

    def still_referenced(self, things: set[ox.NamedNode], excluded: set[str], shared: str,
                         dead: set[ox.NamedNode]) -> set[ox.NamedNode]:
        conditions = [self._in_dataset]
        if excluded:
            conditions.append(f"?g NOT IN ({', '.join(f'<{graph}>' for graph in sorted(excluded))})")
        if dead:
            conditions.append(f"(?g != <{shared}> || ?s NOT IN ({', '.join(map(str, sorted(dead, key=str)))}))")
        condition = " && ".join(conditions)
        found: set[ox.NamedNode] = set()
        for chunk in _chunks(sorted(things, key=str)):
            found |= self._things(_one_each(chunk, lambda t: f"GRAPH ?g {{ ?s ?p {t} }} FILTER({condition})"))
        return found

    def shared_facts(self, subjects: set[ox.NamedNode], shared: str) -> list[ox.Triple]:
        facts = []
        for chunk in _chunks(sorted(subjects, key=str)):
            branches = " UNION ".join(f"{{ {thing} ?p ?o BIND({thing} AS ?s) }}" for thing in chunk)
            facts += [ox.Triple(row["s"], row["p"], row["o"])
                      for row in self._query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{shared}> {{ {branches} }} }}")]
        return facts

    def present(self, triples: list[ox.Triple], graph: str) -> list[ox.Triple]:
        found = []
        for chunk in _chunks(triples):
            branches = " UNION ".join(f"{{ GRAPH <{graph}> {{ {triple} }} BIND({index} AS ?i) }}"
                                      for index, triple in enumerate(chunk))
            found += [chunk[int(row["i"].value)] for row in self._query(f"SELECT ?i WHERE {{ {branches} }}")]
        return found

    def existing_graphs(self, graphs: set[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(graphs)):
            found |= {thing.value for thing in self._things(
                _one_each([ox.NamedNode(graph) for graph in chunk], lambda g: f"GRAPH {g} {{ ?s ?p ?o }}"))}
        return found
