"""The query pool on its own: replies of any size over the pipes, the deadline, a worker that dies, the
memory cap, and quick queries served before a burst of slow ones."""

import asyncio
import logging
import os
import signal

import pytest

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
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


def _with_pool(store, size: int, timeout: float, body, **options):
    async def run():
        pool = QueryPool(store, size, timeout, **options)
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


def test_a_crash_is_logged(store, caplog):
    async def body(pool):
        running = asyncio.ensure_future(pool.run(_job(SLOW)))
        await asyncio.sleep(0.3)
        (busy,) = [worker for worker in pool._all if worker not in pool._idle]
        os.kill(busy.process.pid, signal.SIGSEGV)
        with pytest.raises(QueryFailed) as failed:
            await running
        return failed.value, busy.pid

    with caplog.at_level(logging.ERROR, logger="rdfpub.web.query_workers"):
        failed, pid = _with_pool(store, 1, 20, body)
    assert failed.status == 500 and "logged" in str(failed)
    (record,) = [r for r in caplog.records if r.name == "rdfpub.web.query_workers"]
    assert record.levelno == logging.ERROR
    assert f"query worker {pid} died (killed by SIGSEGV" in record.getMessage() and SLOW in record.getMessage()


# Over the seed store: 411 cubed distinct rows, several gigabytes if nothing stopped it.
HUNGRY = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?a ?c ?d ?f ?g ?i { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }"


def _data_limit(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as limits:
        line = next(line for line in limits if line.startswith("Max data size"))
    return int(line.split()[3])


def test_each_worker_holds_at_most_its_share_and_a_query_past_it_gets_507(store, caplog):
    async def started_limits(pool):
        return {_data_limit(worker.pid) for worker in pool._all if await worker.started(20)}

    async def body(pool):
        limits = await started_limits(pool)
        with pytest.raises(QueryFailed) as failed:
            await pool.run(_job(HUNGRY))
        after = (await pool.run(_job("ASK {}")))["status"]
        return limits | await started_limits(pool), failed.value, after

    with caplog.at_level(logging.WARNING, logger="rdfpub.web.query_workers"):
        limits, failed, after = _with_pool(store, 2, 60, body, memory_mb=400)
    assert limits == {200 << 20}  # 400 MB for two workers, every worker started with its share
    assert failed.status == 507 and "200 MB" in str(failed) and after == 200
    assert any("ran out of its 200 MB" in r.getMessage() for r in caplog.records)


def test_too_little_memory_for_a_worker_is_refused_at_start(store):
    with pytest.raises(ValueError, match="RDFPUB_QUERY_MEMORY"):
        QueryPool(store, 8, 10, memory_mb=512)


QUICK = 'ASK { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" }'


def test_a_burst_of_slow_queries_leaves_quick_ones_their_workers(store):
    """Three workers, six copies of a slow query at once, then four quick queries behind them. The
    slow lane holds one worker; the two other slow queries that ran are stopped once their probation
    ends (cut short, since others wait), and their text is now known as slow: the three copies still
    waiting are refused the moment they come up, without running, and the quick ones run."""
    async def body(pool):
        slow = [asyncio.ensure_future(pool.run(_job(SLOW))) for _ in range(6)]
        while pool.lanes.waiting < 3:
            await asyncio.sleep(0.01)
        quick = [asyncio.ensure_future(pool.run(_job(QUICK))) for _ in range(4)]
        replies = await asyncio.gather(*quick)
        busy = [worker for worker in pool._all if worker not in pool._idle]
        niceness = sorted(os.getpriority(os.PRIO_PROCESS, worker.pid) for worker in busy)
        outcomes = await asyncio.gather(*slow, return_exceptions=True)
        return niceness, replies, outcomes, pool.lanes

    niceness, replies, outcomes, lanes = _with_pool(store, 3, 6, body, slow_after=1.0, quick_seconds=0.5)
    assert [reply["status"] for reply in replies] == [200] * 4
    statuses = sorted(outcome.status for outcome in outcomes)
    assert statuses == [503] * 5 + [504]
    assert lanes.counts["shed"] == 2 and lanes.counts["refused as known slow"] == 3
    assert lanes.peak_slow == 1 and niceness.count(19) == 1  # the slow lane's one worker, at the lowest priority
    assert lanes.running == 0 and lanes.slow == 0


def test_a_query_known_as_slow_skips_its_probation(store):
    async def body(pool):
        with pytest.raises(QueryFailed):
            await pool.run(_job(SLOW))  # stopped at the deadline: now known as slow
        again = asyncio.ensure_future(pool.run(_job(SLOW)))
        while not pool.lanes.slow:
            await asyncio.sleep(0.01)
        (busy,) = [worker for worker in pool._all if worker not in pool._idle]
        niceness = os.getpriority(os.PRIO_PROCESS, busy.pid)
        with pytest.raises(QueryFailed):
            await again
        return niceness, pool.lanes.counts

    niceness, counts = _with_pool(store, 4, 1.5, body, slow_after=30)
    # The first ran its whole probation (longer than the deadline); the second was slow from the start.
    assert niceness == 19 and counts["demoted"] == 1 and counts["timed out"] == 2


def test_the_service_description_counts_once_for_everyone_who_asks(store):
    queries = {"triples": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}

    async def body(pool):
        counts = await asyncio.gather(*[pool.stats(queries) for _ in range(10)])
        return counts, await pool.stats(queries), pool.lanes.counts["admitted"]

    counts, again, admitted = _with_pool(store, 3, 20, body)
    assert len({c["triples"] for c in counts}) == 1 and again == counts[0] and admitted == 1
