"""Whole-dataset downloads at stable URLs (/dump.ttl, /dump.nt, /dump.nq and their .gz), served as cached
files with ETag, Last-Modified, Content-Length, conditional requests and byte ranges (RFC 9110, sections 13-14)."""

from __future__ import annotations

import tempfile
from functools import partial
from email.utils import parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from rdfpub.iris import Iris
from rdfpub.web.deadlines import Busy, app_work
from rdfpub.web.dump_cache import DUMPS, DumpCache, DumpFile, DumpMissing
from rdfpub.web.store_changes import generation

router = APIRouter()


def dump_cache(request: Request) -> DumpCache:
    return cache_of(request.app)


def cache_of(app) -> DumpCache:
    """The app's dump cache, in the folder `{store}-dumps` beside the store; over a remote store, in
    a temporary folder of this process (every front makes the same files from the same store). The
    embedded store changes only through the app's channel, which says when (store_changes.py)."""
    state = app.state
    if getattr(state, "dump_cache", None) is None:
        store_path = getattr(state.store, "path", None)
        folder = Path(f"{store_path}-dumps") if store_path else Path(tempfile.mkdtemp(prefix="rdfpub-dumps-"))
        state.dump_cache = DumpCache(state.store, folder, state.prefixes, Iris(state.settings.base_iri).vocab,
                                     partial(generation, app) if store_path else None)
    return state.dump_cache


def _later(last_modified: str, date: str) -> bool | None:
    """True when the file changed after `date`; None when `date` is no HTTP date (then ignored)."""
    try:
        return parsedate_to_datetime(last_modified) > parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None


def _precondition_failed(request: Request, dump: DumpFile, last_modified: str) -> bool:
    """If-Match (strong comparison, RFC 9110 section 13.1.1), else If-Unmodified-Since: a client
    resuming or checking a download of the file it has learns that the file changed since."""
    if_match = request.headers.get("if-match")
    if if_match is not None:
        tags = {tag.strip() for tag in if_match.split(",")}
        return "*" not in tags and dump.etag not in tags
    since = request.headers.get("if-unmodified-since")
    return bool(since) and _later(last_modified, since) is True


def _not_modified(request: Request, dump: DumpFile, last_modified: str) -> bool:
    """If-None-Match (weak comparison, RFC 9110 section 13.1.2) wins over If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or dump.etag in tags
    since = request.headers.get("if-modified-since")
    return bool(since) and _later(last_modified, since) is False


class _LeasedFile(FileResponse):
    """A dump file, kept on disk (its lease held) until it has been sent or the client has gone."""

    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await run_in_threadpool(self.release)


async def _lease(request: Request, name: str):
    """A lease on the dump `name` of the current store state, or, while that is made in the
    background, of the previous one. Only the first dump of all is waited for: it is made once, on
    a thread of its own, however many ask for it; each request waits for it up to its deadline."""
    cache, work = dump_cache(request), app_work(request.app)
    for _ in range(3):  # the state may change while a dump is made: then the newer one is made
        lease = cache.lease(name, build=False, previous=True)
        try:
            return lease, await run_in_threadpool(lease.__enter__)
        except DumpMissing as missing:
            await work.shared((f"dump-{missing.format_name}", missing.state), partial(cache.get, name),
                              f"the dump {name}")
    raise Busy("the store changed while its dump was being made; try again shortly", retry_after=10)


async def _serve(request: Request, name: str) -> Response:
    lease, dump = await _lease(request, name)
    release = partial(lease.__exit__, None, None, None)
    try:
        response = await _respond(request, name, dump, release)
    except BaseException:
        await run_in_threadpool(release)
        raise
    if not isinstance(response, _LeasedFile):
        await run_in_threadpool(release)
    return response


async def _respond(request: Request, name: str, dump: DumpFile, release) -> Response:
    media_type = "application/gzip" if dump.gzipped else dump.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    response = _LeasedFile(dump.path, media_type=media_type, filename=f"rdfpub-{name}",
                           headers={"ETag": dump.etag, "Cache-Control": "public, max-age=60"},
                           stat_result=await run_in_threadpool(dump.path.stat), release=release)
    # The order of RFC 9110, section 13.2.2: the preconditions that refuse, then those that spare a body.
    if _precondition_failed(request, dump, response.headers["last-modified"]):
        return PlainTextResponse(
            f"{name} has changed since (its ETag is now {dump.etag}): download it again from the start\n",
            status_code=412, headers={"ETag": dump.etag, "Last-Modified": response.headers["last-modified"]})
    if _not_modified(request, dump, response.headers["last-modified"]):
        return Response(status_code=304, headers={
            "ETag": dump.etag, "Last-Modified": response.headers["last-modified"]})
    return response


def _route(name: str):
    async def serve(request: Request) -> Response:
        return await _serve(request, name)
    serve.__name__ = "dump_" + name.replace(".", "_")
    return serve


for _name in DUMPS:
    router.add_api_route(f"/{_name}", _route(_name), methods=["GET", "HEAD"], include_in_schema=False)
