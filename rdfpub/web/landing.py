"""The landing page at /: what the dataset is, how big it is, and where to query and download it."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rdfpub.web.service_description import FIRST_EXAMPLE
from rdfpub.web.deadlines import app_work
from rdfpub.web.store_changes import period

router = APIRouter()


# A remote store may change under the server (other ingest processes) at any time; the embedded
# one only through the server's own channel, which says when.
REMOTE_STATS_SECONDS = 60.0


async def store_size(app) -> tuple[int, int]:
    """(records, distinct triples), counted once and shared: the count reads the whole store, so
    no visitor may make the server do it again and again, nor several at once."""
    state = app.state
    # Counted again once per store state (rdfpub/web/store_changes.py): each period for a remote store.
    return await app_work(app).shared(("size", period(app, REMOTE_STATS_SECONDS)),
                                      lambda: (state.store.graph_count(), state.store.triple_count()),
                                      "the count of the dataset's records and triples")


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request) -> HTMLResponse:
    state = request.app.state
    records, triples = await store_size(request.app)
    example = FIRST_EXAMPLE
    return state.templates.TemplateResponse(request, "landing.html", {
        "site_title": state.settings.title, "page_title": "Home", "license": state.settings.license,
        "alternates": [{"href": f"/{name}", "type": media, "name": name} for name, media in
                       (("dump.ttl", "text/turtle"), ("dump.nt", "application/n-triples"))],
        "records": records,
        "triples": triples,
        "base": state.settings.base_iri,
        # The endpoint as this client reaches it, not as the base IRI names the data.
        "endpoint": f"{request.base_url}sparql",
        "example_query": example,
        "example_link": "/sparql?" + urlencode({"query": example}),
    })
