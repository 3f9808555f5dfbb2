"""The record path: bad records are rejected with reasons and never stored; their neighbours still are."""

import shutil

from rdfpub.pipeline import ingest
from rdfpub.pipeline.preparation import input_files
from rdfpub.store.opening import open_store

from conftest import SEED


def _corrupt_copy(tmp_path, name="bad.txt", old="PMID: 30445512", new="PMID: 3O44"):
    path = tmp_path / name
    path.write_text(SEED.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def test_rejected_record_is_not_stored_and_neighbours_are(tmp_path, fresh_settings):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _corrupt_copy(inputs, "a-bad.txt")
    shutil.copy(SEED, inputs / "b-good.txt")
    (inputs / "c-not-pubmed.txt").write_text("hello, world\n", encoding="utf-8")
    store = open_store(fresh_settings)
    summary = ingest.run([inputs], fresh_settings, store)
    assert (summary.read, summary.published, len(summary.rejected)) == (2, 1, 2)
    bad, not_pubmed = summary.rejected
    assert bad.pmid == "3O44" and bad.source.endswith("a-bad.txt")
    assert any(p.path == "fabio:hasPubMedId" and p.value == '"3O44"' for p in bad.problems)
    assert "not a format rdfpub reads" in not_pubmed.reason and not not_pubmed.is_record
    assert store.graph_count() == 1
    assert not store.query('ASK { ?a ?p "3O44" }')


def test_ingesting_twice_replaces(tmp_path, fresh_settings):
    store = open_store(fresh_settings)
    first = ingest.run([SEED], fresh_settings, store)
    triples = store.triple_count()
    second = ingest.run([SEED], fresh_settings, store)
    assert (first.published, second.unchanged) == (1, 1)
    assert store.triple_count() == triples and store.graph_count() == 1


def test_validate_only_stores_nothing(fresh_settings):
    summary = ingest.run([SEED], fresh_settings)
    assert summary.conformant == 1 and not summary.rejected


def test_missing_path_is_reported(tmp_path, fresh_settings):
    summary = ingest.run([tmp_path / "nope.txt"], fresh_settings)
    assert summary.rejected[0].reason == "no such file or folder"


def test_non_utf8_input_is_reported(tmp_path, fresh_settings):
    path = tmp_path / "latin1.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").replace("α", "é").encode("latin-1", errors="replace"))
    summary = ingest.run([path], fresh_settings)
    assert "UTF-8" in summary.rejected[0].reason


def test_input_files_walks_folders_in_order_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    assert [p.name for p in input_files([tmp_path])] == ["a.txt", "2.txt"]
