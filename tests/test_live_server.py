"""End to end: `rdfpub serve` as a real uvicorn process on a free port, queried by real clients."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph

TITLE = "Glutamatergic Neurotransmission: Pathway to Developing Novel Rapid-Acting Antidepressant Treatments"
QUERY = ('SELECT ?t WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; '
         '<http://purl.org/dc/terms/title> ?t }')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    folder = tmp_path_factory.mktemp("live")
    env.update(RDFPUB_STORE=str(folder / "store"), RDFPUB_PORT=str(port))
    # The server's log goes to a file: a pipe nobody reads would fill up and stall the server.
    log_path = folder / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                raise RuntimeError("rdfpub serve did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def test_first_start_loads_the_seed_and_answers_get(server):
    with urllib.request.urlopen(f"{server}/sparql?" + urllib.parse.urlencode({"query": QUERY})) as response:
        body = json.load(response)
    assert [row["t"]["value"] for row in body["results"]["bindings"]] == [TITLE]


def test_post(server):
    request = urllib.request.Request(f"{server}/sparql", data=urllib.parse.urlencode({"query": QUERY}).encode(),
                                     method="POST")
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["results"]["bindings"][0]["t"]["value"] == TITLE


def test_dump_over_http(server):
    with urllib.request.urlopen(f"{server}/dump.ttl") as response:
        graph = Graph().parse(data=response.read(), format="turtle")
    assert len(graph) > 300


def test_sparqlwrapper_client(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(QUERY)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["t"]["value"] == TITLE


def test_rdflib_sparqlstore_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat="xml")
    graph = Graph(store=store)
    (row,) = list(graph.query(QUERY))
    assert str(row[0]) == TITLE
