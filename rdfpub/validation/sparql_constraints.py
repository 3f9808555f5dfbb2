"""The shapes' SPARQL constraints run by Oxigraph on a record, or once for a whole batch of records."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from rdfpub.validation.shapes_model import Shape
from rdfpub.validation.sparql_batch_form import GRAPH_VARIABLE, batch_form
from rdfpub.validation.sparql_requirements import requirements

if TYPE_CHECKING:
    from rdfpub.validation.record_data import Data


class SparqlConstraint:
    """A shape's sh:sparql check with what it reads from a record (rdfpub/validation/sparql_requirements.py)."""

    def __init__(self, select: str, message: str | None):
        self.select, self.message = select, message
        needs = requirements(select)
        self.required = [f"<{iri}>" for iri in needs.required]
        self.predicates = None if needs.predicates is None else [f"<{p}>" for p in needs.predicates]
        self.batch_query = batch_form(select) if needs.this_bound else None

    def may_answer(self, data: Data) -> bool:
        return data.escaped or all(data.holds_iri(iri) for iri in self.required)


def _predicates_read(pending: list[tuple]) -> set[str] | None:
    """The predicates of every triple the pending constraints read; None when one may read any."""
    if any(constraint.predicates is None for _, constraint, _ in pending):
        return None
    return {p for _, constraint, _ in pending for p in constraint.predicates}


def run_alone(data: Data, pending: list[tuple], results: list) -> None:
    """Runs the SPARQL constraints that may answer on a store of the triples they read, with
    $this pre-bound to each focus node (SHACL 1.0, 5.3.1), reporting and templating messages
    the way pyshacl does."""
    store = ox.Store()
    store.load(data.ntriples(_predicates_read(pending)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    this = ox.Variable("this")
    for shape, constraint, focus_nodes in pending:
        for focus in focus_nodes:
            solutions = store.query(constraint.select, substitutions={this: _to_ox(focus)})
            variables = solutions.variables
            seen: set = set()
            for row in solutions:
                bound = {v.value: from_oxigraph(row[v]) for v in variables if row[v] is not None}
                _report(shape, constraint, data.rdflib(focus), bound, seen, results)


def run_batched(datas: list[Data], batched: dict[int, list[tuple]], results: list[list[tuple]]) -> None:
    """Runs each SPARQL constraint once for every record of the batch it may answer for, each
    record in a named graph of its own; a row counts for a record when its $this is one of that
    record's focus nodes for the shape."""
    quads, wanted = [], {}
    for index, pending in batched.items():
        quads.append(datas[index].ntriples(_predicates_read(pending), f"<urn:rdfpub:batch:{index}>"))
        for shape, constraint, focus_nodes in pending:
            wanted.setdefault(id(constraint), (shape, constraint, {}))[2][index] = set(focus_nodes)
    store = ox.Store()
    store.load("\n".join(quads).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    for shape, constraint, focus_by_record in wanted.values():
        solutions = store.query(constraint.batch_query)
        variables = [v for v in solutions.variables if v.value != GRAPH_VARIABLE]
        graph, this = ox.Variable(GRAPH_VARIABLE), ox.Variable("this")
        seen: dict[tuple[int, str], set] = {}
        for row in solutions:
            index = int(row[graph].value.rsplit(":", 1)[1])
            focus = str(row[this])
            if focus not in focus_by_record.get(index, ()):
                continue
            bound = {v.value: from_oxigraph(row[v]) for v in variables if row[v] is not None}
            _report(shape, constraint, datas[index].rdflib(focus), bound,
                    seen.setdefault((index, focus), set()), results[index])


def _report(shape: Shape, constraint: SparqlConstraint, focus: Node, bound: dict, seen: set, results: list) -> None:
    """One solution of a SPARQL constraint as a result, once per distinct binding."""
    bound.setdefault("this", focus)
    key = tuple(sorted(bound.items()))
    if key in seen:
        return
    seen.add(key)
    message = constraint.message or shape.message
    if message:
        for name, value in bound.items():
            message = message.replace("{?" + name + "}", str(value)).replace("{$" + name + "}", str(value))
    results.append((shape.severity, shape.name, bound["this"], bound.get("path"), bound.get("value"), message))


def _to_ox(text: str):
    """An N-Triples term (a focus node) as the pyoxigraph term to pre-bind $this to."""
    if text[0] == "<":
        return ox.NamedNode(text[1:-1])
    if text[0] == "_":
        return ox.BlankNode(text[2:])
    return next(ox.parse(f"<x:> <x:> {text} .", format=ox.RdfFormat.N_TRIPLES)).object


def from_oxigraph(term) -> Node:
    """A pyoxigraph term as the rdflib term of the same value (plain xsd:string literals stay plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
