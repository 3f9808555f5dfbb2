"""The dump cache never removes a folder that a build is writing or a download is reading, whatever state is newer."""

import threading

import pytest

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
from rdfpub.vocab import PREFIXES
from rdfpub.web import dump_cache
from rdfpub.web.dump_cache import DumpCache

from conftest import DATA, SEEDS

VOCAB = "http://localhost:8000/vocab#"
MORE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml"


@pytest.fixture
def store(fresh_settings, monkeypatch):
    monkeypatch.setattr(dump_cache, "_STATE_SECONDS", 0)  # every call reads the store's state anew
    store = open_store(fresh_settings)
    ingest.run([SEEDS], fresh_settings, store, workers=1)
    store.settings = fresh_settings
    return store


class _PausingStore:
    """The store, with each dump of a format named in `pauses` stopping after its first chunk until
    the test lets it go on: a build caught half-written."""

    def __init__(self, store, pauses: dict[str, threading.Event]):
        self.store, self.pauses = store, pauses
        self.paused = {name: threading.Event() for name in pauses}

    def __getattr__(self, name):
        return getattr(self.store, name)

    def dump(self, format_name, **options):
        for number, chunk in enumerate(self.store.dump(format_name, **options)):
            yield chunk
            if number == 0 and format_name in self.pauses:
                self.paused[format_name].set()
                assert self.pauses[format_name].wait(30)


def test_a_download_keeps_its_folder_until_it_ends(store, tmp_path):
    cache = DumpCache(store, tmp_path / "dumps", PREFIXES, VOCAB)
    with cache.lease("dump.nt") as old:
        ingest.run([MORE], store.settings, store, workers=1)
        new = cache.get("dump.nt")
        assert new.state != old.state
        assert old.path.read_bytes() and new.path.exists()  # both states on disk while the old one is read
    assert not old.path.parent.exists() and new.path.exists()


def test_a_build_never_removes_the_folder_of_another_build(store, tmp_path):
    """A build of the older state ending while a newer state's dump is half written leaves it be."""
    old_may_finish, new_may_finish = threading.Event(), threading.Event()
    paused = _PausingStore(store, {"nt": old_may_finish, "turtle": new_may_finish})
    cache = DumpCache(paused, tmp_path / "dumps", PREFIXES, VOCAB)
    results, errors = {}, []

    def build(name):
        try:
            results[name] = cache.get(name)
        except Exception as error:  # the test's failure, reported below
            errors.append(error)

    older = threading.Thread(target=build, args=("dump.nt",))
    older.start()
    assert paused.paused["nt"].wait(30)
    ingest.run([MORE], store.settings, store, workers=1)  # a newer state, while the older dump is written
    newer = threading.Thread(target=build, args=("dump.ttl",))
    newer.start()
    assert paused.paused["turtle"].wait(30)
    old_may_finish.set()
    older.join(30)
    new_may_finish.set()
    newer.join(30)
    assert not errors
    assert results["dump.ttl"].path.exists() and results["dump.ttl"].path.stat().st_size == results["dump.ttl"].size
    assert results["dump.nt"].state != results["dump.ttl"].state
    # The older state's folder holds the only dump.nt made: it stays, to be served while the newer
    # state's is made (DumpCache.lease with `previous`), and goes once that one is there.
    assert results["dump.nt"].path.exists()
    cache.get("dump.nt")
    assert not results["dump.nt"].path.parent.exists()


def test_the_previous_dump_is_served_while_the_new_one_is_made(store, tmp_path):
    may_finish = threading.Event()
    paused = _PausingStore(store, {})
    cache = DumpCache(paused, tmp_path / "dumps", PREFIXES, VOCAB)
    old = cache.get("dump.nt")
    ingest.run([MORE], store.settings, store, workers=1)
    paused.pauses["nt"], paused.paused["nt"] = may_finish, threading.Event()
    with cache.lease("dump.nt", build=False, previous=True) as served:  # starts the new one's build
        assert served.path == old.path and served.etag == old.etag
        assert paused.paused["nt"].wait(30)  # the new one is being made meanwhile
    may_finish.set()
    cache._building.join(30)
    with cache.lease("dump.nt", build=False, previous=True) as served:
        assert served.state != old.state and served.path.exists()
    assert not old.path.parent.exists()
