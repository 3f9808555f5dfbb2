"""The landing page at /: what the dataset is, how big it is, and where to query and download it."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rdfpub.settings import is_remote
from rdfpub.web.deadlines import app_work

router = APIRouter()

EXAMPLE_QUERY = """PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?article ?pmid ?title WHERE {
  ?article fabio:hasPubMedId ?pmid ; dcterms:title ?title .
}
ORDER BY ?pmid
LIMIT 20"""


# A remote store may change under the server (other ingest processes); the embedded one cannot
# while `serve` holds its lock, so its counts are made once.
REMOTE_STATS_SECONDS = 60.0


async def store_size(app) -> tuple[int, int]:
    """(records, distinct triples), counted once and shared: the count reads the whole store, so
    no visitor may make the server do it again and again, nor several at once."""
    state = app.state
    # The embedded store cannot change under `serve`; a remote one is counted again each period.
    period = int(time.monotonic() // REMOTE_STATS_SECONDS) if is_remote(state.settings.store) else 0
    return await app_work(app).shared(("size", period), lambda: (state.store.graph_count(), state.store.triple_count()),
                                      "the count of the dataset's records and triples")


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request) -> HTMLResponse:
    state = request.app.state
    records, triples = await store_size(request.app)
    return state.templates.TemplateResponse(request, "landing.html", {
        "title": state.settings.title,
        "records": records,
        "triples": triples,
        "base": state.settings.base_iri,
        "license": state.settings.license,
        "example_query": EXAMPLE_QUERY,
        "example_link": "sparql?" + urlencode({"query": EXAMPLE_QUERY}),
    })
