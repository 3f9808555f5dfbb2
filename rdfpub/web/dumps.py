"""Whole-dataset downloads, streamed straight from the store: /dump.ttl, /dump.nt, /dump.nq."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from rdfpub.web.streaming import stream_from_thread

router = APIRouter()

DUMPS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "nt": ("nt", "application/n-triples"),
    "nq": ("nq", "application/n-quads"),
}


def _dump(request: Request, extension: str) -> StreamingResponse:
    format_name, media_type = DUMPS[extension]
    app_state = request.app.state
    chunks = stream_from_thread(lambda: app_state.store.dump(format_name, prefixes=app_state.prefixes))
    return StreamingResponse(chunks, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="rdfpub-dump.{extension}"'})


@router.api_route("/dump.ttl", methods=["GET", "HEAD"])
def dump_turtle(request: Request) -> StreamingResponse:
    return _dump(request, "ttl")


@router.api_route("/dump.nt", methods=["GET", "HEAD"])
def dump_ntriples(request: Request) -> StreamingResponse:
    return _dump(request, "nt")


@router.api_route("/dump.nq", methods=["GET", "HEAD"])
def dump_nquads(request: Request) -> StreamingResponse:
    return _dump(request, "nq")
