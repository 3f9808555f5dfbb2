"""The SHACL gate: checks a record's graph against shapes/*.ttl with pyshacl and reports problems readably."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from rdfpub.resources import shapes_dir
from rdfpub.validation.fast_checker import FastChecker
from rdfpub.validation.sparql_cache import remember_prepared_queries
from rdfpub.vocab import PREFIXES

# The shapes are written against these placeholder namespaces; loading binds them to the
# deployment's own, since the project vocabulary lives under the configured base IRI.
VOCAB_PLACEHOLDER = "urn:rdfpub:vocab#"
SHAPES_PLACEHOLDER = "urn:rdfpub:shapes#"


@dataclass(frozen=True)
class Problem:
    """One result of a validation report, in the words a person needs to fix the record."""

    severity: str
    shape: str
    focus: str
    path: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        value = f" = {self.value}" if self.value else ""
        return f"{self.severity} in {self.shape}: {where}{value}: {self.message}"


def _rebind(term: Node, vocab: str, shapes: str) -> Node:
    if isinstance(term, URIRef):
        if term.startswith(VOCAB_PLACEHOLDER):
            return URIRef(vocab + term[len(VOCAB_PLACEHOLDER):])
        if term.startswith(SHAPES_PLACEHOLDER):
            return URIRef(shapes + term[len(SHAPES_PLACEHOLDER):])
    if isinstance(term, Literal) and term.datatype == XSD.anyURI and str(term) == VOCAB_PLACEHOLDER:
        return Literal(vocab, datatype=XSD.anyURI)  # the rdfpub: prefix the SPARQL constraints declare
    return term


@lru_cache(maxsize=4)
def _fast_checker(vocab_namespace: str, shapes_namespace: str) -> FastChecker:
    return FastChecker(load_shapes(vocab_namespace, shapes_namespace))


@lru_cache(maxsize=4)
def load_shapes(vocab_namespace: str, shapes_namespace: str) -> Graph:
    """All shapes files in one graph, with the project's namespaces bound to this deployment's."""
    raw = Graph()
    for path in sorted(shapes_dir().glob("*.ttl")):
        raw.parse(path, format="turtle")
    shapes = Graph()
    for triple in raw:
        shapes.add(tuple(_rebind(term, vocab_namespace, shapes_namespace) for term in triple))
    return shapes


ENGINES = ("fast", "pyshacl")


def _in_order(problems) -> list[Problem]:
    """Without repeats, violations first, then by shape, focus, path, value and message."""
    return sorted(set(problems), key=lambda p: (p.severity != "Violation", p.shape, p.focus, p.path, p.value,
                                                p.message))


class Validator:
    """Validates record graphs against the shapes of one deployment, with the fast checker (the
    default) or with pyshacl, the reference the fast checker is tested against."""

    def __init__(self, vocab_namespace: str, shapes_namespace: str, engine: str = "fast"):
        if engine not in ENGINES:
            raise ValueError(f"unknown validation engine '{engine}': use one of {', '.join(ENGINES)}")
        self.engine = engine
        self.shapes = load_shapes(vocab_namespace, shapes_namespace)
        self._names = dict(PREFIXES, rdfpub=vocab_namespace, shapes=shapes_namespace)
        if engine == "fast":
            self._fast = _fast_checker(vocab_namespace, shapes_namespace)
        else:
            remember_prepared_queries()

    def problems(self, data: Graph | None = None, ntriples: str | None = None) -> list[Problem]:
        """Every violation and warning the shapes find (an empty list: conformant) in a record given
        as N-Triples text, `ntriples` (as the pipeline has it), or as `data`, an rdflib Graph."""
        if self.engine == "fast":
            text = ntriples if ntriples is not None else data.serialize(format="nt")
            return self._from_fast(self._fast.check(text))
        if data is None:
            data = Graph().parse(data=ntriples, format="nt")
        # With allow_warnings, a report of warnings alone still "conforms": read the report itself.
        _, report, _ = pyshacl_validate(
            data, shacl_graph=self.shapes, inference="none", advanced=False, allow_warnings=True)
        return _in_order(self._problem(report, result) for result in report.subjects(SH.resultSeverity, None))

    def problems_of_batch(self, texts: list[str]) -> list[list[Problem]]:
        """The problems of each record of a batch given as N-Triples texts: what problems() says of
        each, found faster together (the fast checker runs some checks once for the whole batch)."""
        if self.engine != "fast":
            return [self.problems(ntriples=text) for text in texts]
        return [self._from_fast(found) for found in self._fast.check_batch(texts)]

    def _from_fast(self, found: list[tuple]) -> list[Problem]:
        return _in_order(Problem(severity, shape, self._short(focus), self._path(path), self._short(value),
                                 message or "does not conform")
                         for severity, shape, focus, path, value, message in found)

    def report_graph(self, data: Graph) -> Graph:
        """pyshacl's own sh:ValidationReport for `data` (the reference engine's words, for machines)."""
        _, report, _ = pyshacl_validate(data, shacl_graph=self.shapes, inference="none", advanced=False,
                                        allow_warnings=True)
        return report

    def _path(self, path) -> str:
        if isinstance(path, tuple):
            return "^" + self._short(path[1])
        return self._short(path)

    def _problem(self, report: Graph, result: Node) -> Problem:
        def one(predicate: URIRef) -> Node | None:
            return report.value(result, predicate)

        shape = one(SH.sourceShape)
        # A property shape is a blank node: name it by the node shape that holds it.
        if shape is not None and not isinstance(shape, URIRef):
            shape = self.shapes.value(None, SH.property, shape) or shape
        path = one(SH.resultPath)
        inverse = report.value(path, SH.inversePath) if path is not None and not isinstance(path, URIRef) else None
        return Problem(
            severity=self._short(one(SH.resultSeverity)).split(":")[-1],
            shape=self._short(shape).split(":")[-1] if shape is not None else "",
            focus=self._short(one(SH.focusNode)),
            path=("^" + self._short(inverse)) if inverse is not None else self._short(path),
            value=self._short(one(SH.value)),
            message=str(one(SH.resultMessage) or "does not conform"),
        )

    def _short(self, term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal):
            return f'"{term}"'
        text = str(term)
        for prefix, namespace in self._names.items():
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>" if isinstance(term, URIRef) else text

    def violations(self, data: Graph | None = None, ntriples: str | None = None) -> list[Problem]:
        """Only the problems that block publication."""
        return [problem for problem in self.problems(data, ntriples) if problem.severity == "Violation"]
