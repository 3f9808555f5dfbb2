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

# The hot loops compare plain strings: rdflib terms compare in Python, and rdflib Namespace
# attributes are rebuilt on every access.
MIN_COUNT, MAX_COUNT, HAS_VALUE, DATATYPE, NODE_KIND, PATTERN, MIN_LENGTH, CLASS, IN, OR, NOT, MIN_INCLUSIVE = (
    "minCount", "maxCount", "hasValue", "datatype", "nodeKind", "pattern", "minLength", "class", "in", "or",
    "not", "minInclusive")
TARGET_CLASS, TARGET_SUBJECTS_OF = SH.targetClass, SH.targetSubjectsOf
TYPE, SUBCLASS, LANG_STRING, STRING = RDF.type, RDFS.subClassOf, RDF.langString, XSD.string


def _coded(shapes: list[Shape]) -> list[Shape]:
    """The shapes with each constraint parameter replaced by its SHACL local name, once."""
    seen: set[int] = set()

    def visit(shape: Shape) -> None:
        if id(shape) in seen:
            return
        seen.add(id(shape))
        shape.constraints = [(str(parameter)[len(str(SH)):], rule) for parameter, rule in shape.constraints]
        for _, rule in shape.constraints:
            for member in (rule if isinstance(rule, list) else [rule]):
                if isinstance(member, Shape):
                    visit(member)
        for prop in shape.properties:
            visit(prop)

    for shape in shapes:
        visit(shape)
    return shapes

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


class Index:
    """A record graph as two dictionaries (subject -> predicate -> objects, predicate -> object ->
    subjects): every lookup the checker makes is then two dict gets."""

    def __init__(self, triples):
        self.triples = triples if isinstance(triples, (set, frozenset, list)) else list(triples)
        self.out: dict = {}
        self.back: dict = {}
        for s, p, o in self.triples:
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
            self.back.setdefault(p, {}).setdefault(o, []).append(s)

    def objects(self, subject, predicate) -> list:
        return self.out.get(subject, {}).get(predicate, [])

    def subjects(self, predicate, value) -> list:
        return self.back.get(predicate, {}).get(value, [])


class FastChecker:
    """Evaluates the shapes on one record graph at a time; returns (severity, shape, focus, path,
    value, message) tuples in the same terms as pyshacl's report."""

    def __init__(self, shapes: Graph):
        self.shapes = _coded(read_shapes(shapes))

    def check(self, triples, ntriples: str | None = None) -> list[tuple]:
        """The problems in `triples`; `ntriples`, the same triples as N-Triples text when the
        caller has it, loads the SPARQL constraints' store far faster than term by term."""
        data = Index(triples)
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
                    if ntriples is not None:
                        store.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
                    else:
                        store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in data.triples)
                for focus in focus_nodes:
                    self._sparql(store, shape, focus, results)
        return results

    @staticmethod
    def _targets(data: Index, shape: Shape) -> list[Node]:
        found: dict[Node, None] = {}
        for kind, value in shape.targets:
            if kind == TARGET_CLASS:
                found.update(dict.fromkeys(data.subjects(TYPE, value)))
            elif kind == TARGET_SUBJECTS_OF:
                for subjects in data.back.get(value, {}).values():
                    found.update(dict.fromkeys(subjects))
            else:
                found.update(dict.fromkeys(data.back.get(value, {})))
        return list(found)

    def _node(self, data: Index, shape: Shape, focus: Node, results: list) -> None:
        for problem_value in self._failures(data, shape, focus, [focus]):
            results.append((shape.severity, shape.name, focus, None, problem_value, shape.message))
        for prop in shape.properties:
            values = self._values(data, focus, prop.path)
            for problem_value in self._failures(data, prop, focus, values):
                results.append((prop.severity, prop.name, focus, prop.path, problem_value, prop.message))

    @staticmethod
    def _values(data: Index, focus: Node, path) -> list[Node]:
        if isinstance(path, tuple):
            return list(dict.fromkeys(data.subjects(path[1], focus)))
        return list(dict.fromkeys(data.objects(focus, path)))

    def _conforms(self, data: Index, shape: Shape, node: Node) -> bool:
        """Whether `node` conforms to `shape` (a member of sh:or, or the shape of sh:not); a member
        with a path constrains the node's values along that path."""
        own_values = self._values(data, node, shape.path) if shape.path is not None else [node]
        if any(True for _ in self._failures(data, shape, node, own_values)):
            return False
        return all(not any(True for _ in self._failures(data, prop, node, self._values(data, node, prop.path)))
                   for prop in shape.properties)

    def _failures(self, data: Index, shape: Shape, focus: Node, values: list[Node]):
        """Yields the failing value node of each failure (None for a count failure)."""
        for parameter, rule in shape.constraints:
            if parameter == MIN_COUNT:
                if len(values) < int(rule):
                    yield None
            elif parameter == MAX_COUNT:
                if len(values) > int(rule):
                    yield None
            elif parameter == HAS_VALUE:
                if rule not in values:
                    yield None
            else:
                for value in values:
                    if not self._value_ok(data, parameter, rule, value):
                        yield value

    def _value_ok(self, data: Index, parameter: URIRef, rule, value: Node) -> bool:
        if parameter == DATATYPE:
            return _datatype_ok(value, rule)
        if parameter == NODE_KIND:
            return isinstance(value, _KINDS[rule])
        if parameter == PATTERN:
            return not isinstance(value, BNode) and rule.search(str(value)) is not None
        if parameter == MIN_LENGTH:
            return not isinstance(value, BNode) and len(str(value)) >= int(rule)
        if parameter == CLASS:
            return not isinstance(value, Literal) and _instance_of(data, value, rule)
        if parameter == MIN_INCLUSIVE:
            return _at_least(value, rule)
        if parameter == IN:
            return value in rule
        if parameter == OR:
            return any(self._conforms(data, member, value) for member in rule)
        if parameter == NOT:
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
                bound = {v.value: from_oxigraph(row[v]) for v in variables if row[v] is not None}
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


def _instance_of(data: Index, node: Node, rdf_class: URIRef) -> bool:
    """SHACL instance: a type of the node is the class or, through rdfs:subClassOf in the data, below it."""
    seen, pending = set(), list(data.objects(node, TYPE))
    while pending:
        current = pending.pop()
        if current == rdf_class:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(data.objects(current, SUBCLASS))
    return False


def _datatype_ok(value: Node, datatype: URIRef) -> bool:
    """pyshacl's rule: the literal's datatype is the one asked for and rdflib reads it as well-formed
    (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _python_type_ok(value, datatype)
    if value.datatype is None and value.language is None and datatype == STRING:
        return True
    return datatype == LANG_STRING and bool(value.language)


def _python_type_ok(value: Literal, datatype: URIRef) -> bool:
    import datetime
    from decimal import Decimal
    expected = {XSD.string: (str, bytes), XSD.integer: (int,), XSD.float: (float,), XSD.decimal: (Decimal,),
                XSD.boolean: (bool,), XSD.date: (datetime.date,), XSD.time: (datetime.time,),
                XSD.dateTime: (datetime.datetime,)}.get(datatype)
    return expected is None or isinstance(value.value, expected)
