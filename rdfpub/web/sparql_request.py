"""Reads a SPARQL 1.1 Protocol request (GET, POST form, POST direct) into one query, its dataset and its result formats."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from rdfpub.web.negotiation import ALIASES, GRAPH_TYPES, RESULTS_TYPES, negotiate

# Names a client may give a format by in ?format= (or ?output=, ?results=, which some clients send
# instead or as well), beside the media types themselves. A name means a results format for SELECT
# and ASK and a graph format for CONSTRUCT and DESCRIBE; "xml" and "json" mean one of each, as
# SPARQLWrapper and Virtuoso use them (SPARQLWrapper's default "xml" asks RDF/XML of a CONSTRUCT).
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srj": ("application/sparql-results+json", None),
    "srx": ("application/sparql-results+xml", None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"), "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"), "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"), "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"), "rdf+xml": (None, "application/rdf+xml"),
    "rdf": (None, "application/rdf+xml"),
    "nq": (None, "application/n-quads"), "nquads": (None, "application/n-quads"),
    "n-quads": (None, "application/n-quads"), "trig": (None, "application/trig"),
}
# The parameters that name a format: rdfpub's own, and those other servers read (Joseki, 4store).
FORMAT_PARAMETERS = ("format", "output", "results")


def format_choices(value: str) -> tuple[str | None, str | None] | None:
    """(results media type, graph media type) a ?format= value names, either None where it names
    no format of that kind; None when the value names no format at all. A list of media types (as
    SPARQLWrapper copies its Accept header here) names the first of each kind it holds."""
    if "," in value:
        found = [choice for part in value.split(",") if (choice := format_choices(part))]
        if not found:
            return None
        return (next((r for r, _ in found if r), None), next((g for _, g in found if g), None))
    value = value.split(";")[0].strip().lower()
    if value in FORMAT_NAMES:
        return FORMAT_NAMES[value]
    media_type = ALIASES.get(value, value)
    if media_type in RESULTS_TYPES or media_type in GRAPH_TYPES:
        return (media_type if media_type in RESULTS_TYPES else None,
                media_type if media_type in GRAPH_TYPES else None)
    # application/json and application/xml also name the graph format of their kind.
    if value in ("application/json", "text/json"):
        return FORMAT_NAMES["json"]
    if value in ("application/xml", "text/xml"):
        return FORMAT_NAMES["xml"]
    return None


class ProtocolError(Exception):
    """A request the SPARQL 1.1 Protocol says to refuse, with the HTTP status to refuse it with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    formats: tuple[str, ...] = ()  # the values of ?format=, ?output= and ?results=, in order

    @property
    def names_dataset(self) -> bool:
        """True when the request itself gives the dataset (protocol section 2.1.4)."""
        return bool(self.default_graphs or self.named_graphs)


def read_only() -> ProtocolError:
    return ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted, on any route")


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("ascii", errors="strict"), keep_blank_values=True,
                         encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {where} is not valid percent-encoded UTF-8") from None


# The longest query the guard accepts, percent-encoded at three bytes a byte and four UTF-8 bytes a
# character, with room for the dataset parameters: a body past this is refused before it is read.
MAX_BODY_BYTES = 1_200_000 + 12 * 100_000


async def _bounded_body(request: Request) -> bytes:
    """The request body, read only while it stays under MAX_BODY_BYTES (413 past it), so a
    huge POST costs the server at most that much memory."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ProtocolError(413, f"the request body is {int(declared):,} bytes; the limit is {MAX_BODY_BYTES:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ProtocolError(413, f"the request body is over the limit of {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_query_request(request: Request) -> QueryRequest | None:
    """The query and its dataset from a GET, a POST form or a POST with the query as body
    (SPARQL 1.1 Protocol, section 2.1); None when the request carries no query at all."""
    pairs = _decode_pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "application/sparql-update":
            raise read_only()
        if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise ProtocolError(415, f"POST a query as application/x-www-form-urlencoded or "
                                     f"application/sparql-query, not '{media_type or 'no content type'}'")
        body = await _bounded_body(request)
        if media_type == "application/x-www-form-urlencoded":
            pairs += _decode_pairs(body, "form body")
        elif media_type == "application/sparql-query":
            if any(name == "query" for name, _ in pairs):
                raise ProtocolError(400, "a query was sent both as the body and as ?query=; send one")
            try:
                pairs.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query body is not valid UTF-8") from None
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in pairs):
        raise read_only()
    queries = [value for name, value in pairs if name == "query"]
    if len(queries) > 1:
        raise ProtocolError(400, "the request holds more than one query; send exactly one")
    formats = tuple(value for name, value in pairs if name in FORMAT_PARAMETERS and value.strip())
    if not queries:
        return None
    return QueryRequest(
        query=queries[0],
        default_graphs=[value for name, value in pairs if name == "default-graph-uri"],
        named_graphs=[value for name, value in pairs if name == "named-graph-uri"],
        formats=formats,
    )


def choose_format(table: dict[str, str], accept: str | None, named: list[str], kind: str) -> tuple[str, str] | str:
    """(media type, format name) for one kind of result, or the message that explains why none fits.
    The first format named in the request that can carry this kind wins; without one, Accept decides."""
    if named:
        return named[0], table[named[0]]
    media_type = negotiate(accept, list(table))
    if media_type is None:
        return f"none of the accepted types can carry {kind}; available: {', '.join(table)}"
    return media_type, table[media_type]


def result_formats(request: QueryRequest, accept: str | None) -> dict:
    """The job fields that say how to write each kind of result. Clients name formats loosely and
    often several times over (SPARQLWrapper sends format=, output= and results=, a name and a media
    type, and asks "xml" of a CONSTRUCT), so each value counts for the kinds of result it can name,
    and only a value that names no format at all is refused."""
    results, graphs = [], []
    for value in request.formats:
        choices = format_choices(value)
        if choices is None:
            raise ProtocolError(400, f"format '{value[:100]}' is unknown; use one of {', '.join(FORMAT_NAMES)} "
                                     "or a media type")
        if choices[0]:
            results.append(choices[0])
        if choices[1]:
            graphs.append(choices[1])
    return {
        "results": choose_format(RESULTS_TYPES, accept, results, "SELECT and ASK results"),
        "graph": choose_format(GRAPH_TYPES, accept, graphs, "CONSTRUCT and DESCRIBE results"),
        "format_status": 406,
    }
