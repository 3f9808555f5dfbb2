"""Text-only references linked to stored articles at ingest: the seed's reference, whichever comes first, and kept true."""

from pathlib import Path

from fastapi.testclient import TestClient

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
from rdfpub.web import create_app

from conftest import BASE, DATA, SEED

# A record of the article the seed cites, made from the facts of the seed's own citation and
# nothing else (tests/data/README.md); its PMID is a placeholder, not the article's.
TARGET = DATA / "aan_het_rot_2010.medline.txt"
SEED_ARTICLE = f"{BASE}/pubmed/30445512"
TARGET_ARTICLE = f"{BASE}/pubmed/99999901"
REFERENCE = f"{SEED_ARTICLE}/reference/1"
VOCAB = f"{BASE}/vocab#"


def _links(store) -> set[tuple[str, str, str]]:
    rows = store.query(f"""SELECT ?citing ?target ?how ?score WHERE {{
        ?citing <http://purl.org/spar/cito/cites> ?target .
        ?citing <http://purl.org/vocab/frbr/core#part> ?ref . ?ref <http://purl.org/spar/biro/references> ?target ;
             <{VOCAB}resolvedBy> ?how ; <{VOCAB}resolutionScore> ?score }}""")
    return {(row["citing"].value, row["target"].value, row["how"].value) for row in rows}


def _cites(store) -> int:
    """How many times the target is cited (the seed's 'Cited by' list makes other cito:cites)."""
    return len(list(store.query(f"SELECT * {{ ?a <http://purl.org/spar/cito/cites> <{TARGET_ARTICLE}> }}")))


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    path = tmp_path / name
    path.write_text(TARGET.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_reference_first_then_target(fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([SEED], fresh_settings, store)
    assert _links(store) == set()
    ingest.run([TARGET], fresh_settings, store)
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    assert _cites(store) == 1


def test_target_first_then_reference_and_the_page_lists_the_seed(fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)
    ingest.run([SEED], fresh_settings, store)
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    with TestClient(create_app(fresh_settings, store)) as client:
        page = client.get("/pubmed/99999901", headers={"accept": "text/html"}).text
        seed_page = client.get("/pubmed/30445512", headers={"accept": "text/html"}).text
    cited_by = page.split("Cited by", 1)[1]
    assert "/pubmed/30445512" in cited_by
    assert "/pubmed/99999901" in seed_page.split("References", 1)[1]  # the reference links its article


def test_a_replaced_target_that_no_longer_matches_loses_the_link(fresh_settings, tmp_path):
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)
    ingest.run([SEED], fresh_settings, store)
    moved = _variant(tmp_path, "moved.txt", "PG  - 139-45", "PG  - 239-45\nLR  - 20240101")
    assert ingest.run([moved], fresh_settings, store).replaced == 1
    assert _links(store) == set() and _cites(store) == 0
    fixed = _variant(tmp_path, "fixed.txt", "PG  - 139-45", "PG  - 139-45\nLR  - 20250101")
    assert ingest.run([fixed], fresh_settings, store).replaced == 1  # back on its page: linked again
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}


def _deletion(tmp_path: Path, pmid: str) -> Path:
    path = tmp_path / f"delete-{pmid}.xml"
    path.write_text('<?xml version="1.0"?><PubmedArticleSet><DeleteCitation><PMID Version="1">'
                    f"{pmid}</PMID></DeleteCitation></PubmedArticleSet>", encoding="utf-8")
    return path


def test_a_deleted_target_loses_the_link(fresh_settings, tmp_path):
    store = open_store(fresh_settings)
    ingest.run([SEED], fresh_settings, store)
    ingest.run([TARGET], fresh_settings, store)
    assert ingest.run([_deletion(tmp_path, "99999901")], fresh_settings, store).deleted == 1
    assert _links(store) == set() and _cites(store) == 0


def test_a_deleted_citing_record_takes_its_links(fresh_settings, tmp_path):
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)
    ingest.run([SEED], fresh_settings, store)
    assert ingest.run([_deletion(tmp_path, "30445512")], fresh_settings, store).deleted == 1
    assert _links(store) == set() and _cites(store) == 0
    replaced = _variant(tmp_path, "target-again.txt", "PG  - 139-45", "PG  - 139-45\nLR  - 20250101")
    assert ingest.run([replaced], fresh_settings, store).replaced == 1  # its deleted reference waits no more
    assert _links(store) == set()


def test_a_near_miss_is_not_linked(fresh_settings, tmp_path):
    """Same first author, year and journal, but another first page: not the cited article."""
    store = open_store(fresh_settings)
    ingest.run([_variant(tmp_path, "other.txt", "PG  - 139-45", "PG  - 146-52")], fresh_settings, store)
    ingest.run([SEED], fresh_settings, store)
    assert _links(store) == set() and _cites(store) == 0


def test_target_and_reference_in_one_batch(fresh_settings):
    store = open_store(fresh_settings)
    ingest.run([TARGET, SEED], fresh_settings, store)
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    assert _cites(store) == 1


def test_resolve_references_links_a_store_filled_before_resolution(fresh_settings, monkeypatch, capsys):
    import gc

    from rdfpub.cli import main as cli
    from rdfpub.references import resolution as reference_resolution

    store = open_store(fresh_settings)
    with monkeypatch.context() as patch:  # as a store filled by an rdfpub that did not resolve
        patch.setattr(reference_resolution, "resolver_of", lambda store, iris: None)
        ingest.run([SEED, TARGET], fresh_settings, store)
    assert _links(store) == set()
    del store
    gc.collect()
    argv = ["resolve-references", "--store", str(fresh_settings.store), "--base-iri", BASE]
    assert cli.main(argv) == 0
    assert "1 linked (1 link(s) added, 0 taken out), 0 waiting" in capsys.readouterr().out
    assert cli.main(argv + ["--quiet"]) == 0  # a second run finds nothing to change
    assert "1 linked (0 link(s) added, 0 taken out)" in capsys.readouterr().out
    gc.collect()
    store = open_store(fresh_settings)
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    ingest.run([_deletion_file(fresh_settings), ], fresh_settings, store)
    assert _links(store) == set()  # the index the command made keeps ingest's upkeep working


def _deletion_file(settings) -> Path:
    return _deletion(Path(settings.store).parent, "99999901")


def test_a_run_stopped_mid_batch_has_the_next_run_make_the_index_anew(fresh_settings, monkeypatch):
    """The marker a batch leaves until its links are all written: here, left by a run that did not
    resolve (as one killed before its index committed), so the index knows nothing of the records."""
    import gc

    from rdfpub.references import resolution as reference_resolution

    store = open_store(fresh_settings)
    with monkeypatch.context() as patch:
        patch.setattr(reference_resolution, "resolver_of", lambda store, iris: None)
        ingest.run([SEED, TARGET], fresh_settings, store)
    marker = reference_resolution.index_path(Path(fresh_settings.store))
    marker = marker.with_name(marker.name + ".pending")
    marker.touch()
    del store
    gc.collect()
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)  # unchanged: the rerun alone links
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    assert not marker.exists()


def test_an_identifier_in_the_reference_text_links_with_its_provenance(fresh_settings, tmp_path):
    """The seed with its reference cut to the authors and a PMID written in the text."""
    seed = tmp_path / "seed-with-pmid.txt"
    text = SEED.read_text(encoding="utf-8")
    start = text.index("- Aan het Rot M")
    seed.write_text(text[:start] + "- Aan het Rot M, Collins KA, et al. PMID: 99999901. - PubMed", encoding="utf-8")
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)
    ingest.run([seed], fresh_settings, store)
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "identifier-in-text")}
    scores = {row["s"].value for row in store.query(f"SELECT ?s {{ <{REFERENCE}> <{VOCAB}resolutionScore> ?s }}")}
    assert scores == {"1"}


def test_a_replaced_citing_record_keeps_its_link(fresh_settings, tmp_path):
    store = open_store(fresh_settings)
    ingest.run([TARGET], fresh_settings, store)
    ingest.run([SEED], fresh_settings, store)
    changed = tmp_path / "seed-changed.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace(
        "Glutamatergic Neurotransmission: Pathway", "Glutamatergic Neurotransmission: A Pathway"), encoding="utf-8")
    assert ingest.run([changed], fresh_settings, store).replaced == 1
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}
    assert _cites(store) == 1


def test_resolve_references_needs_a_store(tmp_path, capsys):
    from rdfpub.cli import main as cli

    assert cli.main(["resolve-references", "--store", str(tmp_path / "none")]) == 2
    assert "there is no store" in capsys.readouterr().err


def test_an_older_copy_later_in_the_batch_leaves_the_written_copys_references(fresh_settings, tmp_path):
    """Two copies of the seed in one batch: the later one (the seed's page cut before its references,
    under a file name that sorts first) is kept out as older, so the copy written resolves its own."""
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "0000_copy.txt"
    cut.write_text("".join(lines[:lines.index("References\n")]), encoding="utf-8")
    store = open_store(fresh_settings)
    outcomes = []
    ingest.run([TARGET, SEED, cut], fresh_settings, store, on_outcome=outcomes.append)
    assert [outcome.status for outcome in outcomes] == ["published", "published", "older"]
    assert _links(store) == {(SEED_ARTICLE, TARGET_ARTICLE, "citation-match")}


def test_resolve_references_after_a_stopped_run_makes_the_index_once(fresh_settings, monkeypatch, capsys):
    """A marker left by a stopped run: the command's own pass makes the index anew, and says what it added."""
    import gc

    from rdfpub.cli import main as cli
    from rdfpub.references import resolution as reference_resolution

    store = open_store(fresh_settings)
    with monkeypatch.context() as patch:
        patch.setattr(reference_resolution, "resolver_of", lambda store, iris: None)
        ingest.run([SEED, TARGET], fresh_settings, store)
    marker = reference_resolution.index_path(Path(fresh_settings.store))
    marker.with_name(marker.name + ".pending").touch()
    del store
    gc.collect()
    assert cli.main(["resolve-references", "--store", str(fresh_settings.store), "--base-iri", BASE]) == 0
    assert "1 linked (1 link(s) added, 0 taken out), 0 waiting" in capsys.readouterr().out
