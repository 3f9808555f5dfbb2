"""Whole ingest runs on real files: versions, deletions, re-runs, rejects, bad inputs, workers, a killed run."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.model import Record
from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_store

from conftest import BACKENDS, BASE, DATA

SINGLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml"
SAMPLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
BASELINE = DATA / "net-synergy__pubmedparser__data__pubmed21n1005.xml.gz"
XML_FIXTURES = sorted(p for p in DATA.iterdir() if p.name.endswith((".xml", ".xml.gz")))


def _titles(store: Store, pmid: str) -> set[str]:
    rows = store.query(f'SELECT ?t {{ ?a <http://purl.org/spar/fabio/hasPubMedId> "{pmid}" ; '
                       f'<http://purl.org/dc/terms/title> ?t }}')
    return {row["t"].value for row in rows}


def _variant(tmp_path: Path, name: str, revised_year: str, title_suffix: str) -> Path:
    """The real record with its DateRevised year and the end of its title changed, to tell versions apart."""
    text = SINGLE.read_text(encoding="utf-8")
    text = text.replace("<DateRevised>\n        <Year>2020</Year>", f"<DateRevised>\n        <Year>{revised_year}</Year>", 1)
    text = text.replace("myeloma cell line.</ArticleTitle>", f"myeloma cell line{title_suffix}.</ArticleTitle>", 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_a_later_revision_replaces_and_an_older_one_does_not(tmp_path, any_settings):
    store = open_store(any_settings)
    newer = _variant(tmp_path, "newer.xml", "2023", " (revised)")
    older = _variant(tmp_path, "older.xml", "2020", "")
    assert ingest.run([older], any_settings, store).published == 1
    assert ingest.run([newer], any_settings, store).replaced == 1
    summary = ingest.run([older], any_settings, store)
    assert (summary.older, summary.replaced) == (1, 0)
    assert _titles(store, "32048627") == {
        "In vitro comparison of the cytotoxic effects of statins in the U266 myeloma cell line (revised)."}


def _digests(store: Store) -> dict[str, tuple[str, str]]:
    rows = store.query(f"SELECT ?g ?d ?source {{ GRAPH ?g {{ ?g <{BASE}/vocab#contentDigest> ?d ; "
                       "<http://purl.org/dc/terms/source> ?source } }")
    return {row["g"].value: (row["d"].value, row["source"].value) for row in rows}


def test_copies_that_tie_go_by_file_name_whatever_the_input_order(tmp_path):
    """The same records in two files (same versions and revision dates): the file whose name sorts
    last wins, in either input order, so the two stores are equal graph by graph."""
    first, last = tmp_path / "pubmed25n0001.xml", tmp_path / "pubmed25n1300.xml"
    for copy in (first, last):
        copy.write_bytes(SAMPLE.read_bytes())
    stores = []
    for name, order in (("forward", [first, last]), ("backward", [last, first])):
        settings = Settings.load(environ={}, store=tmp_path / name, base_iri=BASE)
        store = open_store(settings)
        summary = ingest.run(order, settings, store)
        assert summary.published == len(_digests(store)) > 5
        # The later name replaces every record read first, or is kept over every record read after it.
        assert (summary.replaced if name == "forward" else summary.older) >= summary.published
        stores.append(_digests(store))
    assert stores[0] == stores[1]
    assert {source for _, source in stores[0].values()} == {last.name}


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_a_newer_pmid_version_wins(tmp_path, any_settings):
    store = open_store(any_settings)
    version2 = tmp_path / "v2.xml"
    version2.write_text(SINGLE.read_text(encoding="utf-8").replace(
        '<PMID Version="1">32048627</PMID>', '<PMID Version="2">32048627</PMID>', 1).replace(
        "myeloma cell line.</ArticleTitle>", "myeloma cell line, v2.</ArticleTitle>", 1), encoding="utf-8")
    ingest.run([version2], any_settings, store)
    assert ingest.run([SINGLE], any_settings, store).older == 1
    assert any("v2" in title for title in _titles(store, "32048627"))


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_the_same_file_twice_changes_nothing(any_settings):
    store = open_store(any_settings)
    first = ingest.run([BASELINE], any_settings, store)
    before = b"".join(store.dump("nq"))
    second = ingest.run([BASELINE], any_settings, store)
    assert first.published == 20 and second.unchanged == 20 and not second.rejected
    assert b"".join(store.dump("nq")) == before


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_delete_citation_removes_records(tmp_path, any_settings):
    store = open_store(any_settings)
    first = ingest.run([SAMPLE], any_settings, store)
    assert first.deleted == 0  # the sample's own DeleteCitation names records it does not hold
    # An update file that withdraws two of the sample's records, as the daily update files do.
    withdrawn = ["31383287", "28941948"]
    present = [pmid for pmid in withdrawn if _titles(store, pmid)]
    update = tmp_path / "update.xml"
    update.write_text("<PubmedArticleSet><DeleteCitation>" + "".join(
        f'<PMID Version="1">{pmid}</PMID>' for pmid in withdrawn) + "</DeleteCitation></PubmedArticleSet>",
        encoding="utf-8")
    before = store.graph_count()
    summary = ingest.run([update], any_settings, store)
    assert summary.deleted == len(present) >= 1
    assert not any(_titles(store, pmid) for pmid in withdrawn)
    assert store.graph_count() == before - len(present)
    quads = list(ox.parse(b"".join(store.dump("nq")), format=ox.RdfFormat.N_QUADS))
    graphs = {quad.graph_name.value for quad in quads}
    assert all(f"{BASE}/graph/pubmed/{pmid}" not in graphs for pmid in withdrawn)
    # The store remembers which file withdrew them, so an earlier file read later cannot bring them back.
    remembered = {quad.subject.value: quad.object.value for quad in quads
                  if quad.graph_name.value == f"{BASE}/graph/withdrawn"}
    assert {graph: file for graph, file in remembered.items() if file == "update.xml"} == {
        f"{BASE}/graph/pubmed/{pmid}": "update.xml" for pmid in withdrawn}
    assert ingest.run([SAMPLE], any_settings, store).withdrawn >= len(present)
    assert not any(_titles(store, pmid) for pmid in withdrawn)


def test_rejects_file_holds_what_a_person_needs(tmp_path, fresh_settings):
    bad = tmp_path / "bad.xml"
    bad.write_text(SINGLE.read_text(encoding="utf-8").replace("<ArticleTitle>", "<ArticleTitle>", 1).replace(
        '<PMID Version="1">32048627</PMID>', '<PMID Version="1">3204862X</PMID>', 1), encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = subprocess.run([sys.executable, "-m", "rdfpub", "ingest", str(bad), str(SINGLE), "--store",
                             str(tmp_path / "store"), "--rejects", str(rejects), "--quiet"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    (entry,) = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert entry["source"] == str(bad) and entry["position"] == 1 and entry["pmid"] == "3204862X"
    assert "violation" in entry["reason"]
    assert any(p["value"] == '"3204862X"' and p["path"] == "fabio:hasPubMedId" for p in entry["problems"])
    assert entry["original"].startswith("<PubmedArticle") and "3204862X" in entry["original"]
    assert "1 published" in result.stderr


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_truncated_gzip_keeps_the_records_before_the_cut(tmp_path, any_settings):
    whole = gzip.decompress(BASELINE.read_bytes())
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(gzip.compress(whole)[: len(gzip.compress(whole)) * 2 // 3])
    store = open_store(any_settings)
    summary = ingest.run([cut], any_settings, store)
    (failure,) = summary.rejected
    assert not failure.is_record and "truncated" in failure.reason
    assert 0 < summary.published < 20 and store.graph_count() == summary.published


@pytest.mark.parametrize(("content", "words"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not a format"),
    (b"<html><body>PMID- 1</body></html>", "not a format"),
    ("PMID- 1\nTI  - Caf\xe9 au lait\nFAU - M\xfcller, Hans\n".encode("latin-1"), "UTF-8"),
])
def test_inputs_that_are_not_pubmed_get_a_clear_reason(tmp_path, fresh_settings, content, words):
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    (failure,) = ingest.run([path], fresh_settings).rejected
    assert words in failure.reason


def test_workers_give_the_same_store_as_one_process(tmp_path, fresh_settings, monkeypatch):
    monkeypatch.setattr(ingest, "PARALLEL_THRESHOLD", 8)
    monkeypatch.setattr(ingest, "BATCH_SIZE", 4)
    monkeypatch.setattr(ingest, "STORE_TRANSACTION", 10)  # transactions of chunks that do not align with them
    single = open_store(Settings.load(environ={}, store=tmp_path / "single", base_iri=BASE))
    parallel = open_store(Settings.load(environ={}, store=tmp_path / "parallel", base_iri=BASE))
    one = ingest.run(XML_FIXTURES, fresh_settings, single, workers=1)
    two = ingest.run(XML_FIXTURES, fresh_settings, parallel, workers=2)
    assert (one.published, one.replaced, one.deleted, len(one.rejected)) == (
        two.published, two.replaced, two.deleted, len(two.rejected))
    assert _dataset(single) == _dataset(parallel)


def _dataset(store: Store) -> set[str]:
    """Every quad of the store, record graphs and shared graph, but the generation times (a run's clock)."""
    return {line for line in b"".join(store.dump("nq")).decode().split("\n")
            if line and "<http://www.w3.org/ns/prov#generatedAtTime>" not in line}


def _graph_digests(store: Store) -> dict[str, str]:
    rows = store.query(f"SELECT ?g ?d {{ GRAPH ?g {{ ?g <{BASE}/vocab#contentDigest> ?d }} }}")
    return {row["g"].value: row["d"].value for row in rows}


def _triples(lines) -> set[str]:
    """N-Triples lines as Oxigraph writes triples (its canonical form, as the store returns them)."""
    return {str(triple) for triple in ox.parse(input="\n".join(lines), format=ox.RdfFormat.N_TRIPLES)}


def _whole_records(store: Store, graphs: list[str]) -> bool:
    """Each stored record is whole: its graph holds exactly what its record maps to (the version
    whose digest it stores), and the shared graph holds everything the record adds there."""
    digests = _graph_digests(store)
    mapper = Mapper(Iris(BASE), Settings.load(environ={}).license)
    mapped = {}
    for item in ingest._items(XML_FIXTURES, None):
        if isinstance(item, Record):
            record = mapper.map_record(item)
            mapped[(record.graph_iri, record.digest)] = record
    shared = {str(quad.triple) for quad in store._store.quads_for_pattern(None, None, None, ox.NamedNode(
        f"{BASE}/graph/shared"))}
    for graph in graphs:
        record = mapped[(graph, digests[graph])]
        stored = {str(quad.triple) for quad in store._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
        expected = _triples(record.placement.own)
        time = "<http://www.w3.org/ns/prov#generatedAtTime>"
        if {t for t in stored if time not in t} != {t for t in expected if time not in t}:
            return False
        if not _triples(record.placement.shared) <= shared:
            return False
    return True


def test_a_killed_ingest_leaves_whole_records_and_a_rerun_finishes(tmp_path):
    store_dir = tmp_path / "store"
    command = [sys.executable, "-m", "rdfpub", "ingest", *map(str, XML_FIXTURES), "--store", str(store_dir),
               "--workers", "1", "--batch-size", "2", "--verbose", "--rejects", str(tmp_path / "rejects.jsonl")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    committed = 0
    deadline = time.monotonic() + 120
    for line in process.stderr:
        committed += line.startswith(("published:", "replaced:"))
        if committed >= 12 or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert committed >= 12, "the run ended before it could be killed halfway"

    store = open_store(Settings.load(environ={}, store=store_dir, base_iri=BASE))
    graphs = list(_graph_digests(store))
    assert 12 <= len(graphs) < 40
    assert _whole_records(store, graphs)
    del store
    rerun = subprocess.run(command[:-3] + ["--quiet", "--rejects", str(tmp_path / "rejects.jsonl")],
                           capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode in (0, 1), rerun.stderr
    clean_dir = tmp_path / "clean"
    subprocess.run(command[:4] + [str(p) for p in XML_FIXTURES] + ["--store", str(clean_dir), "--quiet"],
                   capture_output=True, text=True, env=env, timeout=300)
    # The same quads in the same graphs: the kill left nothing behind in the shared graph either.
    assert _dataset(Store(store_dir)) == _dataset(Store(clean_dir))
