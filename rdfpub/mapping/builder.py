"""The graph a record is mapped into, with the small conveniences every mapping module shares."""

from __future__ import annotations

from contextlib import contextmanager

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from rdfpub.iris import Iris
from rdfpub.model import PartialDate
from rdfpub.vocab import PREFIXES

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
_TYPE = RDF.type


def as_graph(triples, vocab: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("rdfpub", vocab)
    for triple in triples:
        graph.add(triple)
    return graph


class GraphBuilder:
    """Collects one record's triples in a plain set (an rdflib Graph costs several times more per
    triple, and the hot path never needs one); skips empty values so no module writes a blank literal."""

    def __init__(self, iris: Iris):
        self.iris = iris
        self.triples: set[tuple[Node, URIRef, Node]] = set()
        # Articles a record only mentions are described once, by their first mention: two
        # references citing one PMID must not give it two DOIs.
        self.described: set[URIRef] = set()
        self.primary: URIRef | None = None  # the record's own article, once mapped
        # The triples every mention of a work states alike (article.work_identity): for the
        # record's own article too, they go to the shared graph, not the record's.
        self.identity: set[tuple[Node, URIRef, Node]] = set()
        self._recording = False

    def add(self, subject: Node, predicate: URIRef, value: Node | str | int | bool | None) -> None:
        """Adds a triple; a Python value becomes a literal, and None or '' adds nothing."""
        if value is None or value == "":
            return
        if not isinstance(value, Node):
            value = Literal(value)
        self._put((subject, predicate, value))

    def types(self, subject: Node, *classes: URIRef) -> None:
        for rdf_class in classes:
            self._put((subject, _TYPE, rdf_class))

    def _put(self, triple: tuple[Node, URIRef, Node]) -> None:
        self.triples.add(triple)
        if self._recording:
            self.identity.add(triple)

    @contextmanager
    def recording_identity(self):
        """Within the block, what is added is also noted as identity triples."""
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def to_graph(self) -> Graph:
        """The triples as an rdflib Graph with the project's prefixes bound."""
        return as_graph(self.triples, self.iris.vocab)

    def term(self, name: str) -> URIRef:
        """A term of the project vocabulary (a name it does not define raises)."""
        return URIRef(self.iris.term(name))

    @staticmethod
    def date(date: PartialDate) -> Literal:
        """A date literal typed by the precision the source really gives."""
        return Literal(date.isoformat(), datatype=_DATE_TYPES[date.precision])

    def add_date(self, subject: Node, predicate: URIRef, date: PartialDate | None) -> bool:
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

    @staticmethod
    def year(date: PartialDate) -> Literal:
        return Literal(f"{date.year:04d}", datatype=XSD.gYear)
