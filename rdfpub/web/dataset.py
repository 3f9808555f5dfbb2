"""The dataset description (VoID + DCAT) at /.well-known/void, counted by SPARQL over the store; /dataset 303s to it."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib.namespace import DCTERMS, PROV, RDF

from rdfpub.iris import Iris
from rdfpub.mapping.description import LINKSETS, DatasetStats, Distribution, dataset_graph
from rdfpub.store.embedded import Store
from rdfpub.vocab import FABIO
from rdfpub.web.deadlines import app_work
from rdfpub.web.documents import Document, respond
from rdfpub.web.dumps import dump_cache
from rdfpub.web.formats import FORMATS, from_rdflib
from rdfpub.web.pages import Index
from rdfpub.web.void_page import void_view

router = APIRouter()

_EXAMPLES = 3


def _number(store: Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def _pairs(store: Store, query: str, key: str) -> list[tuple[str, int]]:
    return [(row[key].value, int(row["n"].value)) for row in store.query(query)]


def linkset_query(predicate: str, space: str) -> str:
    """Distinct links by `predicate` into the IRI space `space` (one void:Linkset's void:triples)."""
    return (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{predicate}> ?o "
            f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), {ox.Literal(space)})) }} }}")


def entities_query(uri_space: str) -> str:
    return (f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(uri_space)})) }}")


CLASSES_QUERY = f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c }} GROUP BY ?c ORDER BY ?c"
# Each triple is in one graph only (rdfpub/store/shared_graph.py), so the union's rows are distinct triples.
PROPERTIES_QUERY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def compute_stats(store: Store, iris: Iris, distributions: list[Distribution]) -> DatasetStats:
    """Every count of the description, each one SPARQL query over the union of the record graphs."""
    examples = [row["a"].value for row in store.query(
        f"SELECT ?a WHERE {{ ?a <{FABIO.hasPubMedId}> ?pmid ; <{DCTERMS.title}> ?title }} "
        f"ORDER BY ?a LIMIT {_EXAMPLES}")]
    modified = next(iter(store.query(f"SELECT (MAX(?t) AS ?m) WHERE {{ ?g <{PROV.generatedAtTime}> ?t }}")))["m"]
    return DatasetStats(
        records=store.graph_count(),
        triples=store.triple_count(),
        entities=_number(store, entities_query(iris.local("/"))),
        distinct_subjects=_number(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        distinct_objects=_number(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        classes=_pairs(store, CLASSES_QUERY, "c"),
        properties=_pairs(store, PROPERTIES_QUERY, "p"),
        linksets={name: _number(store, linkset_query(str(predicate), space))
                  for name, (predicate, space, _) in LINKSETS.items()},
        examples=examples,
        modified=modified.value if modified is not None else None,
        distributions=distributions,
    )


def _compute_description(state, cache) -> list[ox.Triple]:
    """The description's triples: every count, and the dumps (made first if missing) with their sizes."""
    iris = Iris(state.settings.base_iri)
    distributions = [Distribution(d.name, d.media_type, d.gzipped, d.size, d.sha256) for d in cache.served()]
    graph = dataset_graph(iris, compute_stats(state.store, iris, distributions), state.settings.title,
                          state.settings.license)
    return from_rdflib(graph)


async def _description(request: Request) -> list[ox.Triple]:
    """The description's triples, made once per store state (counting and dumping read the whole
    store) however many ask for it at once; a request waits for them up to its deadline."""
    state = request.app.state
    cache = dump_cache(request)
    work = app_work(request.app)
    # The files described are those served: the previous state's while the current one's are made.
    key = await work.page(lambda deadline: (cache.state(), cache.served_folders()))
    return await work.shared(("void", key), lambda: _compute_description(state, cache), "the dataset description")


async def _void(request: Request, extension: str | None) -> Response:
    state = request.app.state
    iris = Iris(state.settings.base_iri)
    triples = await _description(request)

    def html(context: dict) -> tuple[str, dict]:
        view = void_view(Index(triples, iris, state.prefixes), iris.dataset())
        return "void.html", dict(context, view=view, page_title=view["title"], iri=iris.dataset(),
                                     incoming_total=0, schema={"@context": "https://schema.org", "@type": "Dataset",
                                                               "@id": iris.dataset(), "name": view["title"],
                                                               "license": state.settings.license})

    return respond(request, Document("/.well-known/void", triples, html, topic=iris.dataset()), extension)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
async def void(request: Request) -> Response:
    return await _void(request, None)


def _void_in(extension: str):
    async def void_format(request: Request) -> Response:
        return await _void(request, extension)
    return void_format


for _extension in FORMATS:
    router.add_api_route(f"/.well-known/void.{_extension}", _void_in(_extension), methods=["GET", "HEAD"],
                         include_in_schema=False)


@router.api_route("/dataset", methods=["GET", "HEAD"], include_in_schema=False)
def dataset(request: Request) -> Response:
    """The dataset is a thing: its IRI 303s to the document that describes it."""
    return Response(status_code=303, headers={"Location": "/.well-known/void", "Vary": "Accept"})
