"""The SPARQL 1.1 Protocol query endpoint at /sparql: read-only, negotiated, run in worker processes with a deadline."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from rdfpub.errors import QueryRejected, QueryTooLarge
from rdfpub.sparql.guard import check_query, has_dataset_clause, is_update
from rdfpub.web import catalogs, service_description
from rdfpub.web.deadlines import app_work
from rdfpub.web.negotiation import RESULTS_TYPES, negotiate
from rdfpub.web.query_workers import QueryFailed, QueryPool
from rdfpub.web.remote_queries import RemoteQueryPool
from rdfpub.web.sparql_request import ProtocolError, read_only, read_query_request, result_formats
from rdfpub.web.store_changes import period

router = APIRouter()
logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# name -> (file in static/, media type); a fixed list, so no request path reaches the disk.
ASSETS = {"sparql.js": ("sparql.js", "text/javascript"), "sparql.css": ("sparql.css", "text/css"),
          "yasgui.min.js": ("yasgui/yasgui.min.js", "text/javascript"),
          "yasgui.min.css": ("yasgui/yasgui.min.css", "text/css")}
ALLOW = "GET, HEAD, POST, OPTIONS"
FAST_METHODS = frozenset({"GET", "HEAD", "POST"})
# Headers a cross-origin script may read (the CORS middleware exposes the same for other routes).
EXPOSED_HEADERS = "Content-Type, Vary, Link, Rdfpub-Truncated, Retry-After"
# Every response, errors included, may be read cross-origin; Vary because the body is negotiated.
COMMON_HEADERS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept",
                  "Access-Control-Expose-Headers": EXPOSED_HEADERS}
# The service description in RDF, or the query page for a browser.
DESCRIPTION_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "text/html": None, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS,
}
# The query page keeps to this origin: no CDN, no inline script, no eval. One relaxation: the style sheet
# YASGUI's table (its column-resizer library) adds as a <style> element for the column grips, allowed
# by the hash of its fixed text and nothing else (tests/test_query_page.py fails on any violation).
YASGUI_GRIP_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
PAGE_POLICY = (f"default-src 'self'; style-src 'self' {YASGUI_GRIP_STYLE}; img-src 'self' data:; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# Queries longer than this are checked off the event loop.
GUARD_ON_THREAD = 4096


def query_pool(app: FastAPI) -> QueryPool:
    """The app's worker pool, started on first use when the app runs without its lifespan."""
    pool = getattr(app.state, "query_pool", None)
    if pool is None:
        settings = app.state.settings
        # A remote store has no checkpoint to open in workers: its own server runs the queries.
        if getattr(app.state.store, "path", None):
            pool = QueryPool(app.state.store, settings.query_workers, settings.query_timeout, settings.query_memory)
        else:
            pool = RemoteQueryPool(app.state.store, settings.query_workers, settings.query_timeout)
        pool.start()
        app.state.query_pool = pool
    return pool


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Publishes a checkpoint and starts the workers with the server (and, over a store server, the
    building of this front's search index); stops them with it."""
    app.state.loop = asyncio.get_running_loop()  # where other threads hand the app store changes
    # The first checkpoint too is never taken halfway through a batch a client of the store's
    # channel is writing (rdfpub/web/store_changes.py); nothing is served yet, so it may wait.
    with getattr(app.state, "store_applying", None) or contextlib.nullcontext():
        query_pool(app)
    catalogs.start(app)
    try:
        yield
    finally:
        catalogs.stop(app)
        app.state.query_pool.close()
        app.state.query_pool = None
        if getattr(app.state, "work", None) is not None:  # the page threads (rdfpub/web/deadlines.py)
            app.state.work.close()
        # Whatever serves beside the app ends with it (rdfpub/cli/serving_channel.py): uvicorn raises a
        # SIGTERM again once the app has shut down, so code after uvicorn.run may never run.
        for close in getattr(app.state, "closers", []):
            close()


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers={**COMMON_HEADERS, **(headers or {})})


def _dataset(query_request) -> str:
    if query_request.names_dataset:
        return "request"
    # A query's own FROM must not be overridden by the union default graph.
    return "query" if has_dataset_clause(query_request.query) else "union"


def _vet(query_request) -> str:
    """Refuses an update or a query the guard will not run; the dataset the query runs over."""
    if is_update(query_request.query):
        raise read_only()
    try:
        check_query(query_request.query)
    except QueryRejected as error:
        # 400 says the text is not legal SPARQL; a legal query over the size limit is 413.
        raise ProtocolError(413 if isinstance(error, QueryTooLarge) else 400, str(error)) from None
    return _dataset(query_request)


async def _answer(request: Request, query_request) -> Response:
    # Reading a long query takes the lexer tens of milliseconds: on a thread, so that other requests
    # are served meanwhile (a client sending 100,000-character queries would hold the event loop).
    long = len(query_request.query) > GUARD_ON_THREAD
    dataset = await run_in_threadpool(_vet, query_request) if long else _vet(query_request)
    settings = request.app.state.settings
    job = {"kind": "query", "query": query_request.query, "dataset": dataset,
           "default_graphs": query_request.default_graphs, "named_graphs": query_request.named_graphs,
           "max_rows": settings.max_result_rows, "max_bytes": settings.max_response_bytes,
           **result_formats(query_request, request.headers.get("accept"))}
    reply = await query_pool(request.app).run(job)
    if reply["status"] != 200:
        raise ProtocolError(reply["status"], reply["message"])
    headers = dict(COMMON_HEADERS)
    if reply["truncated"]:
        headers["Rdfpub-Truncated"] = reply["truncated"]
    if reply["path"] is None:
        return Response(reply["body"], media_type=reply["media_type"], headers=headers)
    return FileResponse(reply["path"], media_type=reply["media_type"], headers=headers,
                        background=BackgroundTask(os.unlink, reply["path"]))


def _wants_page(request: Request) -> bool:
    """A browser that asks for HTML before any results format (a link to /sparql?query=...)."""
    return negotiate(request.headers.get("accept"), [*RESULTS_TYPES, "text/html"]) == "text/html"


# A store server may change under a front at any time: the values are looked up again this often;
# the embedded store changes only through the app's channel, which says when (store_changes.py).
EXAMPLES_SECONDS = 60.0


async def example_queries(app: FastAPI) -> list[dict[str, str]]:
    """The example queries, written with values the store holds (looked up once per store state,
    or once a minute over a store server)."""
    state = app.state
    # Looked up once however many pages ask at once, each waiting up to its deadline (deadlines.py).
    values = await app_work(app).shared(("examples", period(app, EXAMPLES_SECONDS)),
                                        lambda: service_description.samples(state.store),
                                        "the values the example queries are written with")
    return service_description.examples(state.settings.base_iri, values)


async def _page(request: Request, query: str | None) -> Response:
    state = request.app.state
    examples = await example_queries(request.app)
    response = state.templates.TemplateResponse(request, "sparql.html", {
        "title": state.settings.title, "examples": examples,
        "query": query if query is not None else examples[0]["query"], "run": query is not None,
        "timeout": state.settings.query_timeout, "max_rows": state.settings.max_result_rows,
        "endpoint": f"{request.base_url}sparql", "base": state.settings.base_iri,
        "prefixes": sorted(state.prefixes.items()),
    })
    response.headers.update({**COMMON_HEADERS, "Content-Security-Policy": PAGE_POLICY})
    return response


async def _describe(request: Request) -> Response:
    """The service description (SPARQL 1.1 Service Description, section 2: at the endpoint URL)."""
    media_type = negotiate(request.headers.get("accept"), list(DESCRIPTION_TYPES))
    if media_type is None:
        raise ProtocolError(406, f"the service description is available as {', '.join(DESCRIPTION_TYPES)}")
    if media_type == "text/html":
        return await _page(request, None)
    try:
        stats = await query_pool(request.app).stats(service_description.STATS_QUERIES)
    except QueryFailed:
        stats = {}  # the description without its counts beats no description
    # The endpoint is named by the URL the client used (Service Description, section 3.2:
    # sd:endpoint is the URL requests are sent to), whatever the base the data's IRIs are minted under.
    endpoint = str(request.url.replace(query="", fragment=""))
    triples = service_description.description(endpoint, endpoint[: -len("/sparql")], stats)
    body = service_description.serialize(triples, DESCRIPTION_TYPES[media_type])
    return Response(body, media_type=media_type, headers=COMMON_HEADERS)


@router.api_route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS"])
async def sparql(request: Request) -> Response:
    if request.method == "OPTIONS":  # a CORS preflight never gets here: the middleware answers it
        return Response(status_code=204, headers={**COMMON_HEADERS, "Allow": ALLOW})
    try:
        query_request = await read_query_request(request)
        if query_request is None:
            if request.method == "POST":
                raise ProtocolError(400, "no query: send one as a form field 'query' or as an "
                                         "application/sparql-query body")
            return await _describe(request)
        if request.method == "GET" and not query_request.formats and _wants_page(request):
            return await _page(request, query_request.query)
        return await _answer(request, query_request)
    except (ProtocolError, QueryFailed) as error:
        return _error(error.status, str(error), error.headers)


async def answer_directly(scope, receive, send) -> None:
    """The /sparql handler as a bare ASGI app, for the app to call before its middleware stack:
    FastAPI's routing, error and CORS layers cost more than a point lookup itself. The headers
    those layers would add (CORS included) are in COMMON_HEADERS; a failure still gets a 500."""
    request = Request(scope, receive)
    try:
        response = await sparql(request)
    except ClientDisconnect:  # it went, or was cut off sending its body too slowly: nobody to answer
        return
    except Exception:  # what ServerErrorMiddleware would do for any other route
        logger.exception("the SPARQL endpoint failed on %s %s", scope["method"], scope["path"])
        response = _error(500, "the server failed while answering this request; it has been logged")
    await response(scope, receive, send)


@router.get("/sparql/assets/{name}")
async def asset(name: str) -> Response:
    """The query page's script and style, from the package (a fixed list: no path reaches the disk)."""
    if name not in ASSETS:
        return _error(404, f"no asset '{name}'")
    file_name, media_type = ASSETS[name]
    return FileResponse(STATIC / file_name, media_type=media_type, headers={"Cache-Control": "max-age=3600"})
