"""The landing page at /: what the dataset is, how big it is, and where to query and download it."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from rdfpub.settings import is_remote
from rdfpub.web.service_description import FIRST_EXAMPLE

router = APIRouter()


# A remote store may change under the server (other ingest processes); the embedded one cannot
# while `serve` holds its lock, so its counts are made once.
REMOTE_STATS_SECONDS = 60.0


async def store_size(state) -> tuple[int, int]:
    """(records, distinct triples), counted once and shared: the count reads the whole store, so
    no visitor may make the server do it again and again, nor several at once."""
    lock = getattr(state, "size_lock", None)
    if lock is None:  # no await since the look-up: one lock per app
        state.size_lock = lock = asyncio.Lock()
    async with lock:
        cached = getattr(state, "size", None)
        fresh = cached and (not is_remote(state.settings.store)
                            or time.monotonic() - cached[0] < REMOTE_STATS_SECONDS)
        if not fresh:
            counts = await run_in_threadpool(lambda: (state.store.graph_count(), state.store.triple_count()))
            state.size = cached = (time.monotonic(), *counts)
    return cached[1], cached[2]


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request) -> HTMLResponse:
    state = request.app.state
    records, triples = await store_size(state)
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
