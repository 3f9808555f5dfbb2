"""Shared fixtures: the seed record, a store built from seeds/ on disk, and the app over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rdfpub import ingest
from rdfpub.settings import Settings
from rdfpub.store import Store
from rdfpub.web import create_app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_7cbb9b727fab6d7b.txt"
DATA = Path(__file__).resolve().parent / "data"
BASE = "http://localhost:8000"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.load(environ={}, store=tmp_path_factory.mktemp("seed-store"), base_iri=BASE)


@pytest.fixture(scope="session")
def seeded_store(settings: Settings) -> Store:
    store = Store(settings.store)
    summary = ingest.run([SEEDS], settings, store)
    assert summary.published == 1 and not summary.rejected
    return store


@pytest.fixture(scope="session")
def client(settings: Settings, seeded_store: Store) -> TestClient:
    with TestClient(create_app(settings, seeded_store)) as test_client:
        yield test_client


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    return Settings.load(environ={}, store=tmp_path / "store", base_iri=BASE)
