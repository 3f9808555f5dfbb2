"""A record's triples as N-Triples terms in two indexes, the form the fast checker reads them in."""

from __future__ import annotations

from rdflib import URIRef

from rdfpub.validation.record_lines import read_terms, term


class Data:
    """A record's triples as N-Triples terms in two dictionaries (subject -> predicate -> objects,
    predicate -> object -> subjects), each object or subject set a dict without repeats."""

    def __init__(self, ntriples: str):
        self.text = ntriples
        # A record with \\u escapes may write an IRI in a form the text search below would miss.
        self.escaped = "\\u" in ntriples or "\\U" in ntriples
        # Oxigraph renames blank nodes as it loads them: a record with some is checked on its own.
        self.blank = "_:" in ntriples
        out: dict[str, dict[str, dict[str, None]]] = {}
        back: dict[str, dict[str, dict[str, None]]] = {}
        # Written out rather than with setdefault (which makes a dict per call): this runs for every
        # triple of every record checked.
        for s, p, o in read_terms(ntriples):
            by_predicate = out.get(s)
            if by_predicate is None:
                by_predicate = out[s] = {}
            objects = by_predicate.get(p)
            if objects is None:
                by_predicate[p] = {o: None}
            else:
                objects[o] = None
            by_object = back.get(p)
            if by_object is None:
                by_object = back[p] = {}
            subjects = by_object.get(o)
            if subjects is None:
                by_object[o] = {s: None}
            else:
                subjects[s] = None
        self.out, self.back = out, back
        self._terms: dict[str, URIRef] = {}
        self._iris: set[str] | None = None

    def objects(self, subject: str, predicate: str):
        return self.out.get(subject, {}).get(predicate, ())

    def subjects(self, predicate: str, value: str):
        return self.back.get(predicate, {}).get(value, ())

    def holds_iri(self, iri: str) -> bool:
        if self._iris is None:
            self._iris = set(self.out).union(self.back, *(o for o in self.back.values()))
        return iri in self._iris

    def ntriples(self, predicates=None, graph: str = "") -> str:
        """The record's triples of these predicates (all: None), as N-Triples, or as N-Quads in `graph`."""
        end = f" {graph} ." if graph else " ."
        return "\n".join(f"{s} {p} {o}{end}" for p in (self.back if predicates is None else predicates)
                         for o, subjects in self.back.get(p, {}).items() for s in subjects)

    def rdflib(self, text: str | None):
        """The rdflib term of an N-Triples term (for reports and value comparisons)."""
        return None if text is None else term(text, self._terms)
