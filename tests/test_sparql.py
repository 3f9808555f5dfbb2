"""The /sparql route through the app: protocol cases, result formats parsed with real parsers."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef

TITLE = "Glutamatergic Neurotransmission: Pathway to Developing Novel Rapid-Acting Antidepressant Treatments"
TITLE_QUERY = ('SELECT ?t WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; '
               '<http://purl.org/dc/terms/title> ?t }')
CONSTRUCT = ('CONSTRUCT { ?a <http://purl.org/dc/terms/title> ?t } WHERE { '
             '?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; <http://purl.org/dc/terms/title> ?t }')
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def _titles(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return [row["t"]["value"] for row in response.json()["results"]["bindings"]]


def test_get(client):
    assert _titles(client.get("/sparql", params={"query": TITLE_QUERY})) == [TITLE]


def test_post_form(client):
    assert _titles(client.post("/sparql", data={"query": TITLE_QUERY})) == [TITLE]


def test_post_direct(client):
    response = client.post("/sparql", content=TITLE_QUERY.encode(),
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert _titles(response) == [TITLE]


def test_json_is_the_default_and_exact(client):
    body = client.get("/sparql", params={"query": TITLE_QUERY}).json()
    assert body == {"head": {"vars": ["t"]},
                    "results": {"bindings": [{"t": {"type": "literal", "value": TITLE}}]}}


def test_xml_results(client):
    response = client.get("/sparql", params={"query": TITLE_QUERY},
                          headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(response.content)
    assert root.tag == SPARQL_RESULTS + "sparql"
    assert [v.get("name") for v in root.iter(SPARQL_RESULTS + "variable")] == ["t"]
    assert [lit.text for lit in root.iter(SPARQL_RESULTS + "literal")] == [TITLE]


def test_csv_and_tsv_results(client):
    csv_text = client.get("/sparql", params={"query": TITLE_QUERY}, headers={"Accept": "text/csv"}).text
    assert list(csv.reader(io.StringIO(csv_text))) == [["t"], [TITLE]]
    tsv = client.get("/sparql", params={"query": TITLE_QUERY, "format": "tsv"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines() == ["?t", f'"{TITLE}"']


def test_ask(client):
    response = client.get("/sparql", params={"query": 'ASK { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" }'})
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_formats(client, accept, rdflib_format):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert set(graph) == {(URIRef("http://localhost:8000/pubmed/30445512"),
                           URIRef("http://purl.org/dc/terms/title"), Literal(TITLE))}


def test_non_ascii_literal_survives(client):
    query = ('SELECT ?abstract WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; '
             '<http://purl.org/dc/terms/abstract> ?abstract FILTER(CONTAINS(?abstract, "α-amino")) }')
    (row,) = client.post("/sparql", data={"query": query}).json()["results"]["bindings"]
    assert "α-amino-3-hydroxy" in row["abstract"]["value"]


def test_default_graph_uri_restricts_the_dataset(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    own = client.get("/sparql", params={"query": query,
                                        "default-graph-uri": "http://localhost:8000/graph/pubmed/30445512"})
    other = client.get("/sparql", params={"query": query, "default-graph-uri": "http://localhost:8000/graph/none"})
    assert int(own.json()["results"]["bindings"][0]["n"]["value"]) > 300
    assert int(other.json()["results"]["bindings"][0]["n"]["value"]) == 0


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"params": {}}, 400, "no query"),
    ({"params": {"query": "SELEC ?x"}}, 400, "not valid SPARQL"),
    ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "more than one query"),
    ({"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, 400, "SERVICE"),
    ({"params": {"update": "DROP ALL"}}, 403, "read-only"),
    ({"params": {"query": "DROP ALL"}}, 400, "not valid SPARQL"),
    ({"params": {"query": TITLE_QUERY}, "headers": {"Accept": "image/png"}}, 406, "available"),
    ({"params": {"query": TITLE_QUERY, "format": "yaml"}}, 400, "format 'yaml'"),
])
def test_bad_get_requests(client, kwargs, status, words):
    response = client.get("/sparql", **kwargs)
    assert response.status_code == status
    assert words in response.text


def test_bad_post_requests(client):
    assert client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    update = client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert update.status_code == 403
    bad_utf8 = client.post("/sparql", content=b"ASK { ?s ?p \"\xff\" }",
                           headers={"Content-Type": "application/sparql-query"})
    assert bad_utf8.status_code == 400 and "UTF-8" in bad_utf8.text
    form_update = client.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert form_update.status_code == 403


def test_non_utf8_query_string(client):
    response = client.get("/sparql?query=ASK%20%7B%7D%FF")
    assert response.status_code == 400 and "UTF-8" in response.text


def test_store_is_unchanged_by_update_attempts(client):
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    before = client.get("/sparql", params={"query": count}).json()
    client.post("/sparql", data={"update": "DROP ALL"})
    client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert client.get("/sparql", params={"query": count}).json() == before


def test_cors(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["vary"].startswith("Accept")


def test_errors_are_plain_text_with_cors(client):
    response = client.get("/sparql", params={"query": "nonsense"}, headers={"Origin": "https://example.org"})
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "*"
    assert json.dumps  # the body is text, not JSON
    assert response.headers["content-type"].startswith("text/plain")
