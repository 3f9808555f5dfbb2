"""The SPARQL 1.1 Protocol query endpoint at /sparql: read-only, negotiated, run off the event loop."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from rdfpub.errors import QueryRejected
from rdfpub.negotiation import GRAPH_TYPES, RESULTS_TYPES, negotiate
from rdfpub.web.query_guard import check_query

router = APIRouter()

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}
# Formats a client can name with ?format= when it cannot set an Accept header.
_FORMAT_PARAMETER = {name: media for media, name in {**RESULTS_TYPES, **GRAPH_TYPES}.items()}


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


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("ascii", errors="strict"), keep_blank_values=True,
                         encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {where} is not valid percent-encoded UTF-8") from None


async def read_query_request(request: Request) -> QueryRequest | None:
    """The query and its dataset from a GET, a POST form or a POST with the query as body
    (SPARQL 1.1 Protocol, section 2.1); None when the request carries no query at all."""
    pairs = _decode_pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if media_type == "application/x-www-form-urlencoded":
            pairs += _decode_pairs(body, "form body")
        elif media_type == "application/sparql-query":
            if any(name == "query" for name, _ in pairs):
                raise ProtocolError(400, "a query was sent both as the body and as ?query=; send one")
            try:
                pairs.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query body is not valid UTF-8") from None
        elif media_type == "application/sparql-update":
            raise _read_only()
        else:
            raise ProtocolError(415, f"POST a query as application/x-www-form-urlencoded or "
                                     f"application/sparql-query, not '{media_type or 'no content type'}'")
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in pairs):
        raise _read_only()
    queries = [value for name, value in pairs if name == "query"]
    if len(queries) > 1:
        raise ProtocolError(400, "the request holds more than one query; send exactly one")
    formats = [value for name, value in pairs if name == "format"]
    if not queries:
        return None
    return QueryRequest(
        query=queries[0],
        default_graphs=[value for name, value in pairs if name == "default-graph-uri"],
        named_graphs=[value for name, value in pairs if name == "named-graph-uri"],
        format=formats[0] if formats else None,
    )


def _read_only() -> ProtocolError:
    return ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")


def _execute(store, request: QueryRequest):
    try:
        return store.query(request.query, request.default_graphs, request.named_graphs)
    except SyntaxError as error:
        raise ProtocolError(400, f"the query is not valid SPARQL 1.1: {error}") from None
    except ValueError as error:  # e.g. a default-graph-uri that is not an IRI
        raise ProtocolError(400, f"the request is not valid: {error}") from None


def _choose_format(is_graph: bool, accept: str | None, format_parameter: str | None):
    """The media type and pyoxigraph format for the result, from ?format= or the Accept header."""
    table, formats = (GRAPH_TYPES, _GRAPH_FORMATS) if is_graph else (RESULTS_TYPES, _RESULTS_FORMATS)
    if format_parameter:
        media_type = _FORMAT_PARAMETER.get(format_parameter, format_parameter)
        if media_type not in table:
            raise ProtocolError(400, f"format '{format_parameter}' is not available for this query; "
                                     f"use one of {', '.join(table.values())}")
    else:
        media_type = negotiate(accept, list(table))
        if media_type is None:
            raise ProtocolError(406, f"none of the accepted types can carry this result; "
                                     f"available: {', '.join(table)}")
    return media_type, formats[table[media_type]]


def _run(store, request: QueryRequest, accept: str | None) -> tuple[bytes, str]:
    """Runs and serialises a query on the calling thread.

    pyoxigraph's result iterators must be used and dropped on the thread that made them, so
    nothing here lets the result outlive this call, not even inside an exception's traceback.
    """
    result = _execute(store, request)
    is_graph = isinstance(result, ox.QueryTriples)
    try:
        media_type, rdf_format = _choose_format(is_graph, accept, request.format)
    except ProtocolError:
        del result
        raise
    failure = None
    try:
        body = result.serialize(format=rdf_format)
    except OSError as error:  # evaluation is lazy: engine errors surface while serialising
        failure = f"the query failed while running: {error}"
    del result
    if failure:
        raise ProtocolError(500, failure)
    return body, media_type


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"])
async def sparql(request: Request) -> Response:
    try:
        query_request = await read_query_request(request)
        if query_request is None:
            raise ProtocolError(400, "no query: send one as ?query=..., as a form field, or as an "
                                     "application/sparql-query body")
        try:
            check_query(query_request.query)
        except QueryRejected as error:
            raise ProtocolError(400, str(error)) from None
        body, media_type = await run_in_threadpool(
            _run, request.app.state.store, query_request, request.headers.get("accept"))
    except ProtocolError as error:
        return PlainTextResponse(str(error) + "\n", status_code=error.status, headers=error.headers)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
