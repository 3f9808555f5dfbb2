"""Daily updates without taking the site down: `rdfpub ingest` and `rdfpub dump` on the store a live `rdfpub serve` holds."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from conftest import DATA
from servers import clean_environment, rdfpub_server

DAILY = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
LARGER = DATA / "net-synergy__pubmedparser__data__pubmed21n1005.xml.gz"
RECORDS = ("SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a ; "
           "<http://www.w3.org/ns/prov#generatedAtTime> ?t } }")
PER_GRAPH = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a } "
             "GROUP BY ?g")
NEW_ARTICLES = ("SELECT ?a WHERE { GRAPH ?g { ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a ; "
                "<http://purl.org/dc/terms/source> ?source } FILTER(CONTAINS(STR(?source), \"pubmed_sample\")) }")


def rdfpub(*args: str, store: Path, cwd: Path, **options) -> subprocess.CompletedProcess | subprocess.Popen:
    """`python -m rdfpub ARGS --store STORE` as its own process."""
    environment = clean_environment()
    command = [sys.executable, "-m", "rdfpub", *args, "--store", str(store)]
    if options.pop("background", False):
        return subprocess.Popen(command, env=environment, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=environment, cwd=cwd, capture_output=True, text=True, timeout=300)


def summary_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if " read, " in line)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish-while-serving")
    # A worker for each reader thread: no query waits for a worker, so none is judged slow by the
    # CPU it took while others waited (on a busy machine a count may take that long, and a query
    # judged slow is refused with 503 while the slow lane is full: right for a server, not what
    # this test is about).
    env = {"RDFPUB_STORE": str(folder / "store"), "RDFPUB_QUERY_WORKERS": str(Readers.THREADS),
           "RDFPUB_QUERY_TIMEOUT": "10"}
    with rdfpub_server(env, folder) as url:
        yield url, folder


def sparql(url: str, query: str) -> list[dict]:
    response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def count(url: str, query: str = RECORDS) -> int:
    return int(sparql(url, query)[0]["n"]["value"])


def void_counts(url: str) -> tuple[int, int]:
    graph = Graph().parse(data=httpx.get(f"{url}/.well-known/void.ttl", timeout=60).text, format="turtle")
    (dataset,) = [s for s in graph.subjects(VOID.documents, None)]
    assert (dataset, RDF.type, VOID.Dataset) in graph
    return int(graph.value(dataset, VOID.documents)), int(graph.value(dataset, VOID.triples))


def wait_for(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


class Readers:
    """Client threads asking the server for queries, pages, the description and dumps until stopped."""

    PATHS = ["/", "/.well-known/void", "/dump.nt", "/dump.ttl.gz", "/sparql?" + urlencode({"query": RECORDS})]

    THREADS = 4

    def __init__(self, url: str, threads: int = THREADS):
        self.url, self.stop = url, threading.Event()
        self.answers: Counter[int] = Counter()
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(threads)]

    def _read(self, number: int) -> None:
        with httpx.Client(timeout=60) as client:
            turn = number
            while not self.stop.is_set():
                path = self.PATHS[turn % len(self.PATHS)]
                turn += 1
                try:
                    response = client.get(self.url + path)
                    status = response.status_code
                except httpx.HTTPError as error:
                    self.failures.append(f"{path}: {error!r}")
                    continue
                self.answers[status] += 1
                if status != 200:
                    self.failures.append(f"{path}: {status} {response.text[:300]!r}")

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def test_ingest_and_dump_while_serving(live, tmp_path):
    url, folder = live
    store = folder / "store"
    records_before = count(url)
    void_before = void_counts(url)
    etag_before = httpx.get(f"{url}/dump.nt", timeout=60).headers["etag"]
    # The same run on an idle store, for what the command says and exits with.
    idle = rdfpub("ingest", str(DAILY), "--rejects", str(tmp_path / "idle-rejects.jsonl"), store=tmp_path / "idle",
                  cwd=tmp_path)
    with Readers(url) as readers:
        served = rdfpub("ingest", str(DAILY), "--rejects", str(tmp_path / "rejects.jsonl"), store=store, cwd=tmp_path)
        assert served.returncode == idle.returncode == 0, served.stderr
        assert summary_line(served.stderr) == summary_line(idle.stderr)
        assert not (tmp_path / "rejects.jsonl").exists() and not (tmp_path / "idle-rejects.jsonl").exists()
        published = int(summary_line(served.stderr).split(" published")[0].split(", ")[-1])
        assert published > 0
        # New records are in SPARQL answers within seconds, and on their pages at once.
        assert wait_for(lambda: count(url) == records_before + published, 60), count(url)
        article = sparql(url, NEW_ARTICLES)[0]["a"]["value"]
        page = httpx.get(url + "/" + article.split("/", 3)[3], headers={"Accept": "text/html"},
                         follow_redirects=True, timeout=30)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        # The description and the dumps follow once the run has ended.
        assert wait_for(lambda: void_counts(url)[0] == void_before[0] + published, 60), void_counts(url)
        etag_after = wait_for(lambda: (tag := httpx.get(f"{url}/dump.nt", timeout=60).headers["etag"]) != etag_before
                              and tag, 60)
        assert etag_after
        dumped = rdfpub("dump", "--output-format", "nt", "-o", str(tmp_path / "cli.nt"), store=store, cwd=tmp_path)
        assert dumped.returncode == 0, dumped.stderr
    assert not readers.failures, readers.failures[:10]
    assert sum(readers.answers.values()) > 20
    over_http = httpx.get(f"{url}/dump.nt", timeout=60)
    assert over_http.headers["etag"] == etag_after
    lines = sorted(over_http.content.splitlines())
    assert sorted((tmp_path / "cli.nt").read_bytes().splitlines()) == lines
    assert void_counts(url)[1] == len(lines) == count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def test_a_killed_ingest_leaves_whole_records_and_a_rerun_finishes(live, tmp_path):
    url, folder = live
    store = folder / "store"
    base = "http://localhost:" + url.rsplit(":", 1)[1]  # the server mints under its own address
    idle = rdfpub("ingest", str(LARGER), "--rejects", str(tmp_path / "idle.jsonl"), "--base-iri", base,
                  store=tmp_path / "idle", cwd=tmp_path)
    assert idle.returncode == 0, idle.stderr
    shutil.copy(LARGER, tmp_path / LARGER.name)  # the same file name: the same provenance
    expected = {row["g"]["value"]: int(row["n"]["value"]) for row in _per_graph_idle(tmp_path / "idle", tmp_path)}
    before = {row["g"]["value"] for row in sparql(url, PER_GRAPH)}
    run = rdfpub("ingest", "--verbose", "--batch-size", "1", "--workers", "1", str(tmp_path / LARGER.name),
                 "--rejects", str(tmp_path / "rejects.jsonl"), store=store, cwd=tmp_path, background=True)
    committed = 0
    for line in run.stderr:
        committed += line.startswith("published:")
        if committed >= 3:
            break
    run.send_signal(signal.SIGKILL)
    run.wait(30)
    run.stdout.close()
    run.stderr.close()
    # The last checkpoint reaches the query workers: at least the 3 records seen published.
    wait_for(lambda: len({row["g"]["value"] for row in sparql(url, PER_GRAPH)} - before) >= 3)
    partial = {row["g"]["value"]: int(row["n"]["value"]) for row in sparql(url, PER_GRAPH)}
    new = set(partial) - before
    assert 3 <= len(new) < len(expected), len(new)
    for graph in new:  # each record there whole: as many triples as the same record stored idle
        assert partial[graph] == expected[graph], graph
    assert httpx.get(f"{url}/", timeout=30).status_code == 200
    rerun = rdfpub("ingest", str(tmp_path / LARGER.name), "--rejects", str(tmp_path / "rejects.jsonl"),
                   store=store, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(new)} unchanged" in summary_line(rerun.stderr)
    assert wait_for(lambda: set(expected) <= {row["g"]["value"] for row in sparql(url, PER_GRAPH)}, 60)
    final = {row["g"]["value"]: int(row["n"]["value"]) for row in sparql(url, PER_GRAPH)}
    assert {graph: final[graph] for graph in expected} == expected


def _per_graph_idle(idle_store: Path, cwd: Path) -> list[dict]:
    """Triples per record graph of a store nobody serves, read from its N-Quads dump."""
    dumped = rdfpub("dump", "--output-format", "nq", "-o", str(cwd / "idle.nq"), store=idle_store, cwd=cwd)
    assert dumped.returncode == 0, dumped.stderr
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(cwd / "idle.nq", format="nquads")
    topic = URIRef("http://xmlns.com/foaf/0.1/primaryTopic")
    return [{"g": {"value": str(graph.identifier)}, "n": {"value": str(len(graph))}}
            for graph in dataset.graphs() if (graph.identifier, topic, None) in graph]
