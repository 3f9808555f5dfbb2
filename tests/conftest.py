"""Shared fixtures: the seed record, a store built from seeds/ on disk, and the app over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_store
from rdfpub.web import create_app

from servers import SERVERS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_7cbb9b727fab6d7b.txt"
DATA = Path(__file__).resolve().parent / "data"
BASE = "http://localhost:8000"


# Every behaviour tested over a store runs on the embedded store, on a live `oxigraph serve` and on
# a live Virtuoso; a server that is not installed skips its tests (tests/servers.py says which).
BACKENDS = ["embedded", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def store_servers():
    """Starts a store server of a kind (`SERVERS`) per call, each test data set its own; stops them
    all at the end of the session (a test may stop its own sooner)."""
    servers = []

    def start(folder: Path, kind: str = "oxigraph"):
        servers.append(SERVERS[kind](folder))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def backend_settings(backend: str, folder: Path, store_servers) -> Settings:
    """Settings over an empty store of this backend in `folder`: a directory, or a new server."""
    if backend == "embedded":
        return Settings.load(environ={}, store=folder / "store", base_iri=BASE)
    return Settings.load(environ={}, base_iri=BASE, **store_servers(folder / "server", backend).settings)


@pytest.fixture(scope="session", params=BACKENDS)
def settings(request, tmp_path_factory: pytest.TempPathFactory, store_servers) -> Settings:
    return backend_settings(request.param, tmp_path_factory.mktemp("seed-store"), store_servers)


@pytest.fixture
def any_settings(request, tmp_path: Path, store_servers) -> Settings:
    """An empty store of the backend the test is parametrized with (indirect `backend`); its
    server, if it has one, stops with the test."""
    started = []

    def start(folder: Path, kind: str):
        started.append(store_servers(folder, kind))
        return started[-1]

    yield backend_settings(getattr(request, "param", "embedded"), tmp_path, start)
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def seeded_store(settings: Settings) -> Store:
    store = open_store(settings)
    summary = ingest.run([SEEDS], settings, store)
    assert summary.published == 1 and not summary.rejected
    yield store
    getattr(store, "close", lambda: None)()


@pytest.fixture(scope="session")
def client(settings: Settings, seeded_store: Store) -> TestClient:
    with TestClient(create_app(settings, seeded_store)) as test_client:
        yield test_client


# The store the dereferencing tests (test_linked_data, test_pages, test_browse) read: the seeds and two
# small PubMed files, on every backend. Here rather than in one of those modules so it is built once a
# session: a fixture imported into a module is registered again there, and built again for it.
LINKED_FILES = ["biopython__biopython__Tests__Entrez__pubmed1.xml",
                "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"]


@pytest.fixture(scope="session", params=BACKENDS)
def linked_settings(request, tmp_path_factory, store_servers) -> Settings:
    return backend_settings(request.param, tmp_path_factory.mktemp("linked"), store_servers)


@pytest.fixture(scope="session")
def linked_store(linked_settings) -> Store:
    store = open_store(linked_settings)
    summary = ingest.run([SEEDS, *(DATA / name for name in LINKED_FILES)], linked_settings, store, workers=1)
    assert summary.published >= 5 and not summary.rejected
    return store


@pytest.fixture(scope="module")
def app(linked_settings, linked_store):
    """The app over `linked_store` (a module may define its own `app` over another store)."""
    with TestClient(create_app(linked_settings, linked_store)) as client:
        yield client


# The whole development data set, beside the checkout in shared/ (tests that use it skip without it).
DEVELOPMENT = ROOT.parent / "shared" / "data" / "pubmed"


@pytest.fixture(scope="session")
def development_store(tmp_path_factory):
    """(settings, store, summary) of the development data ingested once, all three formats."""
    if not DEVELOPMENT.is_dir():
        pytest.skip("the development data set (shared/data/pubmed) is not here")
    settings = backend_settings("embedded", tmp_path_factory.mktemp("development"), None)
    store = open_store(settings)
    summary = ingest.run([DEVELOPMENT / name for name in ("xml", "medline", "abstract-text")], settings, store)
    return settings, store, summary


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    return Settings.load(environ={}, store=tmp_path / "store", base_iri=BASE)


def jsonld_graph(client, content: bytes):
    """A compacted JSON-LD document parsed with the context the app publishes (/context.jsonld), put
    inline: a document names the context by a URL of the server, which rdflib would fetch."""
    import json

    from rdflib import Graph

    document = json.loads(content)
    assert document["@context"].endswith("/context.jsonld")
    document["@context"] = client.get("/context.jsonld").json()["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")
