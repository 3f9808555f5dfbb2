"""The web app factory: create_app(settings, store) wires one router per concern onto FastAPI."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from rdfpub import __version__
from rdfpub.iris import Iris
from rdfpub.settings import Settings
from rdfpub.store.embedded import Store
from rdfpub.vocab import PREFIXES
from rdfpub.web import browse, dataset, dumps, landing, linked_data, site_assets, sparql
from rdfpub.web.deadlines import Busy
from rdfpub.web.response_headers import with_security_headers
from rdfpub.web.text_direction import isolate

TEMPLATES = Path(__file__).parent / "templates"


class PublishingApp(FastAPI):
    """FastAPI with the SPARQL endpoint's queries answered ahead of the middleware stack, and the
    headers every response carries added to all of them."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            send = with_security_headers(send)
        if scope["type"] == "http" and scope["path"] == "/sparql" and scope["method"] in sparql.FAST_METHODS:
            scope["app"] = self
            await sparql.answer_directly(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings, store: Store) -> PublishingApp:
    """The read-only publishing app over `store`."""
    app = PublishingApp(title=settings.title, version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=sparql.lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.prefixes = dict(PREFIXES, rdfpub=Iris(settings.base_iri).vocab)
    app.state.templates = Jinja2Templates(env=Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, finalize=isolate))
    # Linked Data is read from other sites' pages: every response may be read cross-origin.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["*"], expose_headers=sparql.EXPOSED_HEADERS.split(", "))
    for module in (landing, sparql, dumps, linked_data, dataset, site_assets, browse):
        app.include_router(module.router)
    app.add_exception_handler(Busy, _busy)
    return app


async def _busy(request: Request, busy: Busy) -> PlainTextResponse:
    """Work that missed its request's deadline (rdfpub/web/deadlines.py): 503, and when to come back."""
    return PlainTextResponse(f"{busy}\n", status_code=busy.status, headers=busy.headers)
