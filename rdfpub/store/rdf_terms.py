"""RDF terms and graphs between rdflib (the mapping's model) and pyoxigraph (the stores'), and N-Triples and
serialised chunks as the stores write them."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


# Formats of the whole-dataset dump: name -> (pyoxigraph format, keeps the record graphs).
DUMP_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "nq": (ox.RdfFormat.N_QUADS, True),
}


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term of the same value."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def serialize_chunk(items: list, rdf_format: ox.RdfFormat, prefixes: dict[str, str] | None) -> bytes:
    """Quads or triples serialised, without the @prefix lines the dump has said once already."""
    chunk = ox.serialize(items, format=rdf_format, prefixes=prefixes)
    start = 0
    while chunk.startswith(b"@prefix ", start):
        start = chunk.index(b"\n", start) + 1
    return chunk[start:]


def to_ntriples(graph: Graph) -> str:
    """A graph's triples as N-Triples lines (pyoxigraph's own escaping, which its parser reads back)."""
    return "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in graph)
