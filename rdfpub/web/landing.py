"""The landing page at /: what the dataset is, how big it is, and where to query and download it."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

router = APIRouter()

EXAMPLE_QUERY = """PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?article ?pmid ?title WHERE {
  ?article fabio:hasPubMedId ?pmid ; dcterms:title ?title .
}
ORDER BY ?pmid
LIMIT 20"""


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request) -> HTMLResponse:
    state = request.app.state
    records, triples = await run_in_threadpool(lambda: (state.store.graph_count(), state.store.triple_count()))
    return state.templates.TemplateResponse(request, "landing.html", {
        "title": state.settings.title,
        "records": records,
        "triples": triples,
        "base": state.settings.base_iri,
        "license": state.settings.license,
        "example_query": EXAMPLE_QUERY,
        "example_link": "sparql?" + urlencode({"query": EXAMPLE_QUERY}),
    })
