"""What a shape's SPARQL constraint reads from a record, worked out once from the query's algebra:
the IRIs without which it cannot have an answer, and the predicates of every triple it matches.

The fast checker uses both to do less per record, never to answer differently: a query one of whose
required IRIs the record does not hold has no solution, so it is not run; and a query that matches
only triples of known predicates is run on those triples alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

_THIS_VARIABLE, _THIS = Variable("this"), "?this"
# Algebra operators whose operand `p` (or `p1`) must have a solution for the whole to have one.
_THROUGH = {"SelectQuery", "Project", "Extend", "Filter", "Group", "AggregateJoin", "Distinct", "Reduced",
            "Slice", "OrderBy", "ToMultiSet", "LeftJoin", "Minus"}


@dataclass(frozen=True)
class Requirements:
    """`required`: IRIs each solution's triples use (absent from the record: no solution);
    `predicates`: the predicates of every triple pattern, or None when one is a variable or a path;
    `this_bound`: whether a triple pattern every solution matches binds $this."""

    required: frozenset[str]
    predicates: frozenset[str] | None
    this_bound: bool = False


def requirements(query: str) -> Requirements:
    algebra = translateQuery(parseQuery(query)).algebra
    required: set[str] = set()
    if not _required(algebra, required):
        required = set()
    this_bound = _THIS in required
    required.discard(_THIS)
    predicates: set[str] = set()
    return Requirements(frozenset(required), frozenset(predicates) if _predicates(algebra, predicates) else None,
                        this_bound)


def _required(node, found: set[str]) -> bool:
    """Adds the IRIs of the triple patterns every solution matches; False when the query can answer
    without any triple (an aggregate over no group answers one row even on an empty record)."""
    if not isinstance(node, CompValue):
        return True
    if node.name == "BGP":
        for triple in node.triples:
            found.update(str(term) for term in triple if isinstance(term, URIRef))
            if _THIS_VARIABLE in triple:
                found.add(_THIS)
        return True
    if node.name == "Group" and not node.expr:
        return False
    if node.name == "Join":
        return _required(node.p1, found) and _required(node.p2, found)
    if node.name in ("LeftJoin", "Minus"):
        return _required(node.p1, found)
    if node.name in _THROUGH:
        return _required(node.p, found)
    return True  # a union, VALUES, ...: nothing known to be required below


def _predicates(value, found: set[str]) -> bool:
    """Adds the predicate of every triple pattern anywhere in the query (EXISTS filters too);
    False when one is not a plain IRI."""
    if isinstance(value, CompValue):
        if "triples" in value:
            for triple in value["triples"]:
                predicate = triple[1]
                if not isinstance(predicate, URIRef):
                    return False
                found.add(str(predicate))
        return all(_predicates(item, found) for key, item in value.items() if key != "triples")
    if isinstance(value, (list, tuple)):
        return all(_predicates(item, found) for item in value)
    if isinstance(value, dict):
        return all(_predicates(item, found) for item in value.values())
    return True
