"""The shapes graph read into plain objects, for the fast checker: targets, constraints, property shapes, SPARQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

# The constraint parameters the fast checker understands; a shapes graph using any other
# parameter is refused, so the fast checker can never silently check less than pyshacl does.
SUPPORTED = {
    SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH["class"],
    SH["in"], SH.hasValue, SH["or"], SH["not"], SH.minInclusive,
}
_STRUCTURE = {SH.path, SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.message,
              SH.severity, SH.sparql, SH.flags, SH.name, SH.description, SH.declare, SH.prefixes}


@dataclass
class SparqlCheck:
    select: str
    message: str | None


@dataclass
class Shape:
    """A node or property shape with the constraints declared on it."""

    node: Node
    path: URIRef | tuple[str, URIRef] | None = None
    targets: list[tuple[URIRef, URIRef]] = field(default_factory=list)
    constraints: list[tuple[URIRef, object]] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    sparql: list[SparqlCheck] = field(default_factory=list)
    message: str | None = None
    severity: str = "Violation"
    name: str = ""


class ShapesError(ValueError):
    """A shapes graph that uses SHACL features the fast checker does not implement."""


def _prefix_block(shapes: Graph, select_node: Node) -> str:
    lines = []
    for declaring in shapes.objects(select_node, SH.prefixes):
        for declaration in shapes.objects(declaring, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines)


def _read(shapes: Graph, node: Node, name: str, cache: dict) -> Shape:
    if node in cache:
        return cache[node]
    shape = Shape(node=node, name=name)
    cache[node] = shape
    for predicate, value in shapes.predicate_objects(node):
        if predicate in SUPPORTED:
            if predicate in (SH["or"], SH["in"]):
                items = list(Collection(shapes, value))
                value = [_read(shapes, item, name, cache) for item in items] if predicate == SH["or"] else items
            elif predicate == SH["not"]:
                value = _read(shapes, value, name, cache)
            elif predicate == SH.pattern:
                flags = shapes.value(node, SH.flags)
                value = re.compile(str(value), re.I if flags and "i" in str(flags).lower() else 0)
            shape.constraints.append((predicate, value))
        elif predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
            shape.targets.append((predicate, value))
        elif predicate == SH.path:
            inverse = shapes.value(value, SH.inversePath) if isinstance(value, BNode) else None
            if isinstance(value, BNode) and inverse is None:
                raise ShapesError(f"shape {name}: only IRI and inverse paths are supported")
            shape.path = ("inverse", inverse) if inverse is not None else value
        elif predicate == SH.property:
            shape.properties.append(_read(shapes, value, name, cache))
        elif predicate == SH.message:
            shape.message = str(value)
        elif predicate == SH.severity:
            shape.severity = str(value).rsplit("#", 1)[-1]
        elif predicate == SH.sparql:
            select = shapes.value(value, SH.select)
            shape.sparql.append(SparqlCheck(_prefix_block(shapes, value) + "\n" + str(select),
                                            str(shapes.value(value, SH.message) or "") or None))
        elif str(predicate).startswith(str(SH)) and predicate not in _STRUCTURE:
            raise ShapesError(f"shape {name} uses {predicate}, which the fast checker does not implement")
    return shape


def read_shapes(shapes: Graph) -> list[Shape]:
    """Every shape that has a target, ready to evaluate; property shapes hang below their node shape."""
    cache: dict = {}
    result = []
    targeted = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p)}
    for node in sorted(targeted, key=str):
        name = str(node).rsplit("#", 1)[-1] if isinstance(node, URIRef) else str(node)
        result.append(_read(shapes, node, name, cache))
    return result

