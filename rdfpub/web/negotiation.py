"""Content negotiation: one pure function over Accept headers (RFC 9110, section 12.5.1) and the media-type tables."""

from __future__ import annotations

from functools import lru_cache

# SPARQL results of SELECT and ASK, first is the default.
RESULTS_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
# RDF graphs (CONSTRUCT, DESCRIBE, documents), first is the default.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/n-quads": "nq",
    "application/trig": "trig",
}
# Looser names clients send for the same formats.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header; malformed q counts as 1."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    entries = []
    for position, part in enumerate(header.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 1.0
        entries.append((media, quality, position))
    return entries


def _specificity(media_range: str, offered: str) -> int | None:
    """How precisely `media_range` names `offered` (2 exact, 1 type/*, 0 */*), or None."""
    if media_range == offered:
        return 2
    if media_range == "*/*":
        return 0
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offered.startswith(kind + "/"):
        return 1
    return None


def negotiate(header: str | None, offered: list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    Each offered type takes the q of the most specific range that names it; ties go to the
    client's order, then to the server's order (so the first offered type is the default).
    """
    if aliases is None:
        return _negotiate_usual(header, tuple(offered))
    return _choose(header, offered, aliases)


# Clients send the same few Accept headers over and over; each request asks up to three times.
@lru_cache(maxsize=512)
def _negotiate_usual(header: str | None, offered: tuple[str, ...]) -> str | None:
    return _choose(header, offered, ALIASES)


def _choose(header: str | None, offered, aliases: dict[str, str]) -> str | None:
    entries = [(aliases.get(media, media), q, pos) for media, q, pos in parse_accept(header)]
    best: tuple[float, int, int, int] | None = None
    choice = None
    for rank, media_type in enumerate(offered):
        matches = [(spec, q, pos) for media, q, pos in entries
                   if (spec := _specificity(media, media_type)) is not None]
        if not matches:
            continue
        spec, quality, position = max(matches, key=lambda m: (m[0], -m[2]))
        if quality <= 0:
            continue
        key = (quality, spec, -position, -rank)
        if best is None or key > best:
            best, choice = key, media_type
    return choice
