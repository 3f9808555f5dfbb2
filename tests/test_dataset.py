"""Dumps served as cached files (gzip, ETag, 304, ranges) and the VoID/DCAT description, checked against SPARQL counts."""

import gzip
import hashlib

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, OWL, RDF, VOID, XSD

from rdfpub.mapping.description import LINKSETS
from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_store
from rdfpub.web import create_app
from rdfpub.web.dataset import CLASSES_QUERY, PROPERTIES_QUERY, entities_query, linkset_query

from conftest import BACKENDS, BASE, DATA, SEEDS, backend_settings, jsonld_graph

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(f"{BASE}/dataset")
FILES = ["biopython__biopython__Tests__Entrez__pubmed1.xml", "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml"]


@pytest.fixture(scope="module", params=BACKENDS)
def store_settings(request, tmp_path_factory, store_servers):
    settings = backend_settings(request.param, tmp_path_factory.mktemp("described"), store_servers)
    store = open_store(settings)
    summary = ingest.run([SEEDS, *(DATA / name for name in FILES)], settings, store, workers=1)
    assert summary.published >= 3 and not summary.rejected
    return store, settings


@pytest.fixture(scope="module")
def app(store_settings):
    store, settings = store_settings
    with TestClient(create_app(settings, store)) as client:
        yield client


@pytest.fixture(scope="module")
def void(app):
    response = app.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-location"] == "/.well-known/void.ttl"
    return Graph().parse(data=response.content, format="turtle")


def _stored_triples(store):
    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        datatype = t.datatype.value
        return Literal(t.value, lang=t.language) if t.language else Literal(
            t.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    return {(term(r["s"]), term(r["p"]), term(r["o"])) for r in store.query("SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")}


def _number(store, query):
    return int(next(iter(store.query(query)))["n"].value)


@pytest.mark.parametrize("name, rdflib_format", [("dump.ttl.gz", "turtle"), ("dump.nt.gz", "nt"),
                                                 ("dump.ttl", "turtle"), ("dump.nt", "nt")])
def test_dumps_hold_exactly_the_stores_triples(app, store_settings, name, rdflib_format):
    response = app.get(f"/{name}")
    assert response.status_code == 200
    body = gzip.decompress(response.content) if name.endswith(".gz") else response.content
    if name.endswith(".gz"):
        assert response.headers["content-type"] == "application/gzip"
    assert int(response.headers["content-length"]) == len(response.content)
    assert set(Graph().parse(data=body, format=rdflib_format)) == _stored_triples(store_settings[0])


def test_nquads_dump_keeps_one_graph_per_record(app, store_settings):
    store = store_settings[0]
    quads = list(ox.parse(gzip.decompress(app.get("/dump.nq.gz").content), format=ox.RdfFormat.N_QUADS))
    rows = list(store.query("SELECT ?g ?s ?p ?o { GRAPH ?g { ?s ?p ?o } }"))
    assert {q.graph_name.value for q in quads} == {row["g"].value for row in rows}
    assert len(set(quads)) == len(rows)


def test_conditional_get_and_ranges(app):
    first = app.get("/dump.ttl.gz")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert app.get("/dump.ttl.gz").headers["etag"] == etag  # stable while the store does not change
    again = app.get("/dump.ttl.gz", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert app.get("/dump.ttl.gz", headers={"If-None-Match": '"other"'}).status_code == 200
    assert app.get("/dump.ttl.gz", headers={"If-Modified-Since": modified}).status_code == 304
    part = app.get("/dump.ttl.gz", headers={"Range": "bytes=10-99"})
    assert part.status_code == 206 and part.content == first.content[10:100]
    assert part.headers["content-range"] == f"bytes 10-99/{len(first.content)}"
    resumed = app.get("/dump.ttl.gz", headers={"Range": "bytes=100-", "If-Range": etag})
    assert resumed.status_code == 206 and first.content[:100] + resumed.content == first.content
    head = app.head("/dump.nt")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_preconditions_that_refuse(app):
    first = app.get("/dump.nt.gz")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for headers in ({"If-Match": '"not-this-one"'}, {"If-Match": f"W/{etag}"},
                    {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
                    {"If-Match": '"other"', "Range": "bytes=0-9"}):
        refused = app.get("/dump.nt.gz", headers=headers)
        assert refused.status_code == 412 and refused.headers["etag"] == etag, headers
    for headers in ({"If-Match": etag}, {"If-Match": f'"other", {etag}'}, {"If-Match": "*"},
                    {"If-Unmodified-Since": modified}, {"If-Unmodified-Since": "not a date"},
                    # If-Match wins over If-Unmodified-Since (RFC 9110, section 13.2.2)
                    {"If-Match": etag, "If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}):
        assert app.get("/dump.nt.gz", headers=headers).content == first.content, headers
    part = app.get("/dump.nt.gz", headers={"If-Match": etag, "Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == first.content[:10]


def test_dumps_are_cached_beside_the_store(app, store_settings):
    app.get("/dump.nt")
    if isinstance(store_settings[1].store, str):  # a remote store's front keeps them in a folder of its own
        folder = app.app.state.dump_cache.folder
    else:
        folder = store_settings[1].store.parent / (store_settings[1].store.name + "-dumps")
    assert any(folder.rglob("dump.nt")) and any(folder.rglob("dump.nt.gz"))


def test_void_counts_equal_sparql_counts(void, store_settings):
    store = store_settings[0]
    assert void.value(DATASET, VOID.triples).toPython() == store.triple_count()
    assert void.value(DATASET, VOID.entities).toPython() == _number(store, entities_query(BASE + "/"))
    classes = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
               for p in void.objects(DATASET, VOID.classPartition)}
    assert classes == {URIRef(r["c"].value): int(r["n"].value) for r in store.query(CLASSES_QUERY)}
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                  for p in void.objects(DATASET, VOID.propertyPartition)}
    assert properties == {URIRef(r["p"].value): int(r["n"].value) for r in store.query(PROPERTIES_QUERY)}
    assert sum(properties.values()) == store.triple_count()


def test_void_linksets(void, store_settings):
    store = store_settings[0]
    linksets = {str(ls).rsplit("#linkset-", 1)[1]: ls for ls in void.subjects(RDF.type, VOID.Linkset)}
    assert set(linksets) == set(LINKSETS)
    for name, (predicate, space, _) in LINKSETS.items():
        linkset = linksets[name]
        assert void.value(linkset, VOID.linkPredicate) == predicate
        assert void.value(linkset, VOID.subjectsTarget) == DATASET
        assert str(void.value(void.value(linkset, VOID.objectsTarget), VOID.uriSpace)) == space
        assert void.value(linkset, VOID.triples).toPython() == _number(store, linkset_query(str(predicate), space))
    assert void.value(linksets["doi"], VOID.triples).toPython() > 0
    assert void.value(linksets["orcid"], VOID.linkPredicate) == OWL.sameAs
    assert void.value(linksets["mesh"], VOID.triples).toPython() > 0


def test_void_describes_the_service(void):
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}/sparql")
    assert str(void.value(DATASET, VOID.uriSpace)) == f"{BASE}/"
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    examples = list(void.objects(DATASET, VOID.exampleResource))
    assert examples and all(str(e).startswith(f"{BASE}/pubmed/") for e in examples)


def test_dcat_distributions_match_the_files(app, void):
    distributions = set(void.objects(DATASET, DCAT.distribution))
    assert {str(d)[len(BASE) + 1:] for d in distributions} == {
        "dump.ttl", "dump.nt", "dump.nq", "dump.ttl.gz", "dump.nt.gz", "dump.nq.gz"}
    assert set(void.objects(DATASET, VOID.dataDump)) == distributions
    for distribution in distributions:
        body = app.get(str(distribution)[len(BASE):]).content
        assert void.value(distribution, DCAT.byteSize).toPython() == len(body)
        checksum = void.value(distribution, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert void.value(distribution, DCAT.mediaType) is not None
        assert void.value(distribution, URIRef("http://purl.org/dc/terms/license")) is not None


def test_dataset_iri_303s_to_the_description(app):
    response = app.get("/dataset", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/.well-known/void"
    page = app.get("/.well-known/void", headers={"Accept": "text/html,application/xml;q=0.9"})
    assert page.headers["content-type"].startswith("text/html") and "dump.ttl.gz" in page.text
    jsonld = app.get("/.well-known/void.jsonld")
    assert len(jsonld_graph(app, jsonld.content)) > 50
