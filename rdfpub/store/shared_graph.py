"""Keeps the shared graph true as records come and go: what a batch of record writes and removals
deletes from it and adds to it, for the embedded store and a store server alike.

Every triple lives in one graph. A record's own graph holds what that record alone says; things
many records mention (cited works, identifiers, journals, MeSH terms, ...) are described once, in
the shared graph, and writing such a fact again adds nothing. A shared thing stays while some
triple still points at it (from a record graph, or from a shared thing that itself stays); when a
batch replaces or removes the last records that point at it, its triples go, and what only it
pointed at goes after it. A work published with a record of its own says its own things: what
other records say of it that repeats its record is not kept in the shared graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox


@dataclass(frozen=True)
class GraphWrite:
    """A record graph to write (N-Triples), with what the record adds to the shared graph:
    `shared`, and `about_works`, (work's record graph, N-Triples) pairs of what it says about
    works that may have records of their own. `article_iri` is the record's article."""

    graph_iri: str
    ntriples: str
    shared: str = ""
    about_works: tuple[tuple[str, str], ...] = ()
    article_iri: str = ""

    @property
    def all_ntriples(self) -> str:
        """Everything the record says, wherever it is stored: what the shapes check."""
        return "\n".join((self.ntriples, self.shared, *(text for _, text in self.about_works)))


@dataclass(frozen=True)
class Tombstone:
    """PubMed withdrew the record of `graph_iri`: what the withdrawn graph says of that graph now
    (N-Triples about it), in place of what it said."""

    graph_iri: str
    ntriples: str


Operation = GraphWrite | Tombstone | str  # a record graph to write, a withdrawal, a record graph to remove


def last_operation_per_graph(operations: list[Operation]) -> dict[str, GraphWrite | None]:
    """Each record graph's last operation, in first-seen order: its new content, or None for a removal."""
    final: dict[str, GraphWrite | None] = {}
    for operation in operations:
        if isinstance(operation, GraphWrite):
            final[operation.graph_iri] = operation
        elif isinstance(operation, str):
            final[operation] = None
    return final


class Reader(Protocol):
    """The lookups the plan needs, answered by each kind of store from its current state."""

    def objects_of_graphs(self, graphs: list[str]) -> set[ox.NamedNode]:
        """The IRIs that triples of these graphs point at."""

    def with_shared_facts(self, things: set[ox.NamedNode], shared: str) -> set[ox.NamedNode]:
        """Those of `things` the shared graph says something about."""

    def still_referenced(self, things: set[ox.NamedNode], excluded: set[str], shared: str,
                         dead: set[ox.NamedNode]) -> set[ox.NamedNode]:
        """Those of `things` that a triple points at, in a graph not in `excluded` (and in the shared
        graph, from a subject not in `dead`)."""

    def shared_facts(self, subjects: set[ox.NamedNode], shared: str) -> list[ox.Triple]:
        """The shared graph's triples about these subjects."""

    def present(self, triples: list[ox.Triple], graph: str) -> list[ox.Triple]:
        """Those of `triples` the graph holds (compared as the store stores terms)."""

    def existing_graphs(self, graphs: set[str]) -> set[str]:
        """Those of these graphs that hold a triple."""


@dataclass
class Plan:
    """What one batch does: first record graphs to drop, shared things whose triples all go and
    shared triples to delete; then N-Triples lines to load, by graph (record graphs, then the
    shared graph), and the subjects of what the load adds to the shared graph. `final` is each record
    graph's last operation (last_operation_per_graph), whose graphs `drop` lists."""

    drop: list[str] = field(default_factory=list)
    dead: list[ox.NamedNode] = field(default_factory=list)
    delete_shared: list[ox.Triple] = field(default_factory=list)
    reburied: list[str] = field(default_factory=list)  # record graphs whose tombstone is rewritten
    load: dict[str, list[str]] = field(default_factory=dict)
    shared_subjects: list[str] = field(default_factory=list)
    final: dict[str, GraphWrite | None] = field(default_factory=dict)

    def nquads(self) -> str:
        return "\n".join(line[:-1] + f"<{graph}> ." for graph, lines in self.load.items() for line in lines)


def parse_triples(ntriples: str) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)] \
        if ntriples.strip() else []


def plan(reader: Reader, operations: list[Operation], shared: str | None, withdrawn: str | None = None) -> Plan:
    final = last_operation_per_graph(operations)
    writes = [write for write in final.values() if write is not None]
    if shared is None and any(write.shared or write.about_works for write in writes):
        raise ValueError("these records add to the shared graph: name it (Iris.shared_graph())")
    result = Plan(drop=list(final), load={write.graph_iri: [line for line in write.ntriples.split("\n") if line]
                                          for write in writes}, final=final)
    tombstones = {op.graph_iri: op for op in operations if isinstance(op, Tombstone)}
    if tombstones:
        if withdrawn is None:
            raise ValueError("these operations withdraw records: name the withdrawn graph (Iris.withdrawn_graph())")
        result.reburied = list(tombstones)
        result.load[withdrawn] = [line for op in tombstones.values() for line in op.ntriples.split("\n") if line]
    if shared is None:
        return result
    removed = {iri for iri, write in final.items() if write is None}
    result.dead = collect_dead(reader, reader.objects_of_graphs(list(final)), set(final), shared)
    result.delete_shared = _repeated_by_own_records(reader, writes, shared)
    shared_lines = [line for write in writes for line in write.shared.split("\n") if line]
    shared_lines += _about_works_to_keep(reader, writes, removed)
    if shared_lines:
        result.load[shared] = list(dict.fromkeys(shared_lines))
        result.shared_subjects = sorted({line.split(" ", 1)[0][1:-1] for line in shared_lines})
    return result


def collect_dead(reader: Reader, candidates: set[ox.NamedNode], excluded: set[str],
                 shared: str) -> list[ox.NamedNode]:
    """The shared things nothing points at once the `excluded` graphs are gone, and, round after
    round, what only those pointed at (an identifier of a work no one cites any more)."""
    dead: set[ox.NamedNode] = set()
    pending = reader.with_shared_facts(candidates, shared)
    while pending:
        newly_dead = pending - reader.still_referenced(pending, excluded, shared, dead)
        if not newly_dead:
            break
        dead |= newly_dead
        # Only what the things that died point at can have lost its last pointer.
        pointed = {triple.object for triple in reader.shared_facts(newly_dead, shared)
                   if isinstance(triple.object, ox.NamedNode)} - dead
        pending = reader.with_shared_facts(pointed, shared)
    return sorted(dead, key=str)


def _repeated_by_own_records(reader: Reader, writes: list[GraphWrite], shared: str) -> list[ox.Triple]:
    """Shared triples about a written record's article that its own graph now states: other
    records said them first, its record says them now, and a fact lives in one graph."""
    articles = {ox.NamedNode(write.article_iri): write for write in writes if write.article_iri}
    # Only a predicate the shared graph uses for the article can repeat one of its record's triples.
    predicates: dict[ox.NamedNode, set[str]] = {}
    for triple in reader.shared_facts(set(articles), shared):
        predicates.setdefault(triple.subject, set()).add(f"{triple.predicate} ")
    repeated = []
    for article, used in predicates.items():
        start = f"{article} "
        own = [line for line in articles[article].ntriples.split("\n")
               if line.startswith(start) and line[len(start):].startswith(tuple(used))]
        if own:
            repeated += reader.present(parse_triples("\n".join(own)), shared)
    return repeated


def _about_works_to_keep(reader: Reader, writes: list[GraphWrite], removed: set[str]) -> list[str]:
    """What records say about other works, less what those works' own records state: a work
    written in this batch is compared with its new graph, one in the store with its stored graph."""
    new_graphs = {write.graph_iri: set(write.ntriples.split("\n")) for write in writes}
    claims: dict[str, list[str]] = {}
    for write in writes:
        for graph, ntriples in write.about_works:
            claims.setdefault(graph, []).extend(line for line in ntriples.split("\n") if line)
    stored = reader.existing_graphs(set(claims) - set(new_graphs) - removed)
    kept = []
    for graph, lines in claims.items():
        lines = list(dict.fromkeys(lines))
        if graph in new_graphs:
            kept += [line for line in lines if line not in new_graphs[graph]]
        elif graph in stored:
            present = {str(triple) + " ." for triple in reader.present(parse_triples("\n".join(lines)), graph)}
            kept += [line for line in lines if line not in present]
        else:
            kept += lines
    return kept
