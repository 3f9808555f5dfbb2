"""The writer lock that lets several ingest processes share one remote store, on a live `oxigraph serve` and Virtuoso."""

import threading

import pytest

from rdfpub.store.remote.client import RemoteStore
from rdfpub.store.writer_lock import LOCK_GRAPH, WriterLock

from servers import SERVERS, remote_store

COUNTER = "<urn:test:counter>"
VALUE = "<urn:test:value>"


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(tmp_path_factory, request):
    server = SERVERS[request.param](tmp_path_factory.mktemp("lock") / "server")
    yield server
    server.stop()


def _read(store: RemoteStore) -> int:
    rows = list(store.query(f"SELECT ?n WHERE {{ GRAPH {COUNTER} {{ {COUNTER} {VALUE} ?n }} }}"))
    return int(rows[0]["n"].value) if rows else 0


def test_writers_never_overlap(server):
    """Three writers each add 1 to a counter 15 times, reading then writing in two requests: with
    the lock no increment is lost; the lock graph is empty afterwards."""
    errors = []

    def writer(name: str) -> None:
        store = remote_store(server)
        lock = WriterLock(store, name)
        try:
            for _ in range(15):
                with lock:
                    value = _read(store)
                    store.update(f"DROP SILENT GRAPH {COUNTER} ; "
                                 f"INSERT DATA {{ GRAPH {COUNTER} {{ {COUNTER} {VALUE} {value + 1} }} }}")
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store = remote_store(server)
    assert not errors
    assert _read(store) == 45
    assert not list(store.query(f"SELECT * WHERE {{ GRAPH <{LOCK_GRAPH}> {{ ?s ?p ?o }} }}"))


def test_a_dead_writers_ticket_stops_counting(server, monkeypatch):
    """A process killed while holding the lock leaves its ticket; once its lease is over, others go on."""
    store = remote_store(server)
    dead = WriterLock(store, "dead")
    dead.acquire()  # and never released
    monkeypatch.setattr("rdfpub.store.writer_lock.LEASE", 1)
    living = WriterLock(store, "living")
    with living:  # would wait for ever if the dead ticket still counted
        assert living.ticket == dead.ticket + 1
    dead.release()
