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
# The endpoint as the client reached it (TestClient's host), not the base IRI the data is minted under.
ENDPOINT = URIRef("http://testserver/sparql")


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


def test_service_description_names_the_endpoint_by_the_url_the_client_used(client):
    response = client.get("http://data.example.org:8123/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    endpoint = URIRef("http://data.example.org:8123/sparql")
    assert (endpoint, SD.endpoint, endpoint) in graph


def test_query_page_for_browsers(client):
    """The query page is YASGUI, served from the package under a strict policy (what it does in a
    browser is tests/test_browser_walk.py's)."""
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page = response.text
    assert "Articles and their titles" in page and "Look up a DOI" in page
    # Nothing is loaded from another site, and no script is inline.
    head = page.split("<body>")[0]
    assert "http://" not in head.replace("http://www.w3.org", "") and "https://" not in head
    assert all('src="/sparql/assets/' in tag for tag in head.split("<script")[1:])
    for asset, media in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css"),
                         ("sparql.js", "text/javascript"), ("sparql.css", "text/css")):
        assert f"/sparql/assets/{asset}" in page
        served = client.get(f"/sparql/assets/{asset}")
        assert served.status_code == 200 and served.headers["content-type"].startswith(media)
    assert b"sourceMappingURL" not in client.get("/sparql/assets/yasgui.min.js").content
    assert client.get("/sparql/assets/..%2F__init__.py").status_code == 404
    assert client.get("/sparql/assets/LICENSE").status_code == 404


def test_yasgui_is_vendored_with_its_licence():
    from pathlib import Path
    folder = Path(__file__).resolve().parent.parent / "rdfpub" / "web" / "static" / "yasgui"
    assert "MIT License" in (folder / "LICENSE").read_text()
    notes = (folder / "README.md").read_text()
    assert "@zazuko/yasgui` **4.6.2**" in notes
    assert "codemirror" in (folder / "THIRD_PARTY_LICENSES").read_text()
    # The minified bundle only: no source maps, nothing over a few MB.
    assert sorted(p.name for p in folder.iterdir()) == ["LICENSE", "README.md", "THIRD_PARTY_LICENSES",
                                                       "yasgui.min.css", "yasgui.min.js"]
    assert sum(p.stat().st_size for p in folder.iterdir()) < 1_500_000


def _examples_answer_with_rows(test_client, store):
    from rdfpub.web.service_description import examples, samples
    found = examples("http://localhost:8000", samples(store))
    for example in found:
        response = test_client.post("/sparql", data={"query": example["query"]})
        assert response.status_code == 200, (example["title"], response.text)
        assert response.json()["results"]["bindings"], example["title"]
    return [example["title"] for example in found]


def test_example_queries_answer_with_rows(client, seeded_store):
    # The seed is a page-text record: no MeSH headings, no authors, no year, so no example of those.
    titles = _examples_answer_with_rows(client, seeded_store)
    assert "Articles and their titles" in titles and "Look up a DOI" in titles
    page = client.get("/sparql", headers={"Accept": BROWSER}).text
    assert all(title.replace("(", "").split()[0] in page for title in titles)


def test_example_queries_answer_with_rows_on_other_data(fresh_settings):
    from rdfpub.pipeline import ingest
    from rdfpub.store.opening import open_store

    from conftest import DATA
    store = open_store(fresh_settings)
    ingest.run([DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed20n0001.xml.gz",
                DATA / "biopython__biopython__Tests__Entrez__pubmed7.xml"], fresh_settings, store)
    with TestClient(create_app(fresh_settings, store)) as test_client:
        titles = _examples_answer_with_rows(test_client, store)
    assert len(titles) == 6  # every kind of example: MeSH, citations, authors, DOI and years are all there


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
