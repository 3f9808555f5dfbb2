"""A fast checker for rdfpub's own shapes: SHACL core evaluated in Python on the record's N-Triples
terms with pyshacl's own rules (datatypes, patterns, counts), and the SPARQL constraints run by Oxigraph.

pyshacl takes ~200 ms for a PubMed record with these shapes (most of it rdflib evaluating the
SPARQL constraints); this takes about two. The shapes are compiled once into plain Python closures
over strings: a record's terms stay the text N-Triples gives them ('<iri>', '"text"@en'), and
become rdflib terms only when reported, or when a datatype's value must be read.
tests/test_fast_validation.py proves both report the same problems on the same good and broken records.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from rdfpub.mapping.terms import object_term, plain, tagged, typed
from rdfpub.validation.record_data import Data
from rdfpub.validation.record_lines import lexical_form, literal_datatype
from rdfpub.validation.shapes_model import Shape, read_shapes
from rdfpub.validation.sparql_constraints import SparqlConstraint, run_alone, run_batched

TYPE, SUBCLASS = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
STRING, LANG_STRING = str(XSD.string), str(RDF.langString)

# What each sh:nodeKind allows, by the first character of the term's N-Triples form.
_KINDS = {
    SH.IRI: "<", SH.Literal: '"', SH.BlankNode: "_", SH.BlankNodeOrIRI: "_<", SH.BlankNodeOrLiteral: '_"',
    SH.IRIOrLiteral: '<"',
}


def to_ntriples(node: Node) -> str:
    """An rdflib term from the shapes in the record's canonical N-Triples form."""
    if isinstance(node, URIRef):
        return object_term(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if node.language:
        return tagged(str(node), node.language)
    return typed(str(node), str(node.datatype)) if node.datatype else plain(str(node))



# A compiled constraint: (data, focus, values) -> the failing values (None for a count failure).
Check = Callable[[Data, str, Collection], Collection]
# A compiled value test: (data, value) -> whether the value passes.
Test = Callable[[Data, str], bool]


class Compiled:
    """One shape made into closures: its own checks on its value nodes, and its property shapes."""

    def __init__(self, shape: Shape, compile_shape: Callable[[Shape], "Compiled"]):
        self.shape = shape
        if shape.path is None:
            self.values = None
        elif isinstance(shape.path, tuple):
            predicate = to_ntriples(shape.path[1])
            self.values = lambda data, node: data.subjects(predicate, node)
        else:
            predicate = to_ntriples(shape.path)
            self.values = lambda data, node: data.objects(node, predicate)
        self.checks: list[Check] = [_compile(parameter, rule, compile_shape) for parameter, rule in shape.constraints]
        self.properties = [compile_shape(prop) for prop in shape.properties]

    def value_nodes(self, data: Data, node: str):
        """The node itself, or its values along the path (a dict used as an ordered set)."""
        return [node] if self.values is None else self.values(data, node)

    def conforms(self, data: Data, node: str) -> bool:
        """Whether `node` conforms (as a member of sh:or, or the shape of sh:not)."""
        values = self.value_nodes(data, node)
        if any(check(data, node, values) for check in self.checks):
            return False
        return not any(check(data, node, prop.value_nodes(data, node))
                       for prop in self.properties for check in prop.checks)


def _compile(parameter: URIRef, rule, compile_shape) -> Check:
    name = str(parameter)[len(str(SH)):]
    if name == "minCount":
        least = int(rule)
        return lambda data, focus, values: [None] if len(values) < least else []
    if name == "maxCount":
        most = int(rule)
        return lambda data, focus, values: [None] if len(values) > most else []
    if name == "hasValue":
        wanted = to_ntriples(rule)
        return lambda data, focus, values: [] if wanted in values else [None]
    test = _value_test(name, rule, compile_shape)
    return lambda data, focus, values: [value for value in values if not test(data, value)] if values else ()


def _value_test(name: str, rule, compile_shape) -> Test:
    if name == "datatype":
        datatype = str(rule)
        return lambda data, value: _datatype_ok(value, datatype)
    if name == "nodeKind":
        starts = _KINDS[rule]
        return lambda data, value: value[0] in starts
    if name == "pattern":
        search = rule.search
        return lambda data, value: value[0] != "_" and search(_text(value)) is not None
    if name == "minLength":
        least = int(rule)
        return lambda data, value: value[0] != "_" and len(_text(value)) >= least
    if name == "class":
        rdf_class = to_ntriples(rule)
        return lambda data, value: value[0] != '"' and _instance_of(data, value, rdf_class)
    if name == "minInclusive":
        return lambda data, value: _at_least(data.rdflib(value), rule)
    if name == "in":
        allowed = frozenset(to_ntriples(member) for member in rule)
        return lambda data, value: value in allowed
    if name == "or":
        members = [compile_shape(member) for member in rule]
        return lambda data, value: any(member.conforms(data, value) for member in members)
    if name == "not":
        negated = compile_shape(rule)
        return lambda data, value: not negated.conforms(data, value)
    raise AssertionError(f"unhandled constraint sh:{name}")


def _text(value: str) -> str:
    """What pyshacl matches a pattern or length against: an IRI itself, a literal's lexical form."""
    return value[1:-1] if value[0] == "<" else lexical_form(value)


class FastChecker:
    """Evaluates the shapes on one record graph at a time; returns (severity, shape, focus, path,
    value, message) tuples in the same terms as pyshacl's report."""

    def __init__(self, shapes: Graph):
        self.shapes = read_shapes(shapes)
        compiled: dict[int, Compiled] = {}

        def compile_shape(shape: Shape) -> Compiled:
            found = compiled.get(id(shape))
            if found is None:
                found = compiled[id(shape)] = Compiled(shape, compile_shape)
            return found

        self._compiled = [compile_shape(shape) for shape in self.shapes]
        self._targets = [_target_finder(shape) for shape in self.shapes]
        self._sparql = {id(shape): [SparqlConstraint(check.select, check.message) for check in shape.sparql]
                        for shape in self.shapes if shape.sparql}

    def check(self, ntriples: str) -> list[tuple]:
        """The problems in a record's triples, given as N-Triples text."""
        return self.check_batch([ntriples])[0]

    def check_batch(self, texts: list[str]) -> list[list[tuple]]:
        """The problems of each record of a batch, each given as N-Triples text. The SPARQL
        constraints that can be run for the whole batch at once are (rdfpub/validation/sparql_batch_form.py)."""
        datas = [Data(text) for text in texts]
        results: list[list[tuple]] = [[] for _ in texts]
        batched: dict[int, list[tuple]] = {}  # record -> its (shape, constraint, focus nodes) run in the batch
        for index, data in enumerate(datas):
            alone = []
            for compiled, targets in zip(self._compiled, self._targets):
                focus_nodes = targets(data)
                if not focus_nodes:
                    continue
                for focus in focus_nodes:
                    self._node(data, compiled, focus, results[index])
                shape = compiled.shape
                for constraint in self._sparql.get(id(shape), ()):
                    if constraint.may_answer(data):
                        together = len(texts) > 1 and constraint.batch_query is not None and not data.blank
                        (batched.setdefault(index, []) if together else alone).append((shape, constraint, focus_nodes))
            if alone:
                run_alone(data, alone, results[index])
        if batched:
            run_batched(datas, batched, results)
        return results

    @staticmethod
    def _node(data: Data, compiled: Compiled, focus: str, results: list) -> None:
        shape = compiled.shape
        own = [focus]
        for check in compiled.checks:
            for value in check(data, focus, own):
                results.append((shape.severity, shape.name, data.rdflib(focus), None, data.rdflib(value), shape.message))
        for prop in compiled.properties:
            values = prop.values(data, focus)
            for check in prop.checks:
                for value in check(data, focus, values):
                    results.append((prop.shape.severity, prop.shape.name, data.rdflib(focus), prop.shape.path,
                                    data.rdflib(value), prop.shape.message))

def _target_finder(shape: Shape) -> Callable[[Data], list[str]]:
    """The focus nodes of a shape in a record, without repeats, in the order they were found."""
    targets = [(kind, to_ntriples(value)) for kind, value in shape.targets]

    def find(data: Data) -> list[str]:
        found: dict[str, None] = {}
        for kind, value in targets:
            if kind == SH.targetClass:
                found.update(data.subjects(TYPE, value))
            elif kind == SH.targetSubjectsOf:
                for subjects in data.back.get(value, {}).values():
                    found.update(subjects)
            else:
                found.update(data.back.get(value, {}))
        return list(found)

    return find


def _at_least(value: Node, minimum: Literal) -> bool:
    """pyshacl's sh:minInclusive: a literal whose value compares at or above the minimum."""
    if not isinstance(value, Literal) or getattr(value, "ill_typed", None) is True:
        return False
    try:
        return bool(value.value >= minimum.value) and value.value is not None
    except TypeError:
        return False


def _instance_of(data: Data, node: str, rdf_class: str) -> bool:
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


def _datatype_ok(value: str, datatype: str) -> bool:
    """pyshacl's rule: the literal's datatype is the one asked for and rdflib reads it as well-formed
    (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    if value[0] != '"':
        return False
    found, language = literal_datatype(value)
    if language:
        return datatype == LANG_STRING
    if found is None:
        return datatype == STRING
    return found == datatype and _well_formed(lexical_form(value), datatype)


@lru_cache(maxsize=65536)
def _well_formed(lexical: str, datatype: str) -> bool:
    literal = Literal(lexical, datatype=URIRef(datatype), normalize=False)
    return getattr(literal, "ill_typed", None) is not True and _python_type_ok(literal, datatype)


def _python_type_ok(value: Literal, datatype: str) -> bool:
    import datetime
    from decimal import Decimal
    expected = {XSD.string: (str, bytes), XSD.integer: (int,), XSD.float: (float,), XSD.decimal: (Decimal,),
                XSD.boolean: (bool,), XSD.date: (datetime.date,), XSD.time: (datetime.time,),
                XSD.dateTime: (datetime.datetime,)}.get(URIRef(datatype))
    return expected is None or isinstance(value.value, expected)
