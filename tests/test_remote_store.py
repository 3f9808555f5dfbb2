"""A remote store on live servers: what it holds equals the embedded store's; parallel ingest processes over one
`oxigraph serve`, and two stateless fronts."""

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from rdfpub.errors import StoreError
from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.embedded import GraphWrite
from rdfpub.store.opening import open_store
from rdfpub.store.remote.client import AnswerCut, RemoteStore

from conftest import BASE, DATA, backend_settings
from servers import SERVERS, free_port, rdfpub_server, remote_store

SAMPLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
XML_FIXTURES = sorted(p for p in DATA.iterdir() if p.name.endswith((".xml", ".xml.gz")))
XSD = "http://www.w3.org/2001/XMLSchema#"
GENERATED = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
INPUTS = sorted(p for p in DATA.iterdir() if p.is_file() and p.name != "README.md")
DIGESTS = f"SELECT ?g ?d {{ GRAPH ?g {{ ?g <{BASE}/vocab#contentDigest> ?d }} }}"


def _env(store: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    return dict(env, RDFPUB_STORE=store, RDFPUB_BASE_IRI=BASE)


def _ingest(paths, store: str, tmp_path, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rdfpub", "ingest", *map(str, paths), "--quiet",
                             "--workers", "1", "--rejects", str(tmp_path / f"{name}.jsonl")],
                            env=_env(store), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _digests(store) -> dict[str, str]:
    return {row["g"].value: row["d"].value for row in store.query(DIGESTS)}


def _sources(store) -> dict[str, str]:
    rows = store.query("SELECT ?g ?s { GRAPH ?g { ?g <http://purl.org/dc/terms/source> ?s } }")
    return {row["g"].value: row["s"].value for row in rows}


@pytest.fixture(scope="module")
def parallel(tmp_path_factory, store_servers):
    """The XML fixtures ingested by one process into one server, and by two processes over
    disjoint halves into another, at the same time. A renamed copy of the odd half's records sits
    in the even half, so both processes write the same PMIDs, and the copy's later name must win."""
    tmp = tmp_path_factory.mktemp("parallel")
    others = [path for path in XML_FIXTURES if path != SAMPLE]
    even, odd = others[0::2], [SAMPLE, *others[1::2]]
    copy = tmp / "zz-copy.xml"
    copy.write_bytes(SAMPLE.read_bytes())
    one = backend_settings("oxigraph", tmp / "one", store_servers)
    two = backend_settings("oxigraph", tmp / "two", store_servers)
    single = _ingest([*XML_FIXTURES, copy], one.store, tmp, "single")
    halves = [_ingest([copy, *even], two.store, tmp, "even"), _ingest(odd, two.store, tmp, "odd")]
    for process in [single, *halves]:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1), err
    return open_store(one), open_store(two), two


def _holdings(store) -> tuple:
    """Everything a store tells of its records: counts, its dumps parsed term by term (a literal's
    lexical form, datatype and language tag must match exactly) but for the time each record was
    written, and those times."""
    quads = set(ox.parse(b"".join(store.dump("nq")), format=ox.RdfFormat.N_QUADS))
    times = {quad.graph_name.value: quad.object.value for quad in quads if quad.predicate == GENERATED}
    triples = {quad.triple for quad in ox.parse(b"".join(store.dump("nt")), format=ox.RdfFormat.N_TRIPLES)}
    return (store.graph_count(), store.triple_count(), {quad for quad in quads if quad.predicate != GENERATED},
            {triple for triple in triples if triple.predicate != GENERATED}, times)


def _ingest_timed(settings) -> tuple:
    """Ingests INPUTS; the summary, what the store holds, and the run's start and end in UTC."""
    store = open_store(settings)
    start = datetime.now(timezone.utc).replace(microsecond=0)
    summary = ingest.run(INPUTS, settings, store, workers=1)
    end = datetime.now(timezone.utc)
    return summary, _holdings(store), (start, end), store


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return _ingest_timed(backend_settings("embedded", tmp_path_factory.mktemp("embedded"), None))[:2]


@pytest.mark.parametrize("any_settings", ["oxigraph", "virtuoso"], indirect=True)
def test_a_server_holds_what_the_embedded_store_holds(embedded, any_settings):
    (expected_summary, expected), (summary, holdings, (start, end), store) = embedded, _ingest_timed(any_settings)
    assert (summary.published, summary.rejected) == (expected_summary.published, expected_summary.rejected)
    graphs, triples, quads, dumped_triples, times = holdings
    assert (graphs, triples) == expected[:2] and graphs > 90 and triples > 30_000
    assert quads == expected[2]
    assert dumped_triples == expected[3]
    # Each record's write time, in the form the mapping writes it, within the run (no shifted zone).
    assert set(times) == set(expected[4])
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", time) for time in times.values())
    assert all(start <= datetime.fromisoformat(time) <= end for time in times.values())
    store.close()


def _pmids(paths) -> set[str]:
    return {pmid for path in paths for pmid in re.findall(r"<PMID[^>]*>(\d+)</PMID>", _text(path))}


def _text(path) -> str:
    import gzip
    data = path.read_bytes()
    return (gzip.decompress(data) if path.name.endswith(".gz") else data).decode("utf-8")


def test_two_ingest_processes_leave_what_one_would(parallel):
    single, split, _ = parallel
    expected, got = _digests(single), _digests(split)
    assert len(expected) > 40
    assert got == expected  # graph by graph: each digest covers all of its graph but the load time
    shared = _pmids([SAMPLE])
    assert {source for g, source in _sources(split).items() if g.rsplit("/", 1)[1] in shared} == {"zz-copy.xml"}


def test_two_fronts_answer_alike(parallel, tmp_path):
    _, _, settings = parallel
    env = {"RDFPUB_STORE": settings.store, "RDFPUB_BASE_IRI": BASE}
    with rdfpub_server(env, tmp_path) as first, rdfpub_server(env, tmp_path) as second:
        urls = [first, second]
        query = ("SELECT ?a ?t WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> ?p ; "
                 "<http://purl.org/dc/terms/title> ?t } ORDER BY ?a LIMIT 50")
        pmid = "32048627"
        for path, params, accept in [("/sparql", {"query": query}, "text/csv"),
                                     ("/sparql", {"query": query}, "application/sparql-results+json"),
                                     (f"/doc/pubmed/{pmid}", {}, "text/turtle"),
                                     (f"/doc/pubmed/{pmid}", {}, "text/html"),
                                     ("/.well-known/void", {}, "text/turtle"),
                                     ("/dump.nq", {}, "*/*")]:
            answers = [httpx.get(url + path, params=params, headers={"Accept": accept}, timeout=60) for url in urls]
            assert [a.status_code for a in answers] == [200, 200], path
            if accept == "text/turtle":
                assert len(Graph().parse(data=answers[0].content, format="turtle")) > 20, path
            assert answers[0].content == answers[1].content, path  # byte for byte, pages included
            assert answers[0].headers.get("etag") == answers[1].headers.get("etag")


def test_an_unreachable_store_says_so():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach the store"):
        store.graph_count()
    store.close()


def test_a_store_url_stays_a_url():
    settings = Settings.load(environ={"RDFPUB_STORE": "http://127.0.0.1:7878/query"})
    assert settings.store == "http://127.0.0.1:7878/query"
    store = open_store(settings)
    assert isinstance(store, RemoteStore) and store.update_url == "http://127.0.0.1:7878/update"
    store.close()


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_graph_store_protocol_writes(tmp_path, kind):
    server = SERVERS[kind](tmp_path / "gsp")
    try:
        store = remote_store(server, graph_store_url=server.graph_store_url)
        graph = "http://example.org/g"
        store.apply([GraphWrite(graph, '<http://example.org/a> <http://example.org/p> "x" .')])
        store.apply([GraphWrite(graph, '<http://example.org/a> <http://example.org/p> "Überblick"@de .\n'
                                       '<http://example.org/a> <http://example.org/q> "y" .')])  # PUT replaces
        assert store.graph_count() == 1 and store.triple_count() == 2
        (row,) = store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s <http://example.org/p> ?o }} }}")
        assert row["o"] == ox.Literal("Überblick", language="de")
        assert store.remove_graph(graph) and store.is_empty()
        store.apply([graph])  # removing a graph that is gone already is no error
        store.close()
    finally:
        server.stop()


@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_counts_and_dumps_keep_to_the_record_graphs(tmp_path, kind):
    """A server holding another graph beside 150 record graphs, and (Virtuoso) sending at most 100
    rows per answer: counts and dumps hold the record graphs, all of them, and nothing else."""
    server = SERVERS[kind](tmp_path / "server", **({"max_rows": 100} if kind == "virtuoso" else {}))
    try:
        records = f"{BASE}/graph/"
        writes = [GraphWrite(f"{records}pubmed/{n}", f'<{BASE}/pubmed/{n}> <{BASE}/vocab#n> "{n}"^^<{XSD}integer> .\n'
                                                     f'<{BASE}/pubmed/{n}> <{BASE}/vocab#flag> "true"^^<{XSD}boolean> .')
                  for n in range(150)]
        everything = remote_store(server)
        everything.apply([*writes, GraphWrite("http://example.org/other", '<http://example.org/a> <http://example.org/b> "1" .')])
        store = remote_store(server, record_graphs=records)
        assert not store.is_empty() and (store.graph_count(), store.triple_count()) == (150, 300)
        assert (everything.graph_count(), everything.triple_count()) == (151, 301)
        quads = set(ox.parse(b"".join(store.dump("nq")), format=ox.RdfFormat.N_QUADS))
        expected = {ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(write.graph_iri)) for write in writes
                    for q in ox.parse(write.ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)}
        assert quads == expected and len(quads) == 300
        if kind == "virtuoso":  # a query the server cuts fails rather than answer in part
            with pytest.raises(AnswerCut, match="first 100 rows"):
                store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.apply([write.graph_iri for write in writes])
        assert store.is_empty() and not everything.is_empty()
        store.close(), everything.close()
    finally:
        server.stop()


@pytest.mark.parametrize("any_settings", ["oxigraph", "virtuoso"], indirect=True)
def test_a_record_of_many_triples_is_written_whole(any_settings):
    """A record with thousands of authors or references: Virtuoso's parser gives up on a block of
    about 5,000 triples in one INSERT DATA, so a big graph goes in several blocks of one request."""
    store = open_store(any_settings)
    graph = f"{BASE}/graph/pubmed/1"
    lines = [f'<{BASE}/pubmed/1/author/{n}> <http://xmlns.com/foaf/0.1/name> "Author {n}" .' for n in range(12_000)]
    store.apply([GraphWrite(graph, "\n".join(lines))])
    assert (store.graph_count(), store.triple_count()) == (1, 12_000)
    store.close()
