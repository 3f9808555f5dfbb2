"""A record's N-Triples lines read for the fast checker: split into terms kept as N-Triples text
(literals in one canonical form), and made into rdflib terms cheaply when needed.

rdflib makes a literal by converting its text to a Python value at once (10 to 20 us each); the
checker needs that value for a few literals only (a datatype or a minimum to check), so these
literals convert on first use, with rdflib's own rules, and so give the same answers as the
literals pyshacl reads from the same text. IRIs are made without rdflib's check: they come from
N-Triples, which already holds only valid ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import BNode, Literal, URIRef

from rdfpub.mapping.terms import iri, plain

_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class LazyLiteral(Literal):
    """An rdflib Literal whose Python value is worked out when first asked for."""

    __slots__ = ()

    def _settle(self) -> None:
        full = Literal(str(self), lang=self._language, datatype=self._datatype, normalize=False)
        object.__setattr__(self, "_value", full.value)
        object.__setattr__(self, "_ill_typed", full.ill_typed)

    value = property(lambda self: self._slot("_value"))
    ill_typed = property(lambda self: self._slot("_ill_typed"))

    def _slot(self, name: str):
        """Literal's own slot `name`, filled on first use."""
        slot = Literal.__dict__[name]
        try:
            return slot.__get__(self)
        except AttributeError:
            self._settle()
            return slot.__get__(self)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                         else _ECHARS.get(m.group(3), m.group(3)), text)


def _literal(lexical: str, language: str | None, datatype: URIRef | None) -> LazyLiteral:
    literal = str.__new__(LazyLiteral, lexical)
    object.__setattr__(literal, "_language", language)
    object.__setattr__(literal, "_datatype", datatype)
    return literal


def term(text: str, iris: dict[str, URIRef]):
    """One N-Triples term ('<...>', '_:b', '"..."', '"..."^^<...>', '"..."@en') as an rdflib term;
    `iris` caches the IRIs already made."""
    first = text[0]
    if first == "<":
        found = iris.get(text)
        if found is None:
            found = iris[text] = iri(text[1:-1])
        return found
    if first == "_":
        return BNode(text[2:])
    end = text.rindex('"')
    lexical, rest = _unescape(text[1:end]), text[end + 1:]
    if rest.startswith("^^"):
        return _literal(lexical, None, term(rest[2:], iris))
    if rest.startswith("@"):
        return _literal(lexical, rest[1:], None)
    return _literal(lexical, None, None)


def lexical_form(literal: str) -> str:
    """The lexical form of a literal given in N-Triples ('"a\\"b"@en' -> 'a"b')."""
    return _unescape(literal[1:literal.rindex('"')])


def literal_datatype(literal: str) -> tuple[str | None, str | None]:
    """(datatype IRI, language) of a literal given in N-Triples; (None, None) for a plain one."""
    rest = literal[literal.rindex('"') + 1:]
    if rest.startswith("^^<"):
        return rest[3:-1], None
    if rest.startswith("@"):
        return None, rest[1:]
    return None, None


def canonical(literal: str) -> str:
    """A literal's N-Triples text with its string escaped the one way rdfpub writes it, so that equal
    literals are equal strings whoever wrote them."""
    if "\\" not in literal:
        return literal
    end = literal.rindex('"')
    return plain(_unescape(literal[1:end])) + literal[end + 1:]


def read_terms(text: str) -> Iterator[tuple[str, str, str]]:
    """The three terms of each N-Triples line ('<s> <p> o .') as N-Triples text, literals in
    canonical form; blank lines and comments skipped."""
    for line in text.split("\n"):
        if not line or line[0] == "#":
            continue
        parts = line.split(" ", 2)
        if len(parts) < 3 or parts[1][0] != "<" or parts[1][-1] != ">":
            parts = _spaced(line)  # terms apart by tabs or several spaces: rare, read the slow way
            if parts is None:
                continue
        subject, predicate, value = parts
        value = value[:-2] if value[-2:] == " ." else value.rstrip().removesuffix(".").rstrip()
        if value[0] == '"' and "\\" in value:
            value = canonical(value)
        yield subject, predicate, value


def _spaced(line: str) -> list[str] | None:
    line = line.strip()
    if not line or line[0] == "#":
        return None
    subject, rest = line.split(None, 1)
    predicate, value = rest.lstrip().split(None, 1)
    return [subject, predicate, value.strip()]
