"""The search and listing index beside the embedded store: in step with every write, mended after a cut-off
write, made anew when it does not match the store, and answering what SPARQL over the store answers."""

import sqlite3

import pytest

from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.catalog import Catalog, CatalogReader, SearchTimeout, fts_query
from rdfpub.store.catalog_entries import Entry
from rdfpub.store.opening import open_store

from conftest import BASE, SEEDS
from test_ingest import BASELINE, SAMPLE, _variant

TITLE = "http://purl.org/dc/terms/title"


def _reader(store, timeout=10.0):
    return CatalogReader(store.catalog_path(), timeout)


def _articles_by_sparql(store, pattern: str) -> set[str]:
    """Articles of record graphs matching `pattern` (about ?a), by SPARQL over the store."""
    query = (f"SELECT DISTINCT ?a {{ GRAPH ?g {{ ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a "
             f"FILTER(?g != <http://localhost:8000/graph/shared>) }} {pattern} }}")
    return {row["a"].value for row in store.query(query)}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Seeds and two sample files, built once: the tests that use it only read it."""
    settings = Settings.load(environ={}, store=tmp_path_factory.mktemp("catalog") / "store", base_iri=BASE)
    store = open_store(settings)
    summary = ingest.run([SEEDS, SAMPLE, BASELINE], settings, store)
    assert summary.published > 20 and not summary.rejected
    yield store
    getattr(store, "close", lambda: None)()


def test_the_index_holds_what_the_store_holds(store):
    reader = _reader(store)
    total, hits = reader.newest(1, 1000)
    assert total == store.graph_count() == len(hits)
    assert {hit.article for hit in hits} == _articles_by_sparql(store, "")
    dates = [hit.date for hit in hits]
    assert dates == sorted(dates, reverse=True)  # newest first
    # A MeSH term's and a journal's articles are those the store links to them, newest first.
    (term, count), *_ = reader.targets("mesh", 1, 5)[1]
    total, hits = reader.newest(1, 100, term)
    assert total == count == len(hits)
    assert {hit.article for hit in hits} == _articles_by_sparql(
        store, f"?a <http://purl.org/spar/fabio/hasSubjectTerm> <{term}>")
    journals_total, journals = reader.targets("journal", 1, 100)
    assert journals_total == len(journals) and sum(n for _, n in journals) <= total * 100
    journal = journals[0][0]
    in_journal = {hit.article for hit in reader.newest(1, 100, journal)[1]}
    assert in_journal == _articles_by_sparql(
        store, f"?a <http://purl.org/vocab/frbr/core#partOf>* ?c . ?c <http://purl.org/vocab/frbr/core#partOf>* <{journal}>")


def test_word_search_is_ranked_and_paged(store):
    reader = _reader(store)
    total, hits = reader.search("glutamatergic ANTIDEPRESSANT", 1, 10)
    assert total == 1 and hits[0].article == "http://localhost:8000/pubmed/30445512"
    total, hits = reader.search("antidepressants", 1, 10)  # the stem matches "Antidepressant"
    assert total >= 1
    total, first = reader.search("cell", 1, 2)
    _, second = reader.search("cell", 2, 2)
    assert total >= 3 and len(first) == 2 and not {h.article for h in first} & {h.article for h in second}
    assert reader.search('" OR * NEAR(', 1, 10) == (0, [])  # nothing typed is read as query syntax
    assert fts_query('tumour AND "cells') == '"tumour" "AND" "cells"'


def test_replacing_and_deleting_records_follow_in_the_index(tmp_path, fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([_variant(tmp_path, "older.xml", "2020", "")], fresh_settings, store)
    ingest.run([_variant(tmp_path, "newer.xml", "2023", " (revised)")], fresh_settings, store)
    reader = _reader(store)
    assert reader.search("revised", 1, 10)[0] == 1 and reader.newest(1, 10)[0] == 1
    store.remove_graph("http://localhost:8000/graph/pubmed/32048627")
    assert reader.search("myeloma", 1, 10) == (0, []) and reader.newest(1, 10)[0] == 0
    assert reader.targets("journal", 1, 10) == (0, [])


def test_a_cut_off_write_is_mended_when_the_store_is_opened_again(fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([SEEDS], fresh_settings, store)
    graph = "http://localhost:8000/graph/pubmed/30445512"
    # As if the process died between telling the index and finishing: the index is behind the store.
    store.catalog.begin([graph])
    store.catalog._db.execute("DELETE FROM records")
    del store
    reopened = open_store(fresh_settings)
    assert reopened.reindexed == 0 and not reopened.catalog.pending()
    assert _reader(reopened).search("glutamatergic", 1, 10)[0] == 1


def test_an_index_that_does_not_match_the_store_is_made_anew(fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([SEEDS, SAMPLE], fresh_settings, store)
    path, count = store.catalog_path(), store.graph_count()
    del store
    path.unlink()  # a store from before the index, or an index lost
    store = open_store(fresh_settings)
    assert store.reindexed == count and _reader(store).newest(1, 1)[0] == count
    with sqlite3.connect(path) as db:  # an index a run without it fell behind
        db.execute("DELETE FROM meta")
    del store
    assert open_store(fresh_settings).reindexed == count


def test_a_search_stops_at_its_deadline(tmp_path):
    catalog = Catalog(tmp_path / "index.sqlite", lambda iri: None)
    catalog.rebuild(Entry(f"urn:g{n}", f"urn:a{n}", f"cell study number {n} of many cells", "2020")
                    for n in range(30000))
    with pytest.raises(SearchTimeout):
        CatalogReader(tmp_path / "index.sqlite", timeout=0.0).search("cell", 1, 10)
    assert CatalogReader(tmp_path / "index.sqlite", timeout=30).search("cell", 1, 10)[0] == 30000
