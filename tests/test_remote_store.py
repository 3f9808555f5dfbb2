"""A remote store on a live `oxigraph serve`: parallel ingest processes over one server, and two stateless fronts."""

import os
import subprocess
import sys
import time

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import BASE, DATA, backend_settings
from rdfpub.errors import StoreError
from rdfpub.remote_store import RemoteStore
from rdfpub.settings import Settings
from rdfpub.stores import open_store
from servers import free_port, rdfpub_server

SAMPLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
XML_FIXTURES = sorted(p for p in DATA.iterdir() if p.name.endswith((".xml", ".xml.gz")))
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
    even, odd = XML_FIXTURES[0::2], XML_FIXTURES[1::2]
    copy = tmp / "zz-copy.xml"
    copy.write_bytes(SAMPLE.read_bytes())
    assert SAMPLE in odd
    one = backend_settings("oxigraph", tmp / "one", store_servers)
    two = backend_settings("oxigraph", tmp / "two", store_servers)
    single = _ingest([*XML_FIXTURES, copy], one.store, tmp, "single")
    halves = [_ingest([copy, *even], two.store, tmp, "even"), _ingest(odd, two.store, tmp, "odd")]
    for process in [single, *halves]:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1), err
    return open_store(one), open_store(two), two


def _pmids(paths) -> set[str]:
    import re
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
                                     ("/dump.nq", {}, "*/*")]:
            answers = [httpx.get(url + path, params=params, headers={"Accept": accept}, timeout=60) for url in urls]
            assert [a.status_code for a in answers] == [200, 200], path
            if accept == "text/turtle":  # same triples; a page's own order of statements may differ
                graphs = [Graph().parse(data=a.content, format="turtle") for a in answers]
                assert isomorphic(*graphs), path
            elif accept != "text/html":
                assert answers[0].content == answers[1].content, path
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


def test_graph_store_protocol_writes(tmp_path, store_servers):
    url = store_servers(tmp_path / "gsp").url
    store = RemoteStore(url, graph_store_url=url[: -len("query")] + "store")
    from rdfpub.store import GraphWrite
    store.apply([GraphWrite("http://example.org/g", '<http://example.org/a> <http://example.org/p> "x" .')])
    assert store.graph_count() == 1 and store.triple_count() == 1
    assert store.remove_graph("http://example.org/g") and store.is_empty()
    store.close()
