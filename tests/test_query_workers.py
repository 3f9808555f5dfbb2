"""The query pool on its own: replies of any size over the pipes, the deadline, and a worker that dies."""

import asyncio
import os
import signal

import pytest

from rdfpub import ingest
from rdfpub.stores import open_store
from rdfpub.web import result_writers
from rdfpub.web.query_workers import QueryFailed, QueryPool

from conftest import SEEDS

JSON = ("application/sparql-results+json", "json")
# Runs for minutes on the seed store, far past any deadline here.
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _job(query: str, results=JSON) -> dict:
    return {"kind": "query", "query": query, "dataset": "union", "default_graphs": [], "named_graphs": [],
            "max_rows": 100_000, "max_bytes": 100_000_000, "results": results,
            "graph": ("application/n-triples", "nt"), "format_status": 406}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from rdfpub.settings import Settings
    settings = Settings.load(environ={}, store=tmp_path_factory.mktemp("pool") / "store")
    store = open_store(settings)
    ingest.run([SEEDS], settings, store)
    return store


def _with_pool(store, size: int, timeout: float, body):
    async def run():
        pool = QueryPool(store, size, timeout)
        pool.start()
        try:
            return await body(pool)
        finally:
            pool.close()
    return asyncio.run(run())


def test_replies_bigger_than_a_pipe_arrive_whole(store):
    # Between the 64 KiB a pipe holds and the inline limit: read by the event loop in pieces.
    query = "SELECT ?s ?p ?o ?x { ?s ?p ?o VALUES ?x { 1 2 3 } }"

    async def body(pool):
        count = await pool.run(_job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", ("text/csv", "csv")))
        return int(count["body"].split()[1]), await pool.run(_job(query, ("text/tab-separated-values", "tsv")))

    rows, reply = _with_pool(store, 1, 20, body)
    assert reply["status"] == 200 and reply["path"] is None
    assert 64 * 1024 < len(reply["body"]) <= result_writers.INLINE_LIMIT
    assert reply["body"].count(b"\n") == 1 + 3 * rows


def test_the_deadline_kills_the_worker(store):
    async def body(pool):
        with pytest.raises(QueryFailed) as failed:
            await pool.run(_job(SLOW))
        assert failed.value.status == 504
        assert all(worker.process.poll() is None for worker in pool._all)  # the killed one is gone
        return (await pool.run(_job("ASK {}")))["body"]

    assert _with_pool(store, 2, 1.5, body) == b'{"head":{},"boolean":true}'


def test_a_worker_that_dies_fails_only_its_query(store):
    async def body(pool):
        running = asyncio.ensure_future(pool.run(_job(SLOW)))
        await asyncio.sleep(0.3)
        (busy,) = [worker for worker in pool._all if worker not in pool._idle]
        os.kill(busy.process.pid, signal.SIGKILL)  # as a query that overflows the engine's stack would
        with pytest.raises(QueryFailed) as failed:
            await running
        assert failed.value.status == 500 and "crashed" in str(failed.value)
        return (await pool.run(_job("ASK {}")))["status"]

    assert _with_pool(store, 1, 20, body) == 200
