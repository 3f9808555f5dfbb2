"""The formats a document is served in: media types, URL extensions, negotiation and serialisation of triples."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
from rdflib import Graph

from rdfpub.store.rdf_terms import to_oxigraph
from rdfpub.web.negotiation import negotiate

# extension -> (media type, pyoxigraph format or None for HTML). The first RDF type is the default
# for clients that accept anything (curl, */*); browsers name text/html explicitly and get HTML.
FORMATS: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "html": ("text/html", None),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
MEDIA_TYPES = {media: extension for extension, (media, _) in FORMATS.items()}
CHARSET = {"text/turtle", "text/html", "application/n-triples"}
# Other names clients send for the same formats.
ALIASES = {
    "application/xhtml+xml": "text/html",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}


def choose(accept: str | None) -> str | None:
    """The extension of the format the client prefers, or None when it accepts none of them."""
    media_type = negotiate(accept, [media for media, _ in FORMATS.values()], ALIASES)
    return MEDIA_TYPES.get(media_type) if media_type else None


def content_type(extension: str) -> str:
    media = FORMATS[extension][0]
    return f"{media}; charset=utf-8" if media in CHARSET else media


def from_rdflib(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]


def serialize(triples: list[ox.Triple], extension: str, prefixes: dict[str, str]) -> bytes:
    """The triples in one RDF format; Turtle and RDF/XML with the project's prefixes. Sorted, so
    that every front writes the same bytes for the same triples (their order comes from sets)."""
    triples = sorted(triples, key=str)
    rdf_format = FORMATS[extension][1]
    if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD):
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def empty_document(extension: str, message: str) -> bytes:
    """A body for an error in an RDF format: an empty graph that still parses, saying what went wrong."""
    line = " ".join(message.split())
    if extension in ("ttl", "nt"):
        return f"# {line}\n".encode()
    if extension == "jsonld":
        return json.dumps({"@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}, "@graph": [],
                           "rdfs:comment": line}).encode()
    # An XML comment may hold no "--" and may not end with "-" (XML 1.0, production 15): every dash
    # followed by another gets a space after it, so "--->" becomes "- - ->".
    escaped = re.sub("-(?=-)", "- ", line).replace("&", "&amp;").replace("<", "&lt;")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<!-- {escaped} -->\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n').encode()
