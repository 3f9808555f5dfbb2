"""Faithful to every record: each class of defect a check on unseen PubMed data found, on a real record
(or a real record minimally edited, said so where it is), through `validate` and through ingest."""

import dataclasses
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
from rdfpub.web import create_app

from conftest import BASE, DATA, DEVELOPMENT, backend_settings
from test_ingest import _dataset

PMID = "http://purl.org/spar/fabio/hasPubMedId"
BOOK = DATA / "JabRef__jabref__jablib__src__test__resources__org__jabref__logic__importer__fileformat__MedlineImporterTestNbib.xml"
VALDECY = DATA / "Valdecy__pyBibX__assets__bibs__pubmed.records-4-7-65-290.txt"
SINGLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml"
SAMPLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
BASELINE = DATA / "net-synergy__pubmedparser__data__pubmed21n1005.xml.gz"
TEXT_EXPORT = DATA / "OliverCardiff__Literature_networks__pubmed_result.records-1-25.txt"
# One record, PMID 3445380, as PubMed exported it in MEDLINE text and in XML: equal DateRevised.
TIE_MEDLINE = DATA / "p1m-ortho__qs-global-ortho-search-queries__citations_1.record-3445380.nbib"
TIE_XML = DATA / "p1m-ortho__qs-global-ortho-search-queries__pubmed_result.record-3445380.xml"


def _validate(path: Path, tmp_path: Path):
    return ingest.run([path], backend_settings("embedded", tmp_path / "validate", None))


def _published(paths: list[Path], tmp_path: Path, name: str = "store"):
    settings = backend_settings("embedded", tmp_path / name, None)
    store = open_store(settings)
    return ingest.run(paths, settings, store), store, settings


def _values(store, subject: str, predicate: str) -> set[str]:
    return {row["o"].value if not isinstance(row["o"], ox.Literal) or not row["o"].language
            else f'{row["o"].value}@{row["o"].language}'
            for row in store.query(f"SELECT ?o {{ <{subject}> <{predicate}> ?o }}")}


def _record(path: Path, pmid: str, begin: str = "PMID- ") -> str:
    """One MEDLINE record of a file, as its text."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"{begin}{pmid}")
    end = text.find("\nPMID- ", start + 1)
    return text[start:end if end != -1 else len(text)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# Records wrongly rejected

def _chapter_xml(tmp_path: Path) -> Path:
    """The JabRef fixture's real PubmedBookArticle (a whole book), minimally edited into a chapter of
    it: a LocationLabel, an ArticleTitle and a ContributionDate, as a GeneReviews chapter has them."""
    text = BOOK.read_text(encoding="utf-8")
    book = text[text.index("<PubmedBookArticle>"):text.index("</PubmedBookArticle>") + len("</PubmedBookArticle>")]
    chapter = book.replace("<Language>eng</Language>", '<LocationLabel Type="chapter">1</LocationLabel>'
                           '<ArticleTitle book="nicecg79" part="ch1">Introduction</ArticleTitle><Language>eng</Language>', 1)
    chapter = chapter.replace("</Abstract>", "</Abstract><ContributionDate><Year>2006</Year><Month>2</Month>"
                              "<Day>15</Day></ContributionDate>", 1)
    return _write(tmp_path / "chapter.xml", f"<PubmedArticleSet>{chapter}</PubmedArticleSet>")


def test_a_book_chapter_from_xml_is_published_as_part_of_its_book(tmp_path):
    path = _chapter_xml(tmp_path)
    assert _validate(path, tmp_path).conformant == 1
    summary, store, _ = _published([path], tmp_path)
    assert summary.published == 1
    chapter = f"{BASE}/pubmed/21413195"
    assert _values(store, chapter, "http://purl.org/vocab/frbr/core#partOf") == {f"{BASE}/book/isbn/9781860163593"}
    assert "http://purl.org/spar/fabio/BookChapter" in _values(store, chapter, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    # Its ContributionDate is a date, no longer the note "ContributionDate: 2006215".
    assert _values(store, chapter, "http://prismstandard.org/namespaces/basic/2.0/creationDate") == {"2006-02-15"}
    assert not any("ContributionDate" in note for note in _values(store, chapter, "http://www.w3.org/2000/01/rdf-schema#comment"))


def test_a_book_chapter_from_medline_is_published(tmp_path):
    """The fixture's real Bookshelf record (a whole book, PMID 30329254) given a chapter title and a
    contribution date (TI, CTDT), as MEDLINE writes a chapter."""
    text = _record(VALDECY, "30329254").replace("BTI - ", "TI  - Scientific summary\nCTDT- 20060215\nBTI - ", 1)
    path = _write(tmp_path / "chapter.txt", text)
    assert _validate(path, tmp_path).conformant == 1
    summary, store, _ = _published([path], tmp_path)
    chapter = f"{BASE}/pubmed/30329254"
    assert summary.published == 1
    assert _values(store, chapter, "http://purl.org/dc/terms/title") == {"Scientific summary"}
    assert _values(store, chapter, "http://prismstandard.org/namespaces/basic/2.0/creationDate") == {"2006-02-15"}
    assert len(_values(store, chapter, "http://purl.org/vocab/frbr/core#partOf")) == 1


def test_a_record_titled_only_in_its_own_language_is_published_with_that_title(tmp_path):
    """The fixture's real record 33338240 (English TI and Spanish TT) without its TI line, as PubMed
    gives publisher-supplied records: the vernacular title, in its language, is the title."""
    text = re.sub(r"TI  - .*?\n(?=[A-Z]{2,4} *- )", "", _record(VALDECY, "33338240"), count=1, flags=re.S)
    path = _write(tmp_path / "vernacular.txt", text)
    assert _validate(path, tmp_path).conformant == 1
    _, store, _ = _published([path], tmp_path)
    (title,) = _values(store, f"{BASE}/pubmed/33338240", "http://purl.org/dc/terms/title")
    assert title.startswith("Estudio para la determinación") and title.endswith("@es")


# Wrong or lost values

def _with_pubdate(pubdate: str, tmp_path: Path) -> Path:
    """The real record 32048627 with its PubDate replaced (the edit is the date alone)."""
    text = SINGLE.read_text(encoding="utf-8")
    text = re.sub(r"<PubDate>.*?</PubDate>", pubdate, text, count=1, flags=re.S)
    return _write(tmp_path / "dated.xml", text)


@pytest.mark.parametrize(("pubdate", "written"), [
    ("<PubDate><Year>2099</Year><Month>13</Month><Day>45</Day></PubDate>", "2099 13 45"),
    ("<PubDate><Year>2099</Year><Month>Feb</Month><Day>30</Day></PubDate>", "2099 Feb 30"),
])
def test_an_impossible_date_is_a_violation_showing_the_date_as_written(tmp_path, pubdate, written):
    path = _with_pubdate(pubdate, tmp_path)
    (rejected,) = _validate(path, tmp_path).rejected
    assert any(p.severity == "Violation" and written in p.value for p in rejected.problems), rejected.problems
    summary, store, _ = _published([path], tmp_path)
    assert len(summary.rejected) == 1 and store.graph_count() == 0


def test_an_impossible_medline_date_is_a_violation(tmp_path):
    """A real MEDLINE record with its DP line made '2099 Foo 45'."""
    text = re.sub(r"DP  - [^\n]*", "DP  - 2099 Foo 45", _record(VALDECY, "21036393"), count=1)
    path = _write(tmp_path / "dated.txt", text)
    (rejected,) = _validate(path, tmp_path).rejected
    assert any("2099 Foo 45" in p.value for p in rejected.problems)
    summary, store, _ = _published([path], tmp_path)
    assert len(summary.rejected) == 1 and store.graph_count() == 0


def test_a_publication_year_after_next_year_is_a_warning(tmp_path):
    path = _with_pubdate("<PubDate><Year>2099</Year><Month>Feb</Month><Day>3</Day></PubDate>", tmp_path)
    summary = _validate(path, tmp_path)
    assert summary.conformant == 1
    summary, store, _ = _published([path], tmp_path)
    assert summary.published == 1
    assert _values(store, f"{BASE}/pubmed/32048627", "http://prismstandard.org/namespaces/basic/2.0/publicationDate") == {"2099-02-03"}


def test_a_future_year_warning_names_the_year(tmp_path):
    path = _with_pubdate("<PubDate><Year>2099</Year></PubDate>", tmp_path)
    outcomes = []
    ingest.run([path], backend_settings("embedded", tmp_path / "v", None), on_outcome=outcomes.append)
    (outcome,) = outcomes
    assert outcome.status == "conformant"
    assert any(p.severity == "Warning" and "2099" in p.message for p in outcome.problems)


def test_a_medline_date_range_keeps_its_start_and_its_text(tmp_path):
    """PMID 31540998 of the real 2021 baseline subset: <MedlineDate>2019 Sep/Oct</MedlineDate>."""
    summary, store, _ = _published([BASELINE], tmp_path)
    article = f"{BASE}/pubmed/31540998"
    assert _values(store, article, "http://prismstandard.org/namespaces/basic/2.0/publicationDate") == {"2019-09"}
    assert _values(store, article, "http://prismstandard.org/namespaces/basic/2.0/coverDisplayDate") == {"2019 Sep/Oct"}


@pytest.mark.parametrize(("pages", "first", "last"), [
    ("986-8; discussion 988-90", "986", "988"), ("823-834.e5", "823", "834.e5"), ("90S-93S", "90S", "93S")])
def test_abbreviated_page_ranges_are_expanded(tmp_path, pages, first, last):
    """The real record 32048627 with its MedlinePgn replaced by a range PubMed writes elsewhere."""
    text = re.sub(r"<MedlinePgn>[^<]*</MedlinePgn>", f"<MedlinePgn>{pages}</MedlinePgn>",
                  SINGLE.read_text(encoding="utf-8"), count=1)
    path = _write(tmp_path / "paged.xml", text)
    assert _validate(path, tmp_path).conformant == 1
    _, store, _ = _published([path], tmp_path)
    pages_node = f"{BASE}/pubmed/32048627/manifestation"
    prism = "http://prismstandard.org/namespaces/basic/2.0/"
    assert (_values(store, pages_node, prism + "startingPage"), _values(store, pages_node, prism + "endingPage"),
            _values(store, pages_node, prism + "pageRange")) == ({first}, {last}, {pages})


def test_a_collective_author_in_a_text_export_is_a_group(tmp_path):
    """The text export's first real citation with its author line made the one collective author of
    the case PubMed exports ('Italian National Task Force on Hepatitis A.')."""
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    first = text[:text.index("\n2. ")]
    first = re.sub(r"Driscoll K\(1\).*?Ramakrishna W\(3\)\.", "Italian National Task Force on Hepatitis A.", first,
                   count=1, flags=re.S)
    first = first[:first.index("Author information:")] + first[first.index("BACKGROUND:"):]
    path = _write(tmp_path / "group.txt", first)
    assert _validate(path, tmp_path).conformant == 1
    _, store, _ = _published([path], tmp_path)
    rows = list(store.query(f"""SELECT ?type ?name WHERE {{ <{BASE}/pubmed/30831485> <http://purl.org/spar/pro/isDocumentContextFor> ?role .
        ?role <http://purl.org/spar/pro/isHeldBy> ?agent . ?agent a ?type ; <http://xmlns.com/foaf/0.1/name> ?name }}"""))
    types = {row["type"].value.rsplit("/", 1)[1] for row in rows}
    assert {row["name"].value for row in rows} == {"Italian National Task Force on Hepatitis A"}
    assert "Organization" in types and "Person" not in types


def test_medline_headings_link_to_mesh_and_keep_their_major_qualifiers(tmp_path):
    """The real MEDLINE record 3445380: 'Abscess/*etiology/therapy', 'Male', 'Humans'."""
    outcomes = []
    ingest.run([TIE_MEDLINE], backend_settings("embedded", tmp_path / "v", None), on_outcome=outcomes.append)
    (outcome,) = outcomes
    assert outcome.status == "conformant" and not [p for p in outcome.problems if "MeSH" in p.message]
    summary, store, _ = _published([TIE_MEDLINE], tmp_path)
    article = f"{BASE}/pubmed/3445380"
    terms = _values(store, article, "http://purl.org/spar/fabio/hasSubjectTerm")
    primary = _values(store, article, "http://purl.org/spar/fabio/hasPrimarySubjectTerm")
    mesh = "http://id.nlm.nih.gov/mesh/"
    assert {mesh + "D008297", mesh + "D006801", mesh + "D000038", mesh + "D000038Q000209"} <= terms
    assert mesh + "D000038Q000209" in primary  # Abscess/*etiology
    assert mesh + "D000038Q000628" in terms - primary  # Abscess/therapy
    # Queried by MeSH descriptor, as XML records are.
    assert {row["a"].value for row in store.query(f"SELECT ?a {{ ?a <http://purl.org/spar/fabio/hasSubjectTerm> <{mesh}D000038> }}")} == {article}


def test_a_heading_name_mesh_does_not_know_is_kept_and_said(tmp_path):
    """The real record with one heading renamed to a name no MeSH version has."""
    text = _record(TIE_MEDLINE, "3445380").replace("MH  - Drainage", "MH  - Drainage, Imaginary")
    path = _write(tmp_path / "unknown.txt", text)
    outcomes = []
    ingest.run([path], backend_settings("embedded", tmp_path / "v", None), on_outcome=outcomes.append)
    (outcome,) = outcomes
    assert outcome.status == "conformant"
    assert any(p.severity == "Warning" and "Drainage, Imaginary" in p.message for p in outcome.problems)
    _, store, _ = _published([path], tmp_path)
    article = f"{BASE}/pubmed/3445380"
    assert "Drainage, Imaginary" in _values(store, article, "http://purl.org/dc/terms/subject")
    assert _values(store, article, f"{BASE}/vocab#unmatchedMeshHeading") == {"Drainage, Imaginary"}


@pytest.mark.parametrize("source", ["xml", "medline"])
def test_control_characters_never_reach_the_documents(tmp_path, source):
    """Real records with a vertical tab and a unit separator put in their titles."""
    if source == "xml":
        text = SINGLE.read_text(encoding="utf-8").replace("myeloma cell line.</ArticleTitle>",
                                                         "myeloma\x0b cell\x1f line.</ArticleTitle>", 1)
        path, pmid = _write(tmp_path / "controls.xml", text), "32048627"
    else:
        text = _record(TIE_MEDLINE, "3445380").replace("An atypical case", "An\x0batypical\x1fcase")
        path, pmid = _write(tmp_path / "controls.txt", text), "3445380"
    assert _validate(path, tmp_path).conformant == 1
    summary, store, settings = _published([path], tmp_path)
    assert summary.published == 1
    with TestClient(create_app(settings, store)) as client:
        rdfxml = client.get(f"/doc/pubmed/{pmid}.rdf")
        results = client.get("/sparql", params={"query": f"SELECT ?t {{ <{BASE}/pubmed/{pmid}> <http://purl.org/dc/terms/title> ?t }}"},
                             headers={"Accept": "application/sparql-results+xml"})
    graph = Graph().parse(data=rdfxml.content, format="xml")  # well-formed XML again
    (title,) = {str(o) for s, p, o in graph if str(p) == "http://purl.org/dc/terms/title" and str(s).endswith(pmid)}
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", title) and ("  " in title or " " in title)
    assert results.status_code == 200 and b"\x0b" not in results.content


def test_the_richer_copy_wins_a_tie_whatever_the_order(tmp_path):
    """PMID 3445380 as PubMed exported it in MEDLINE text and in XML, both revised 2006-11-15: the XML
    copy is kept though the MEDLINE file's name sorts last, in either order."""
    medline = tmp_path / "zz-latest-name.nbib"
    medline.write_bytes(TIE_MEDLINE.read_bytes())
    for order in ([TIE_XML, medline], [medline, TIE_XML]):
        _, store, _ = _published(order, tmp_path, f"store-{order[0].suffix}")
        graph = f"{BASE}/graph/pubmed/3445380"
        assert _values(store, graph, f"{BASE}/vocab#sourceFormat") == {"pubmed-xml"}
        assert _values(store, graph, "http://purl.org/dc/terms/source") == {TIE_XML.name}


# Deletions and re-runs

def _xml(path: Path, raws: list[str], deleted: tuple[str, ...] = ()) -> Path:
    deletion = "<DeleteCitation>" + "".join(f'<PMID Version="1">{p}</PMID>' for p in deleted) + "</DeleteCitation>"
    return _write(path, "<PubmedArticleSet>" + "".join(raws) + (deletion if deleted else "") + "</PubmedArticleSet>")


def test_update_files_end_the_same_in_any_order_and_any_runs(tmp_path):
    """Two daily update files made from real baseline records: the first republishes A and B and
    withdraws C, the second republishes C and withdraws A (a deletion in each direction). PubMed's
    rule is the files' publishing order (their names), whatever order they are read in."""
    from rdfpub.model import Record
    from rdfpub.sources import read_records
    records = [r for r in read_records(BASELINE) if isinstance(r, Record)]
    a, b, c = records[:3]
    first = _xml(tmp_path / "pubmed21n1100.xml", [a.raw, b.raw], (c.article.pmid,))
    second = _xml(tmp_path / "pubmed21n1200.xml", [c.raw], (a.article.pmid,))
    orders = {"one run": [[BASELINE, first, second]], "one run backward": [[second, first, BASELINE]],
              "three runs": [[second], [BASELINE], [first]], "baseline again last": [[first], [second], [BASELINE]]}
    datasets, summaries = {}, {}
    for name, runs in orders.items():
        settings = backend_settings("embedded", tmp_path / name.replace(" ", "-"), None)
        store = open_store(settings)
        summaries[name] = [ingest.run(paths, settings, store) for paths in runs]
        datasets[name] = _dataset(store)
        titles = {row["p"].value for row in store.query(f"SELECT ?p {{ ?a <{PMID}> ?p ; <http://purl.org/dc/terms/title> ?t }}")}
        assert a.article.pmid not in titles and {b.article.pmid, c.article.pmid} <= titles, name
    assert len({frozenset(dataset) for dataset in datasets.values()}) == 1
    # Every run counts the deletions it read, and says what each named.
    forward = summaries["one run"][0]
    assert (forward.deletions, forward.deleted, forward.absent, forward.superseded) == (2, 2, 0, 0)
    backward = summaries["one run backward"][0]
    assert (backward.deletions, backward.deleted, backward.absent, backward.superseded) == (2, 0, 1, 1)
    # Kept out: A from the first update file and from the baseline (the second file withdrew it),
    # and C from the baseline (the first file withdrew that copy; the second's stays).
    assert backward.withdrawn == 3


def test_reading_the_same_files_again_changes_nothing(tmp_path):
    """The real sample holds PMID 31383287 twice with equal version and revision date: the copy read
    first stays, so a second run replaces nothing and the dumps keep their ETags."""
    summary, store, settings = _published([SAMPLE, BASELINE], tmp_path)
    with TestClient(create_app(settings, store)) as client:
        before = {name: client.head(f"/dump.{name}").headers["etag"] for name in ("nq", "ttl")}
        again = ingest.run([SAMPLE, BASELINE], settings, store)
        after = {name: client.head(f"/dump.{name}").headers["etag"] for name in ("nq", "ttl")}
    assert (again.replaced, again.published) == (0, 0) and again.unchanged + again.older == again.read
    assert before == after


def test_development_data_twice_replaces_nothing(development_store):
    settings, store, summary = development_store
    paths = [DEVELOPMENT / name for name in ("xml", "medline", "abstract-text")]
    # The dump of ~4,300 records takes longer than a page may wait for it (then 503, Retry-After).
    with TestClient(create_app(dataclasses.replace(settings, page_timeout=600), store)) as client:
        before = client.head("/dump.nq").headers["etag"]
        again = ingest.run(paths, settings, store)
        assert client.head("/dump.nq").headers["etag"] == before
    assert summary.published > 4000 and again.replaced == 0 and again.published == 0
