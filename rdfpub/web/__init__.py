"""The web app factory: create_app(settings, store) wires one router per concern onto FastAPI."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from rdfpub import __version__
from rdfpub.iris import Iris
from rdfpub.settings import Settings
from rdfpub.store import Store
from rdfpub.vocab import PREFIXES
from rdfpub.web import dataset, dumps, landing, linked_data, sparql

TEMPLATES = Path(__file__).parent / "templates"


def create_app(settings: Settings, store: Store) -> FastAPI:
    """The read-only publishing app over `store`."""
    app = FastAPI(title=settings.title, version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=sparql.lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.prefixes = dict(PREFIXES, rdfpub=Iris(settings.base_iri).vocab)
    app.state.templates = Jinja2Templates(env=Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True))
    app.add_middleware(sparql.QueryFastPath)  # added first: the CORS middleware wraps it
    # Linked Data is read from other sites' pages: every response may be read cross-origin.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["Content-Type", "Vary", "Link", "Rdfpub-Truncated", "Retry-After"])
    for module in (landing, sparql, dumps, linked_data, dataset):
        app.include_router(module.router)
    return app
