"""What a SPARQL server answers a query: asked for by the query's form, read back whole and in standard terms.

A SPARQL 1.1 Protocol client names in Accept the media types it reads; a server should pick the
one that fits the query's form. Virtuoso picks the first type of the list that it can write,
whatever the form: asked for SPARQL JSON before N-Triples, it answers a CONSTRUCT with a table of
?s ?p ?o. It also answers every ASK with a table of one variable, `__ASK_RETVAL`, holding 1 in a
single row for true and no row for false, where SPARQL 1.1 Query Results JSON Format (section 3.2)
has a boolean. So the client below finds each query's form, asks for that form's media type only,
and reads such a table back as the boolean it stands for.

Virtuoso also cuts long answers (saying so only in a header of its own) and writes some literals in
other lexical forms than Oxigraph does (1 for true, more digits of a second): AnswerCut and
canonical() let the remote store notice the one and undo the other.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pyoxigraph as ox

from rdfpub.errors import StoreError
from rdfpub.sparql.lexer import first_keyword

# What a query may answer when its form is unknown: results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
# SELECT answers in XML: Virtuoso writes it almost four times faster than JSON (0.8 s against 2.9 s
# for 38,000 rows; Oxigraph writes either in 0.25 s, pyoxigraph reads either in 0.4 s), and with
# xsd:boolean values true and false, where its JSON has 1 and 0. ASK answers in JSON, read below.
ACCEPT_BY_FORM = {"SELECT": "application/sparql-results+xml", "ASK": "application/sparql-results+json",
                  "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}
FORM_TYPE = "application/x-www-form-urlencoded"
# Virtuoso sends only the first rows of a SELECT answer past its ResultSetMaxRows (10,000 in its stock
# configuration) and says so in this header of its own: the SPARQL 1.1 Protocol has no way to.
CUT_HEADER = "x-sparql-maxrows"

class AnswerCut(StoreError):
    """The server sent only the first rows of an answer."""


def canonical(quads) -> list[ox.Quad]:
    """The quads with each literal in the lexical form the embedded store gives it (Oxigraph keeps an
    xsd value, not its text: Virtuoso's "1"^^xsd:boolean comes out "true"), in their N-Quads order."""
    store = ox.Store()
    store.extend(quads)
    return sorted(store, key=str)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None for what does not open like a query."""
    keyword = first_keyword(sparql)
    return keyword if keyword in ACCEPT_BY_FORM else None


def _query_of(request: httpx.Request) -> str | None:
    """The query a protocol request carries: in its form body (POST) or its URL (GET)."""
    if request.method == "GET":
        return request.url.params.get("query")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        return None
    try:
        body = request.content
    except httpx.RequestNotRead:  # a streamed body: not one of rdfpub's forms
        return None
    values = parse_qs(body.decode("ascii", "replace")).get("query")
    return values[0] if values else None


def boolean_from_table(data: bytes) -> bytes | None:
    """A SPARQL JSON answer to an ASK written as a table (Virtuoso), as the boolean document it stands
    for; None when `data` is a boolean document already or not JSON at all."""
    try:
        document = json.loads(data)
        if "boolean" in document:
            return None
        rows = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return None
    true = any(str(cell.get("value")) not in ("0", "false") for row in rows for cell in row.values())
    return json.dumps({"head": {}, "boolean": true}).encode()


class FormAwareTransport(httpx.BaseTransport):
    """Sends each query asking for its form's media type (when the caller left the Accept of an
    unknown form), and turns an ASK answered as a table into the boolean it stands for."""

    def __init__(self, inner: httpx.BaseTransport | None = None):
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        query = _query_of(request)
        form = query_form(query) if query is not None else None
        if form and request.headers.get("accept") == ACCEPT:
            request.headers["Accept"] = ACCEPT_BY_FORM[form]
        response = self._inner.handle_request(request)
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if form != "ASK" or response.status_code != 200 or "json" not in media_type:
            return response
        try:
            data = response.read()
        finally:
            response.close()
        boolean = boolean_from_table(data)
        # The body is decoded now: the headers that described its encoding on the wire go.
        headers = [(name, value) for name, value in response.headers.multi_items()
                   if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(200, headers=headers, content=data if boolean is None else boolean)

    def close(self) -> None:
        self._inner.close()


RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                 "text/turtle": ox.RdfFormat.TURTLE}


class RemoteTriples:
    """A CONSTRUCT or DESCRIBE answer, iterable as pyoxigraph triples like a local QueryTriples."""

    def __init__(self, data: bytes, rdf_format: ox.RdfFormat):
        self._triples = [quad.triple for quad in ox.parse(data, format=rdf_format)]

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def serialize(self, output=None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES):
        return ox.serialize(self._triples, output, format=format)


def parse_answer(content_type: str, data) -> object:
    """The answer of a SPARQL server as the objects pyoxigraph's own queries return."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in RESULTS_FORMATS:
        return ox.parse_query_results(data, format=RESULTS_FORMATS[media_type])
    if media_type in GRAPH_FORMATS:
        return RemoteTriples(data if isinstance(data, bytes) else data.read(), GRAPH_FORMATS[media_type])
    raise StoreError(f"the store answered a query with {media_type or 'no media type'}, "
                     "which is not a SPARQL results or N-Triples document")
