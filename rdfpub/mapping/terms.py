"""RDF terms written straight as N-Triples text: the mapping builds a record's lines without making an
rdflib term per value, which cost more than all the rest of the mapping (18 us for an integer
literal, 8 us for a string one, 2.4 us for an IRI checked on creation).

An IRI is an rdflib URIRef (a str) made without rdflib's check, since every IRI the mapping
makes comes from rdfpub/iris.py, which percent-encodes what an IRI cannot hold; a literal is a
Term, a str that is already its N-Triples form.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_INTEGER, _BOOLEAN = f"<{XSD.integer}>", f"<{XSD.boolean}>"


class Term(str):
    """An object term in N-Triples form: '"text"', '"2019-01"^^<...gYearMonth>', '"Titre"@fr'."""

    __slots__ = ()


def iri(value: str) -> URIRef:
    """An IRI the mapping made (from rdfpub/iris.py or a link-out template), without rdflib's check."""
    return str.__new__(URIRef, value)


def plain(text: str) -> Term:
    return Term(f'"{text.translate(_ESCAPES)}"')


def typed(lexical: str, datatype: str) -> Term:
    return Term(f'"{lexical.translate(_ESCAPES)}"^^<{datatype}>')


def tagged(text: str, language: str | None) -> Term:
    """A language-tagged literal; a plain one when the language is unknown."""
    if not language:
        return plain(text)
    return Term(f'"{text.translate(_ESCAPES)}"@{language}')


def integer(number: int) -> Term:
    return Term(f'"{number}"^^{_INTEGER}')


def boolean(value: bool) -> Term:
    return Term(f'"{"true" if value else "false"}"^^{_BOOLEAN}')


def object_term(value) -> str:
    """The N-Triples form of a value the mapping states: an IRI, a Term, or a Python str, bool or int."""
    if isinstance(value, Term):
        return value
    if isinstance(value, URIRef):
        return f"<{value}>"  # not "<" + value: URIRef.__radd__ would make a URIRef
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, int):
        return integer(value)
    raise TypeError(f"not a value the mapping writes: {value!r}")
