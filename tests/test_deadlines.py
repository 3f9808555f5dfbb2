"""Pages, /resolve, the dataset description and dumps: each request waits at most its deadline, and work many want is done once."""

import asyncio
import dataclasses
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
from rdfpub.web import create_app, dataset
from rdfpub.web.deadlines import Busy, Deadline, DeadlinePassed, Timed, Work
from rdfpub.web.describe import describe

from conftest import SEEDS

SEED = "http://localhost:8000/pubmed/30445512"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from rdfpub.settings import Settings
    settings = Settings.load(environ={}, store=tmp_path_factory.mktemp("deadlines") / "store")
    store = open_store(settings)
    ingest.run([SEEDS], settings, store, workers=1)
    return settings, store


def test_work_made_of_queries_stops_at_its_deadline(seed_store):
    _, store = seed_store
    assert describe(Timed(store, Deadline(60)), SEED).triples
    with pytest.raises(DeadlinePassed):
        describe(Timed(store, Deadline(-1)), SEED)


def test_a_request_stops_waiting_at_its_deadline_and_the_work_stops_after():
    started, checks = threading.Event(), []

    def endless(deadline):
        started.set()
        while True:
            try:
                deadline.check()
            except DeadlinePassed:
                checks.append("stopped")
                raise
            time.sleep(0.01)

    async def body():
        work = Work(timeout=0.2)
        with pytest.raises(Busy) as busy:
            await work.page(endless)
        work.close()
        return busy.value

    busy = asyncio.run(body())
    assert busy.status == 503 and busy.headers["Retry-After"] == "1"
    deadline = time.monotonic() + 30
    while not checks and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.is_set() and checks == ["stopped"]


def test_shared_work_is_done_once_for_everyone_who_asks():
    calls, release = [], threading.Event()

    def count():
        calls.append(1)
        assert release.wait(30)
        return 42

    async def body():
        work = Work(timeout=30)
        asking = [asyncio.ensure_future(work.shared(("void", "state-1"), count, "x")) for _ in range(20)]
        await asyncio.sleep(0.05)
        release.set()
        results = await asyncio.gather(*asking)
        again = await work.shared(("void", "state-1"), count, "x")
        return results, again

    results, again = asyncio.run(body())
    assert results == [42] * 20 and again == 42 and calls == [1]


def test_shared_work_past_the_deadline_goes_on_for_the_next_request():
    release = threading.Event()

    async def body():
        work = Work(timeout=0.1)
        with pytest.raises(Busy) as busy:
            await work.shared(("size", 0), lambda: release.wait(30) and 7, "the count")
        release.set()
        work.timeout = 30
        return busy.value, await work.shared(("size", 0), lambda: 8, "the count")

    busy, later = asyncio.run(body())
    assert "being prepared" in str(busy) and busy.headers["Retry-After"] == "60" and later == 7


def test_concurrent_cold_requests_compute_the_dataset_description_once(seed_store, monkeypatch):
    settings, store = seed_store
    calls = []
    real = dataset.compute_stats

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(dataset, "compute_stats", counted)
    app = create_app(settings, store)

    async def body():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*[client.get("/.well-known/void", headers={"Accept": "text/turtle"})
                                          for _ in range(20)])

    responses = asyncio.run(body())
    assert [r.status_code for r in responses] == [200] * 20
    assert len({r.content for r in responses}) == 1 and calls == [1]


class _SlowStore:
    """The store, each query taking longer than a page's one-second deadline."""

    def __init__(self, store):
        self.store, self.queries = store, []

    def query(self, *args, **kwargs):
        self.queries.append(args[0])
        time.sleep(1.2)
        return self.store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


@pytest.mark.parametrize("path", ["/doc/pubmed/30445512", "/doc/pubmed/30445512?page=9999", "/pubmed/30445512",
                                  "/resolve?pmid=30445512"])
def test_pages_and_resolve_answer_503_at_their_deadline(seed_store, path):
    settings, store = seed_store
    slow = _SlowStore(store)
    app = create_app(dataclasses.replace(settings, page_timeout=1), slow)
    with TestClient(app) as client:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 503 and response.headers["retry-after"] == "1"
        assert "not ready within 1 s" in response.text
        time.sleep(1.5)  # the query under way when the request stopped waiting ends...
        assert len(slow.queries) == 1  # ...and the work stops at its next check instead of going on
