"""Files every page of the site uses, served from the package: the favicon, the style sheet and the published JSON-LD context."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from rdfpub.web.jsonld import context_document

router = APIRouter()

STATIC = Path(__file__).parent / "static"
# A day: these change only with rdfpub itself.
CACHE = {"Cache-Control": "public, max-age=86400"}


@router.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
def favicon() -> Response:
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers=CACHE)


@router.api_route("/site.css", methods=["GET", "HEAD"], include_in_schema=False)
def stylesheet() -> Response:
    return FileResponse(STATIC / "site.css", media_type="text/css", headers=CACHE)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"], include_in_schema=False)
def context(request: Request) -> Response:
    """The JSON-LD context the dataset's compacted JSON-LD documents name (JSON-LD 1.1, section 3.1)."""
    state = request.app.state
    return Response(context_document(state.settings.base_iri), media_type="application/ld+json",
                    headers={**CACHE, "Access-Control-Allow-Origin": "*"})
