"""Dereferenceable IRIs: a thing's IRI answers 303 to its document (W3C "Cool URIs", section 4.3), documents
under /doc/ are negotiated or named by extension, /vocab is the project vocabulary, /resolve finds an article."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.iris import Iris
from rdfpub.mapping.description import document_graph
from rdfpub.mapping.vocabulary import vocabulary_graph
from rdfpub.store.catalog import SearchTimeout
from rdfpub.vocab import FABIO, PRISM
from rdfpub.web import catalogs
from rdfpub.web.deadlines import Timed, app_work
from rdfpub.web.describe import describe, exists, record_of
from rdfpub.web.documents import MAX_PAGE, Document, error_page, not_found, page_number, raw_path, respond
from rdfpub.web.formats import FORMATS, from_rdflib
from rdfpub.web.pages import Index, article_schema, article_view, local_href, resource_view

router = APIRouter()

# The first path segment of every IRI the dataset mints for a thing (see rdfpub/iris.py).
THING_ROOTS = ("pubmed", "article", "doi", "agent", "journal", "identifier", "graph", "book")


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


async def thing(request: Request) -> Response:
    """303 See Other from a thing to the document about it; 404 when the dataset does not know it."""
    path = raw_path(request)
    iris = Iris(request.app.state.settings.base_iri)
    iri = iris.local(path) if path else None
    store = request.app.state.store
    if iri is None or not _valid_iri(iri) or not await app_work(request.app).page(
            lambda deadline: exists(Timed(store, deadline), iri)):
        return not_found(request, None, f"The dataset has nothing about {iri or 'this IRI'}.")
    return Response(status_code=303, headers={"Location": "/doc" + path, "Vary": "Accept"})


for _root in THING_ROOTS:
    router.add_api_route(f"/{_root}/{{rest:path}}", thing, methods=["GET", "HEAD"], include_in_schema=False)


def _is_thing_path(path: str) -> bool:
    """True for '/{root}/...' with one of the roots things are minted under (nothing else has a document here)."""
    parts = path.split("/", 2)
    return len(parts) == 3 and parts[0] == "" and parts[1] in THING_ROOTS and parts[2] != ""


def _split_extension(path: str) -> tuple[str, str | None]:
    for extension in FORMATS:
        if path.endswith("." + extension):
            return path[: -len(extension) - 1], extension
    return path, None


@router.api_route("/doc/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def document(request: Request) -> Response:
    """The document of a thing: all its data, negotiated at /doc/..., one format at /doc/....ttl etc."""
    state = request.app.state
    iris = Iris(state.settings.base_iri)
    path = (raw_path(request) or "")[len("/doc"):]
    stripped, extension = _split_extension(path)
    page = page_number(request)
    if page is None:
        return PlainTextResponse(f"page must be a whole number from 1 to {MAX_PAGE}\n", status_code=400)

    def find_and_describe(store):
        # A DOI may itself end in '.html': the extension reading wins only when it names a known thing.
        for candidate, fmt in ((stripped, extension), (path, None)) if extension else ((path, None),):
            iri = iris.local(candidate)
            if _is_thing_path(candidate) and _valid_iri(iri) and exists(store, iri):
                return candidate, fmt, describe(store, iri, page)
        return None

    def answer(deadline) -> Response:
        store = Timed(state.store, deadline)  # a deep ?page= of a much-linked thing stops at the deadline
        # On the page thread too: making a page (the view, the template) takes longer than reading it.
        found = find_and_describe(store) if path.startswith("/") else None
        if found is None:
            return not_found(request, extension, f"The dataset has no document at /doc{path}.")
        return _document_response(request, store, page, *found)

    return await app_work(request.app).page(answer)


def _document_response(request: Request, store: Timed, page: int, thing_path: str, extension: str | None,
                       description) -> Response:
    """The document in the format asked for; what only its HTML page shows (the record an article
    is from, the list of a journal's or a person's articles) is looked up when that is made."""
    state = request.app.state
    iris = Iris(state.settings.base_iri)
    iri = description.iri
    doc_path = "/doc" + thing_path
    metadata = from_rdflib(document_graph(iris, iri, iris.document(iri), state.settings.license))
    next_page = f"{doc_path}{'.' + extension if extension else ''}?page={page + 1}" if description.has_next else None

    def html(context: dict) -> tuple[str, dict]:
        index = Index(description.triples, iris, state.prefixes)
        context.update(iri=iri, incoming_total=description.incoming_total, articles=_articles_of(request, iri))
        types = {o.value for o in index.objects(iri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
        if str(FABIO.Expression) in types and page == 1:
            view = article_view(index, iri, description.incoming, record_of(store, iri))
            return "article.html", dict(context, view=view, page_title=view["title"],
                                        schema=article_schema(view, iri))
        view = resource_view(index, iri, description.incoming)
        return "resource.html", dict(context, view=view, page_title=view["title"], schema={
            "@context": "https://schema.org", "@type": "Thing", "@id": iri, "name": view["title"]})

    return respond(request, Document(doc_path, description.triples + metadata, html, next_page, topic=iri), extension)


def _articles_of(request: Request, iri: str) -> dict | None:
    """The list of articles a journal or a person has (rdfpub/web/browse.py), for their page: its
    link and length, or None when the index lists none (or is not ready)."""
    if not iri.startswith(request.app.state.settings.base_iri + "/journal/") and \
            not (iri.startswith(request.app.state.settings.base_iri + "/agent/") or iri.endswith("/agent")):
        return None
    try:
        count = catalogs.reader(request.app).count(iri)
    except (catalogs.IndexNotReady, SearchTimeout):
        return None
    path = iri[len(request.app.state.settings.base_iri):]
    return {"href": f"/articles{path}", "count": count} if count else None


def _vocabulary_triples(request: Request) -> list:
    state = request.app.state
    if getattr(state, "vocabulary_triples", None) is None:
        graph = vocabulary_graph(Iris(state.settings.base_iri), state.settings.license)
        state.vocabulary_triples = from_rdflib(graph)
    return state.vocabulary_triples


def _vocabulary(request: Request, extension: str | None) -> Response:
    """The vocabulary's IRI is its own document (its terms are hash IRIs: "Cool URIs", section 4.2)."""
    state = request.app.state
    iris = Iris(state.settings.base_iri)
    triples = _vocabulary_triples(request)

    def html(context: dict) -> tuple[str, dict]:
        view = resource_view(Index(triples, iris, state.prefixes), iris.vocabulary(), [])
        return "resource.html", dict(context, view=view, page_title=view["title"], iri=iris.vocabulary(),
                                     incoming_total=0, schema={"@context": "https://schema.org",
                                                               "@type": "DefinedTermSet", "@id": iris.vocabulary(),
                                                               "name": view["title"]})

    return respond(request, Document("/vocab", triples, html, topic=iris.vocabulary()), extension)


@router.api_route("/vocab", methods=["GET", "HEAD"], include_in_schema=False)
def vocabulary(request: Request) -> Response:
    return _vocabulary(request, None)


def _vocabulary_in(extension: str):
    def vocabulary_format(request: Request) -> Response:
        return _vocabulary(request, extension)
    return vocabulary_format


for _extension in FORMATS:
    router.add_api_route(f"/vocab.{_extension}", _vocabulary_in(_extension), methods=["GET", "HEAD"],
                         include_in_schema=False)

# ?name= -> (normaliser, property holding the normalised value)
_RESOLVABLE = {"pmid": (normalize_pmid, FABIO.hasPubMedId), "pmcid": (normalize_pmcid, FABIO.hasPubMedCentralId),
               "doi": (normalize_doi, PRISM.doi)}


def _find_article(store, predicate: str, value: str) -> str | None:
    # An article known by its PMID wins over a node minted for a DOI seen only in a reference.
    query = (f"SELECT ?a WHERE {{ ?a <{predicate}> {ox.Literal(value)} OPTIONAL {{ ?a <{FABIO.hasPubMedId}> ?p }} }} "
             "ORDER BY DESC(BOUND(?p)) STR(?a) LIMIT 1")
    rows = [row["a"].value for row in store.query(query)]
    return rows[0] if rows else None


def _guess(value: str) -> tuple[str, str] | None:
    """The kind of identifier one box was given (a PMCID, a DOI or a PMID), and its normal form."""
    for name in ("pmid", "pmcid", "doi"):  # digits alone are a PMID (normalize_pmcid takes them too)
        normal = _RESOLVABLE[name][0](value)
        if normal is not None:
            return name, normal
    return None


@router.get("/resolve", include_in_schema=False)
async def resolve(request: Request) -> Response:
    """/resolve?pmid=|pmcid=|doi=, or ?id= with any of the three -> 303 to the article's IRI, given
    as a path on this server (so the browser stays on whatever host and port it reached)."""
    names = (*_RESOLVABLE, "id")
    given = [(name, value) for name, value in request.query_params.multi_items() if name in names]
    if len(given) != 1:
        return error_page(request, 400, "give exactly one of ?id= (a PMID, DOI or PMCID), ?pmid=, ?pmcid= or ?doi=")
    name, raw = given[0]
    found = _guess(raw[:1000]) if name == "id" else (name, _RESOLVABLE[name][0](raw[:1000]))
    if found is None or found[1] is None:
        what = "a PMID, DOI or PMCID" if name == "id" else f"a well-formed {name.upper()}"
        return error_page(request, 400, f"'{raw[:200]}' is not {what} (a PMID is digits, a PMCID PMC and digits, "
                                        "a DOI starts 10.)")
    name, value = found
    predicate = str(_RESOLVABLE[name][1])
    store = request.app.state.store
    article = await app_work(request.app).page(
        lambda deadline: _find_article(Timed(store, deadline), predicate, value))
    if article is None:
        return error_page(request, 404, f"No article with {name.upper()} {value} in this dataset.")
    return Response(status_code=303, headers={"Location": local_href(request.app.state.settings.base_iri, article)})
