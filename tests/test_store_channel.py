"""The store owner's channel: only the owner gets in, a client's run writes what it writes on an idle store, a client that goes leaves no lock."""

from __future__ import annotations

import json
import stat
from multiprocessing.connection import Client

import pytest

from rdfpub.errors import StoreError
from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.channel.client import ChannelStore
from rdfpub.store.channel.owner import ChannelServer, announcement_path
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_store

from conftest import DATA, SEEDS

MORE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"


@pytest.fixture
def owned(fresh_settings):
    """A store held by this process, with its channel open; (store, channel, events)."""
    store = open_store(fresh_settings)
    ingest.run([SEEDS], fresh_settings, store, workers=1)
    events = []
    channel = ChannelServer(store, on_batch=lambda: events.append("batch"),
                            on_changed=lambda: events.append("changed")).start()
    yield store, channel, events
    channel.close()


def test_only_the_owner_may_use_the_channel(owned):
    store, channel, _ = owned
    announced = announcement_path(store.path)
    assert stat.S_IMODE(announced.stat().st_mode) == 0o600
    assert stat.S_IMODE(channel.folder.stat().st_mode) == 0o700
    address = json.loads(announced.read_text())["address"]
    with pytest.raises(Exception):  # noqa: B017 - the handshake fails: AuthenticationError or EOF
        Client(address, family="AF_UNIX", authkey=b"not the key").send(("graph_count",))
    assert ChannelStore.connect(store.path).graph_count() == store.graph_count()  # and the channel still serves


def test_a_locked_store_is_reached_through_its_owner(owned, fresh_settings):
    store, _, _ = owned
    assert isinstance(open_store(fresh_settings, through_owner=True), ChannelStore)
    with pytest.raises(StoreError, match="locked"):
        open_store(fresh_settings)  # `serve` never uses another server's store


def test_no_announcement_no_channel(tmp_path):
    assert ChannelStore.connect(tmp_path / "store") is None
    announcement_path(tmp_path / "store").write_text(json.dumps({"pid": 2 ** 22 + 1, "address": "x", "key": "00"}))
    assert ChannelStore.connect(tmp_path / "store") is None  # its owner is gone


def test_a_run_through_the_channel_writes_what_it_writes_on_an_idle_store(owned, fresh_settings, tmp_path):
    store, _, events = owned
    client = ChannelStore.connect(store.path)
    summary = ingest.run([MORE], fresh_settings, client, workers=1, batch_size=2)
    client.flush()
    idle_settings = Settings.load(environ={}, store=tmp_path / "idle", base_iri=fresh_settings.base_iri)
    idle = open_store(idle_settings)
    ingest.run([SEEDS], idle_settings, idle, workers=1)
    idle_summary = ingest.run([MORE], idle_settings, idle, workers=1, batch_size=2)
    assert (summary.published, summary.replaced, len(summary.rejected)) == \
        (idle_summary.published, idle_summary.replaced, len(idle_summary.rejected))
    assert b"".join(client.dump("nq")).count(b"\n") == b"".join(idle.dump("nq")).count(b"\n")
    assert sorted(b"".join(client.dump("nt")).splitlines()) == sorted(b"".join(store.dump("nt")).splitlines())
    assert events.count("batch") >= 2 and events[-1] == "changed"


def test_a_client_that_goes_holding_the_lock_releases_it(owned):
    store, channel, events = owned
    client = ChannelStore.connect(store.path)
    client.writer_lock().__enter__()
    client.apply([], None, None)
    client.close()
    assert channel.write_lock.acquire(timeout=30)
    channel.write_lock.release()
    other = ChannelStore.connect(store.path)
    with other.writer_lock():
        assert other.graph_count() == store.graph_count()


def test_a_refused_request_is_said_to_the_client(owned):
    store, _, _ = owned
    client = ChannelStore.connect(store.path)
    with pytest.raises(StoreError, match="refused"):
        client.query("SELECT nonsense")
    assert client.is_empty() is False  # the connection goes on


def test_a_closed_channel_is_no_longer_announced(owned):
    store, channel, _ = owned
    channel.close()
    assert not announcement_path(store.path).exists() and not channel.folder.exists()
    assert ChannelStore.connect(store.path) is None
    assert store.graph_count() > 0  # closing the channel closes no store


def test_a_batch_in_one_transaction_writes_what_a_bulk_load_writes(tmp_path, fresh_settings):
    """The owner's one-update writes (Store.atomic_writes) against the bulk load, on the same prepared batches."""
    from rdfpub.iris import Iris
    from rdfpub.pipeline.preparation import Prepared, Preparer

    iris = Iris(fresh_settings.base_iri)
    preparer = Preparer(fresh_settings)
    batches = [preparer.prepare_batch(batch) for batch in ingest._batches(ingest._items([MORE], None), 3)]
    writes = [[result.write for result in batch if isinstance(result, Prepared)] for batch in batches]
    dumps = []
    for atomic in (False, True):
        store = Store(tmp_path / f"store-{atomic}", iris.shared_graph(), iris.withdrawn_graph())
        store.atomic_writes = atomic
        for batch in writes + writes[:2]:  # the first ones again: replaced
            store.apply(batch, iris.shared_graph(), iris.withdrawn_graph())
        store.apply([writes[0][0].graph_iri], iris.shared_graph())  # and one removed
        dumps.append(sorted(b"".join(store.dump("nq")).splitlines()))
    assert dumps[0] == dumps[1] and len(dumps[0]) > 100
