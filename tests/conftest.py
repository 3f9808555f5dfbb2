"""Shared fixtures: the seed record, a store built from seeds/ on disk, and the app over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rdfpub import ingest
from rdfpub.settings import Settings
from rdfpub.store import Store
from rdfpub.stores import open_store
from rdfpub.web import create_app
from servers import OxigraphServer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_7cbb9b727fab6d7b.txt"
DATA = Path(__file__).resolve().parent / "data"
BASE = "http://localhost:8000"


# Every behaviour tested over a store runs on the embedded store and on a live `oxigraph serve`.
BACKENDS = ["embedded", "oxigraph"]


@pytest.fixture(scope="session")
def store_servers():
    """Starts a store server per call (each test data set gets its own); stops them all at the end."""
    servers = []

    def start(folder: Path) -> str:
        servers.append(OxigraphServer(folder))
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


def backend_settings(backend: str, folder: Path, store_servers) -> Settings:
    """Settings over an empty store of this backend in `folder`."""
    store = folder / "store" if backend == "embedded" else store_servers(folder / "server")
    return Settings.load(environ={}, store=store, base_iri=BASE)


@pytest.fixture(scope="session", params=BACKENDS)
def settings(request, tmp_path_factory: pytest.TempPathFactory, store_servers) -> Settings:
    return backend_settings(request.param, tmp_path_factory.mktemp("seed-store"), store_servers)


@pytest.fixture
def any_settings(request, tmp_path: Path, store_servers) -> Settings:
    """An empty store of the backend the test is parametrized with (indirect `backend`)."""
    return backend_settings(getattr(request, "param", "embedded"), tmp_path, store_servers)


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


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    return Settings.load(environ={}, store=tmp_path / "store", base_iri=BASE)
