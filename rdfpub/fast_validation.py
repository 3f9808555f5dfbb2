"""A fast checker for rdfpub's own shapes: SHACL core evaluated in Python on the record's rdflib graph
with pyshacl's own rules (datatypes, patterns, counts), and the SPARQL constraints run by Oxigraph.

pyshacl takes ~200 ms for a PubMed record with these shapes (most of it rdflib evaluating the
SPARQL constraints); this takes a few. tests/test_fast_validation.py proves both report the same
problems on the same good and broken records.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from rdfpub.shapes_model import Shape, read_shapes

_KINDS = {
    SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}


def _to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def _from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


class FastChecker:
    """Evaluates the shapes on one record graph at a time; returns (severity, shape, focus, path,
    value, message) tuples in the same terms as pyshacl's report."""

    def __init__(self, shapes: Graph):
        self.shapes = read_shapes(shapes)

    def check(self, data: Graph) -> list[tuple]:
        results: list[tuple] = []
        store = None
        for shape in self.shapes:
            focus_nodes = self._targets(data, shape)
            if not focus_nodes:
                continue
            for focus in focus_nodes:
                self._node(data, shape, focus, results)
            if shape.sparql:
                if store is None:
                    store = ox.Store()
                    store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in data)
                for focus in focus_nodes:
                    self._sparql(store, shape, focus, results)
        return results

    @staticmethod
    def _targets(data: Graph, shape: Shape) -> list[Node]:
        found: dict[Node, None] = {}
        for kind, value in shape.targets:
            if kind == SH.targetClass:
                found.update(dict.fromkeys(data.subjects(RDF.type, value)))
            elif kind == SH.targetSubjectsOf:
                found.update(dict.fromkeys(data.subjects(value, None)))
            else:
                found.update(dict.fromkeys(data.objects(None, value)))
        return list(found)

    def _node(self, data: Graph, shape: Shape, focus: Node, results: list) -> None:
        for problem_value in self._failures(data, shape, focus, [focus]):
            results.append((shape.severity, shape.name, focus, None, problem_value, shape.message))
        for prop in shape.properties:
            values = self._values(data, focus, prop.path)
            for problem_value in self._failures(data, prop, focus, values):
                results.append((prop.severity, prop.name, focus, prop.path, problem_value, prop.message))

    @staticmethod
    def _values(data: Graph, focus: Node, path) -> list[Node]:
        if isinstance(path, tuple):
            return list(dict.fromkeys(data.subjects(path[1], focus)))
        return list(dict.fromkeys(data.objects(focus, path)))

    def _conforms(self, data: Graph, shape: Shape, node: Node) -> bool:
        """Whether `node` conforms to `shape` (a member of sh:or, or the shape of sh:not); a member
        with a path constrains the node's values along that path."""
        own_values = self._values(data, node, shape.path) if shape.path is not None else [node]
        if any(True for _ in self._failures(data, shape, node, own_values)):
            return False
        return all(not any(True for _ in self._failures(data, prop, node, self._values(data, node, prop.path)))
                   for prop in shape.properties)

    def _failures(self, data: Graph, shape: Shape, focus: Node, values: list[Node]):
        """Yields the failing value node of each failure (None for a count failure)."""
        for parameter, rule in shape.constraints:
            if parameter == SH.minCount:
                if len(values) < int(rule):
                    yield None
            elif parameter == SH.maxCount:
                if len(values) > int(rule):
                    yield None
            elif parameter == SH.hasValue:
                if rule not in values:
                    yield None
            else:
                for value in values:
                    if not self._value_ok(data, parameter, rule, value):
                        yield value

    def _value_ok(self, data: Graph, parameter: URIRef, rule, value: Node) -> bool:
        if parameter == SH.datatype:
            return _datatype_ok(value, rule)
        if parameter == SH.nodeKind:
            return isinstance(value, _KINDS[rule])
        if parameter == SH.pattern:
            return not isinstance(value, BNode) and rule.search(str(value)) is not None
        if parameter == SH.minLength:
            return not isinstance(value, BNode) and len(str(value)) >= int(rule)
        if parameter == SH["class"]:
            return not isinstance(value, Literal) and _instance_of(data, value, rule)
        if parameter == SH.minInclusive:
            return _at_least(value, rule)
        if parameter == SH["in"]:
            return value in rule
        if parameter == SH["or"]:
            return any(self._conforms(data, member, value) for member in rule)
        if parameter == SH["not"]:
            return not self._conforms(data, rule, value)
        raise AssertionError(f"unhandled constraint {parameter}")

    @staticmethod
    def _sparql(store: ox.Store, shape: Shape, focus: Node, results: list) -> None:
        """Runs each SPARQL constraint with $this pre-bound to the focus node (SHACL 1.0, 5.3.1),
        reporting and templating messages the way pyshacl does."""
        for check in shape.sparql:
            seen = set()
            solutions = store.query(check.select, substitutions={ox.Variable("this"): _to_ox(focus)})
            variables = solutions.variables
            for row in solutions:
                bound = {v.value: _from_ox(row[v]) for v in variables if row[v] is not None}
                bound.setdefault("this", focus)
                key = tuple(sorted(bound.items()))
                if key in seen:
                    continue
                seen.add(key)
                message = check.message or shape.message
                if message:
                    for name, term in bound.items():
                        message = message.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
                results.append((shape.severity, shape.name, bound["this"], bound.get("path"), bound.get("value"),
                                message))


def _at_least(value: Node, minimum: Literal) -> bool:
    """pyshacl's sh:minInclusive: a literal whose value compares at or above the minimum."""
    if not isinstance(value, Literal) or getattr(value, "ill_typed", None) is True:
        return False
    try:
        return bool(value.value >= minimum.value) and value.value is not None
    except TypeError:
        return False


def _instance_of(data: Graph, node: Node, rdf_class: URIRef) -> bool:
    for type_ in data.objects(node, RDF.type):
        if type_ == rdf_class or rdf_class in data.transitive_objects(type_, RDFS.subClassOf):
            return True
    return False


def _datatype_ok(value: Node, datatype: URIRef) -> bool:
    """pyshacl's rule: the literal's datatype is the one asked for and rdflib reads it as well-formed
    (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _python_type_ok(value, datatype)
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return True
    return datatype == RDF.langString and bool(value.language)


def _python_type_ok(value: Literal, datatype: URIRef) -> bool:
    import datetime
    from decimal import Decimal
    expected = {XSD.string: (str, bytes), XSD.integer: (int,), XSD.float: (float,), XSD.decimal: (Decimal,),
                XSD.boolean: (bool,), XSD.date: (datetime.date,), XSD.time: (datetime.time,),
                XSD.dateTime: (datetime.datetime,)}.get(datatype)
    return expected is None or isinstance(value.value, expected)
