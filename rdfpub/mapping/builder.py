"""The lines a record is mapped into (N-Triples, one triple each), with the small conveniences every
mapping module shares."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, XSD

from rdfpub.iris import Iris, vocabulary_term
from rdfpub.mapping.terms import Term, iri, object_term, typed
from rdfpub.model import PartialDate
from rdfpub.vocab import PREFIXES

_DATE_TYPES = {"day": str(XSD.date), "month": str(XSD.gYearMonth), "year": str(XSD.gYear)}
_TYPE = f"<{RDF.type}> "


@lru_cache(maxsize=None)
def _vocabulary_term(vocab: str, name: str) -> URIRef:
    return iri(vocabulary_term(vocab, name))


def as_graph(lines, vocab: str) -> Graph:
    """The lines as an rdflib Graph with the project's prefixes bound (for pyshacl, and for tests)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("rdfpub", vocab)
    graph.parse(data="\n".join(lines), format="nt")
    return graph


class GraphBuilder:
    """Collects one record's triples as N-Triples lines in a set (so a triple stated twice is one
    line); skips empty values so no module writes a blank literal."""

    def __init__(self, iris: Iris):
        self.iris = iris
        self.lines: set[str] = set()
        # Articles a record only mentions are described once, by their first mention: two
        # references citing one PMID must not give it two DOIs.
        self.described: set[str] = set()
        self.primary: URIRef | None = None  # the record's own article, once mapped
        # The lines every mention of a work states alike (article.work_identity): for the
        # record's own article too, they go to the shared graph, not the record's.
        self.identity: set[str] = set()
        self._recording = False
        self._predicates: dict[str, str] = {}

    def add(self, subject: URIRef, predicate: URIRef, value) -> None:
        """Adds a triple; a Python value becomes a literal, and None or '' adds nothing."""
        if value is None or value == "":
            return
        start = self._predicates.get(predicate)
        if start is None:
            start = self._predicates[predicate] = f"<{predicate}> "
        self._put(f"<{subject}> {start}{object_term(value)} .")

    def types(self, subject: URIRef, *classes: URIRef) -> None:
        for rdf_class in classes:
            self._put(f"<{subject}> {_TYPE}<{rdf_class}> .")

    def _put(self, line: str) -> None:
        self.lines.add(line)
        if self._recording:
            self.identity.add(line)

    @contextmanager
    def recording_identity(self):
        """Within the block, what is added is also noted as identity lines."""
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def term(self, name: str) -> URIRef:
        """A term of the project vocabulary (a name it does not define raises)."""
        return _vocabulary_term(self.iris.vocab, name)

    @staticmethod
    def date(date: PartialDate) -> Term:
        """A date literal typed by the precision the source really gives."""
        return typed(date.isoformat(), _DATE_TYPES[date.precision])

    @staticmethod
    def year(date: PartialDate) -> Term:
        return typed(f"{date.year:04d}", _DATE_TYPES["year"])

    def add_date(self, subject: URIRef, predicate: URIRef, date: PartialDate | None) -> bool:
        """The date as a typed literal; a date the source gives that is no calendar date (month 13,
        30 February) as written instead, under rdfpub:invalidDate, which the shapes refuse.
        True when a valid date was written."""
        if date is None:
            return False
        if not date.valid:
            name = str(predicate).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            self.add(subject, self.term("invalidDate"), f"{date.text} ({name})")
            return False
        self.add(subject, predicate, self.date(date))
        return True
