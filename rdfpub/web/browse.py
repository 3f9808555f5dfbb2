"""Ways into the dataset for people: word search over titles, and newest-first lists of all articles and of a
journal's, a person's or a MeSH term's; also journals and MeSH terms by size. Each reads the search and listing
index (rdfpub/web/catalogs.py), a page at a time, and answers HTML or, asked for it, JSON."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from rdfpub.iris import MESH, Iris
from rdfpub.store.catalog import MAX_WORDS, SearchTimeout
from rdfpub.web.catalogs import IndexNotReady, reader
from rdfpub.web.deadlines import Timed, app_work
from rdfpub.web.describe import exists, names
from rdfpub.web.documents import MAX_PAGE, error_page, page_number, raw_path
from rdfpub.web.negotiation import negotiate
from rdfpub.web.pages import local_href, mesh_ui

router = APIRouter()

PAGE_SIZE = 20
SEARCH_HELP = (f"Every word must be in the title (up to {MAX_WORDS}); words match their other forms "
               "(cell, cells), and a word ending in * matches every word it begins. Best matches first.")


def _wants_json(request: Request) -> bool:
    return negotiate(request.headers.get("accept"), ["text/html", "application/json"], {}) == "application/json"


async def _listing(request: Request, title: str, load, intro: dict | None = None, kind: str = "articles",
                   extra: dict | None = None) -> Response:
    """One page of a list: `load(reader, page, size)` gives (total, items) on a worker thread."""
    state = request.app.state
    page = page_number(request)
    if page is None:
        return error_page(request, 400, f"page must be a whole number from 1 to {MAX_PAGE:,}")
    try:
        catalog = reader(request.app)
        # On a page thread, within the page deadline (rdfpub/web/deadlines.py), like every other page.
        total, items = await app_work(request.app).page(lambda deadline: load(catalog, page, PAGE_SIZE))
    except IndexNotReady as error:
        if not error.soon:
            return error_page(request, 503, f"Word search and lists are not available: {error}")
        return error_page(request, 503, f"{error}; try again in a minute", {"Retry-After": "30"})
    except SearchTimeout as error:
        return error_page(request, 503, f"This took too long and was {error}: narrow it down (more words, "
                                        "or a journal or MeSH term) and try again", {"Retry-After": "10"})
    base = state.settings.base_iri
    rows = [{"href": local_href(base, iri), "iri": iri, **fields} for iri, fields in items]
    parameters = dict(extra or {})

    def page_link(number: int) -> str:
        return "?" + urlencode({**parameters, "page": number})

    pages = max(1, -(-total // PAGE_SIZE))
    links = {"prev": page_link(page - 1) if page > 1 else None,
             "next": page_link(page + 1) if page < pages and page < MAX_PAGE else None}
    headers = {"Vary": "Accept", "Link": ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items() if href)}
    if not headers["Link"]:
        del headers["Link"]
    if _wants_json(request):
        return JSONResponse({"title": title, "total": total, "page": page, "pageSize": PAGE_SIZE,
                             "results": rows}, headers=headers)
    return state.templates.TemplateResponse(request, "listing.html", {
        "site_title": state.settings.title, "license": state.settings.license, "alternates": [],
        "page_title": title, "intro": intro, "kind": kind, "rows": rows, "total": total, "page": page,
        "pages": pages, "first": (page - 1) * PAGE_SIZE + 1, "links": links, "query": parameters.get("q"),
        "help": SEARCH_HELP,
    }, headers=headers)


def _hits(found):
    total, hits = found
    return total, [(hit.article, {"title": hit.title or hit.article, "date": hit.date}) for hit in hits]


@router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
async def search(request: Request) -> Response:
    """Articles whose titles hold every word, best first (BM25 over SQLite FTS5)."""
    text = request.query_params.get("q", "")[:500]
    title = f"Titles with “{text}”" if text.strip() else "Search titles"
    return await _listing(request, title, lambda r, page, size: _hits(r.search(text, page, size)),
                          kind="search", extra={"q": text})


@router.api_route("/articles", methods=["GET", "HEAD"], include_in_schema=False)
async def articles(request: Request) -> Response:
    return await _listing(request, "All articles, newest first",
                          lambda r, page, size: _hits(r.newest(page, size)))


async def _articles_of(request: Request, target: str, what: str) -> Response:
    state = request.app.state

    def look_up(deadline) -> str | None:
        store = Timed(state.store, deadline)
        try:
            if not exists(store, target):
                return None
        except ValueError:  # not an IRI
            return None
        return names(store, [target]).get(target, target)

    name = await app_work(request.app).page(look_up)
    if name is None:
        return error_page(request, 404, f"The dataset has nothing about {target}.")
    intro = {"what": what, "name": name, "href": local_href(state.settings.base_iri, target), "iri": target}
    return await _listing(request, f"{name}: articles, newest first",
                          lambda index, page, size: _hits(index.newest(page, size, target)), intro=intro)


@router.api_route("/articles/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def articles_of(request: Request, rest: str) -> Response:
    """The articles of a journal or of a person: `/articles` and the path of the journal or person
    (`/articles/journal/nlm/...`, `/articles/agent/orcid/...`, `/articles/pubmed/.../author/1/agent`)."""
    path = (raw_path(request) or "")[len("/articles"):]
    if path.startswith("/journal/"):
        what = "journal"
    elif path.startswith("/agent/") or path.endswith("/agent"):
        what = "person"
    else:
        return error_page(request, 404, f"There is no list of articles at /articles{path}: lists are of "
                                        "journals and people (/articles/journal/..., /articles/agent/...).")
    iri = Iris(request.app.state.settings.base_iri).local(path)
    if not re.fullmatch(r"[\x21-\x7e]+", path) or '"' in path or "<" in path or ">" in path:
        return error_page(request, 404, "That is not the path of anything in the dataset.")
    return await _articles_of(request, iri, what)


@router.api_route("/mesh/{ui}", methods=["GET", "HEAD"], include_in_schema=False)
async def mesh(request: Request, ui: str) -> Response:
    """A MeSH descriptor (or concept, or descriptor-qualifier pair): the articles indexed with it."""
    if mesh_ui(MESH.format(ui)) != ui:
        return error_page(request, 404, f"'{ui[:40]}' is not a MeSH unique identifier (D000001, C000001, ...).")
    return await _articles_of(request, MESH.format(ui), "MeSH term")


async def _targets(request: Request, kind: str, title: str) -> Response:
    state = request.app.state

    def load(index, page, size):
        total, rows = index.targets(kind, page, size)
        named = names(state.store, [iri for iri, _ in rows])
        return total, [(iri, {"title": named.get(iri, iri), "count": count}) for iri, count in rows]

    return await _listing(request, title, load, kind=kind)


@router.api_route("/journals", methods=["GET", "HEAD"], include_in_schema=False)
async def journals(request: Request) -> Response:
    return await _targets(request, "journal", "Journals, by number of articles")


@router.api_route("/subjects", methods=["GET", "HEAD"], include_in_schema=False)
async def subjects(request: Request) -> Response:
    return await _targets(request, "mesh", "MeSH terms, by number of articles")

