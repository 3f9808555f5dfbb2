"""/sparql without a query (service description, query page), result caps, and the worker pool."""

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from rdfpub.web import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ENDPOINT = URIRef("http://localhost:8000/sparql")


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    (None, "turtle"), ("*/*", "turtle"), ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_service_description(client, accept, rdflib_format):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (ENDPOINT, RDF.type, SD.Service) in graph
    assert (ENDPOINT, SD.endpoint, ENDPOINT) in graph
    assert (ENDPOINT, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (ENDPOINT, SD.feature, SD.UnionDefaultGraph) in graph
    assert (ENDPOINT, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in graph
    default_graph = graph.value(graph.value(ENDPOINT, SD.defaultDataset), SD.defaultGraph)
    triples = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert graph.value(default_graph, VOID.triples) == Literal(int(triples["results"]["bindings"][0]["n"]["value"]))
    assert graph.value(default_graph, VOID.documents) == Literal(1)


def test_query_page_for_browsers(client):
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    for words in ("Articles by MeSH term", "Cited by", "Authors in order", "Look up a DOI"):
        assert words in page
    # Nothing is loaded from another site.
    assert "http://" not in page.split("<body>")[0].replace("http://www.w3.org", "")
    assert "https://" not in page
    for asset in ("sparql.js", "sparql.css"):
        assert f"sparql/assets/{asset}" in page
        served = client.get(f"/sparql/assets/{asset}")
        assert served.status_code == 200 and len(served.content) > 300
    assert client.get("/sparql/assets/..%2F__init__.py").status_code == 404


def test_example_queries_answer(client):
    from rdfpub.web.service_description import examples
    for example in examples("http://localhost:8000"):
        response = client.post("/sparql", data={"query": example["query"]})
        assert response.status_code == 200, (example["title"], response.text)
        # The seed is a page-text record, which names no MeSH headings and no authors.
        if example["title"] not in ("Articles by MeSH term", "Authors in order"):
            assert response.json()["results"]["bindings"], example["title"]


def test_a_browser_following_a_query_link_gets_the_page(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html") and 'data-run="yes"' in response.text
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


@pytest.fixture(scope="module")
def capped(settings, seeded_store):
    small = dataclasses.replace(settings, max_result_rows=3, max_response_bytes=1000, query_workers=2,
                                query_timeout=20)
    with TestClient(create_app(small, seeded_store)) as test_client:
        yield test_client


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_says_so_and_stays_valid(capped, fmt):
    response = capped.get("/sparql", params={"query": "SELECT ?s { ?s ?p ?o }", "format": fmt})
    assert response.status_code == 200
    assert response.headers["rdfpub-truncated"] == "max-result-rows=3"
    if fmt == "json":
        assert len(response.json()["results"]["bindings"]) == 3
    elif fmt == "xml":
        import xml.etree.ElementTree as ET
        assert len(ET.fromstring(response.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3
    else:
        assert len(response.text.splitlines()) == 4


def test_byte_cap_says_so(capped):
    response = capped.get("/sparql", params={"query": "SELECT ?o { ?s <http://purl.org/dc/terms/abstract> ?o }"})
    assert response.headers["rdfpub-truncated"] == "max-response-bytes=1000"
    assert len(response.content) <= 1000 and json.loads(response.content)["results"]["bindings"] == []
    construct = capped.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert construct.headers["rdfpub-truncated"] == "max-result-rows=3"
    assert len(Graph().parse(data=construct.content, format="nt")) == 3


def test_uncapped_results_say_nothing(client):
    response = client.get("/sparql", params={"query": "SELECT ?s { ?s ?p ?o }"})
    assert "rdfpub-truncated" not in response.headers and len(response.json()["results"]["bindings"]) > 300


def test_big_results_stream_from_a_file(settings, seeded_store):
    from rdfpub.web import result_writers
    big = dataclasses.replace(settings, query_workers=1)
    with TestClient(create_app(big, seeded_store)) as test_client:
        query = "SELECT * { ?a ?b ?c . ?d <http://purl.org/spar/fabio/hasPubMedId> ?e }"
        response = test_client.get("/sparql", params={"query": query, "format": "tsv"})
        assert len(response.content) > result_writers.INLINE_LIMIT
        assert int(response.headers["content-length"]) == len(response.content)
        pool = test_client.app.state.query_pool
        assert not list(__import__("pathlib").Path(pool.spool).iterdir())
        checkpoints = getattr(pool, "root", None)  # a remote store's pool has none: its server answers
    assert checkpoints is None or not checkpoints.exists()


def test_concurrent_service_descriptions_count_once(settings, seeded_store):
    import asyncio

    import httpx

    from rdfpub.web.sparql import query_pool

    app = create_app(settings, seeded_store)
    pool = query_pool(app)
    counted = []
    real = pool._count

    async def count(queries):
        counted.append(1)
        return await real(queries)

    pool._count = count

    async def body():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*[client.get("/sparql", headers={"Accept": "text/turtle"}) for _ in range(10)])

    try:
        responses = asyncio.run(body())
    finally:
        pool.close()
    assert [r.status_code for r in responses] == [200] * 10 and len({r.content for r in responses}) == 1
    assert counted == [1]
