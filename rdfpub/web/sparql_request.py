"""Reads a SPARQL 1.1 Protocol request (GET, POST form, POST direct) into one query, its dataset and its result formats."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from rdfpub.negotiation import GRAPH_TYPES, RESULTS_TYPES, negotiate

# Formats a client can name with ?format= when it cannot set an Accept header.
FORMAT_PARAMETER = {name: media for media, name in {**RESULTS_TYPES, **GRAPH_TYPES}.items()}


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
    format: str | None

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
    formats = [value for name, value in pairs if name == "format"]
    if len(formats) > 1:
        raise ProtocolError(400, "the request names more than one format; name one")
    if not queries:
        return None
    return QueryRequest(
        query=queries[0],
        default_graphs=[value for name, value in pairs if name == "default-graph-uri"],
        named_graphs=[value for name, value in pairs if name == "named-graph-uri"],
        format=formats[0] if formats else None,
    )


def choose_format(table: dict[str, str], accept: str | None, format_parameter: str | None,
                  kind: str) -> tuple[str, str] | str:
    """(media type, format name) for one kind of result, or the message that explains why none fits."""
    if format_parameter:
        media_type = FORMAT_PARAMETER.get(format_parameter, format_parameter)
        if media_type not in table:
            return (f"format '{format_parameter}' is not available for {kind}; "
                    f"use one of {', '.join(table.values())}")
        return media_type, table[media_type]
    media_type = negotiate(accept, list(table))
    if media_type is None:
        return f"none of the accepted types can carry {kind}; available: {', '.join(table)}"
    return media_type, table[media_type]


def result_formats(request: QueryRequest, accept: str | None) -> dict:
    """The job fields that say how to write each kind of result; refuses an unknown ?format= now."""
    if request.format and FORMAT_PARAMETER.get(request.format, request.format) not in {**RESULTS_TYPES, **GRAPH_TYPES}:
        raise ProtocolError(400, f"format '{request.format}' is unknown; use one of "
                                 f"{', '.join(FORMAT_PARAMETER)}")
    return {
        "results": choose_format(RESULTS_TYPES, accept, request.format, "SELECT and ASK results"),
        "graph": choose_format(GRAPH_TYPES, accept, request.format, "CONSTRUCT and DESCRIBE results"),
        "format_status": 400 if request.format else 406,
    }
