"""The "Abstract (text)" export parser, field by field against real citations copied into tests/data."""

import io

import pytest

from rdfpub.errors import ParseError
from rdfpub.model import Affiliation, CommentCorrection, Journal, Pages, PartialDate, Record, Unreadable
from rdfpub.sources import abstract_text, medline, open_binary
from rdfpub.sources.citation import parse_citation

from conftest import DATA

FIRST_25 = DATA / "OliverCardiff__Literature_networks__pubmed_result.records-1-25.txt"
THREE = DATA / "OliverCardiff__Literature_networks__pubmed_result.records-46-372-750.txt"
MEDLINE_FILE = DATA / "biopython__biopython__Tests__Medline__pubmed_result2.txt"


def _parse(path):
    with open_binary(path) as stream:
        return list(abstract_text.parse(stream, path.name))


@pytest.fixture(scope="module")
def first_25():
    return _parse(FIRST_25)


@pytest.fixture(scope="module")
def three():
    return _parse(THREE)


def test_every_citation_is_a_record_in_order(first_25, three):
    assert len(first_25) == 25 and all(isinstance(item, Record) for item in first_25)
    assert [item.source.position for item in first_25] == list(range(1, 26))
    # The file starts with CRLF, so the first citation is on line 2.
    assert first_25[0].source.line == 2 and first_25[1].source.line == 60
    assert [item.article.pmid for item in three] == ["30603562", "28902842", "27188821"]


def test_sniff_tells_the_formats_apart():
    head = FIRST_25.read_bytes()[:8192].decode("utf-8", errors="replace")
    assert abstract_text.sniff(head) and not medline.sniff(head)
    assert not abstract_text.sniff(MEDLINE_FILE.read_text(encoding="utf-8"))
    assert not abstract_text.sniff("Glutamatergic Neurotransmission\n- PMID: 30445512\n- DOI: 10.1093/x\n")
    assert not abstract_text.sniff("<?xml version='1.0'?>\n<PubmedArticleSet>")


def test_citation_title_authors_and_affiliations(first_25):
    record = first_25[0]
    article = record.article
    assert article.pmid == "30831485" and article.doi == "10.1016/j.phymed.2018.12.034"
    assert article.journal == Journal(medline_ta="Phytomedicine")
    assert (article.volume, article.issue, article.pages) == ("57", None, Pages("364-376", "364", "376"))
    assert article.published == PartialDate(2018, 12, 31, "2018 Dec 31")
    assert record.publication_status == "aheadofprint"
    assert article.title == ("Anti-inflammatory and immune-modulating effects of rice callus suspension culture "
                             "(RCSC) and bioactive fractions in an in vitro inflammatory bowel disease model.")
    assert [author.name for author in article.authors] == [
        "K Driscoll", "A Deshpande", "A Chapp", "K Li", "R Datta", "W Ramakrishna"]
    assert article.authors[3].affiliations == (
        Affiliation("School of Medicine, University of California, San Diego, CA, USA."),)
    assert article.authors[5].affiliations[0].text.endswith("Electronic address: rk.wusirika@cup.edu.in.")
    assert article.copyright == "Copyright © 2019 Elsevier GmbH. All rights reserved."


def test_structured_abstract(first_25):
    article = first_25[0].article
    assert [s.label for s in article.abstract_sections] == [
        "BACKGROUND", "HYPOTHESIS/PURPOSE", "STUDY DESIGN", "RESULTS", "CONCLUSION"]
    assert article.abstract.startswith("BACKGROUND: Rice callus suspension culture (RCSC) has been shown")
    assert article.abstract_sections[1].text == ("The anti-inflammatory potential of RCSC and its bioactive "
                                                 "fractions on normal colon epithelial cell lines, was investigated.")
    # 'CI: 1.06-2.00' opens a wrapped line in citation 7 but follows no sentence end: not a label.
    assert [s.label for s in first_25[6].article.abstract_sections] == [
        "BACKGROUND", "AIM", "METHODS", "RESULTS", "CONCLUSIONS"]


def test_several_affiliations_pmcid_embargo_and_epub(first_25):
    record = first_25[1]
    article = record.article
    assert article.pmcid == "PMC6390416" and article.epublished == PartialDate(2019, 1, 10, "2019 Jan 10")
    assert [a.text for a in article.authors[0].affiliations] == [
        "Department of Infectious Disease Control, Faculty of Medicine, Oita University, Yufu, Japan.",
        "Department of Gastroenterology, Faculty of Medicine, Oita University, Yufu, Japan."]
    assert article.authors[5].name == "A Dewayani"  # the name is wrapped over two lines
    assert record.history == (("pmc-release", PartialDate(2020, 2, 1, "2020-02-01")),)
    assert [s.label for s in article.abstract_sections] == ["Background", "Methods", "Results", "Conclusion"]


def test_collective_author_and_collaborators(first_25):
    article = first_25[6].article
    names = [author.name for author in article.authors]
    assert names[13:16] == ["K Lindby", "Danish IBD Genetics Working Group", "J Sørensen"]
    assert article.authors[14].collective_name == "Danish IBD Genetics Working Group"
    assert article.authors[4].last_name == "Broder Brodersen"
    assert [a.text for a in article.authors[4].affiliations] == ["Esbjerg, Denmark.", "Odense, Denmark."]
    assert article.notes[0].startswith("Collaborators: Bergmann AC, Andersen PS,")
    assert article.copyright == "© 2019 John Wiley & Sons Ltd."


def test_correction_notice(first_25):
    record = first_25[18]
    article = record.article
    assert article.pmid == "30721250" and article.pmcid == "PMC6363215"
    assert article.comments_corrections == (CommentCorrection("ErratumFor", "PLoS One. 2018 Mar 16;13(3):e0194036."),)
    assert article.abstract == "[This corrects the article DOI: 10.1371/journal.pone.0194036.]."
    assert all(not author.affiliations for author in article.authors) and len(article.authors) == 18
    assert record.history == (("ecollection", PartialDate(2019, text="2019")),)


def test_foreign_language_article_with_publisher_abstract(first_25):
    article = first_25[21].article
    assert article.title == "[Insights into the Pathogenesis of Inflammatory Bowel Diseases: Genetics and Microbiota]."
    assert article.languages == ("ger",)
    assert "Abstract available in German from the publisher" in article.notes
    assert article.other_abstracts[0].label == "Publisher"
    assert article.other_abstracts[0].text.startswith("Zusammenfassung. Chronisch entzündliche Darmerkrankungen")
    # The DOI and PMID lines follow the publisher's abstract with no blank line between.
    assert article.other_abstracts[0].text.endswith("neue therapeutische Optionen eröffnen.")
    assert (article.doi, article.pmid) == ("10.1024/0040-5930/a000999", "30700240")


def test_equal_contribution_conflict_statement_and_status(three):
    record = three[0]
    article = record.article
    assert [a.name for a in article.authors if a.equal_contribution] == ["JY Kim", "SY Chun", "TG Kwon", "BI Jang"]
    assert "Author information: (#)Contributed equally" in article.notes
    assert any(note.startswith("Conflict of interest statement: The authors declare") for note in article.notes)
    assert record.history == (("pmc-release", PartialDate(2019, 6, 23, "2019-06-23")),
                              ("ecollection", PartialDate(2018, 8, text="2018 Aug")))
    assert record.status is None and three[1].status == "MEDLINE"


def test_comment_and_erratum_blocks_before_the_abstract(three):
    article = three[1].article
    assert article.comments_corrections == (
        CommentCorrection("ErratumIn", "Nature. 2017 Nov 15;:."),
        CommentCorrection("CommentIn", "Curr Biol. 2018 Jan 8;28(1):R33-R36."))
    assert article.abstract.startswith("Type 2 innate lymphoid cells (ILC2s) both contribute")
    assert article.authors[15].name == "T Mahlakõiv"
    news = three[2].article
    assert news.abstract is None and [a.name for a in news.authors] == ["C Ridler"]
    assert news.comments_corrections == (CommentCorrection("CommentOn", "Nat Med. 2016 Jun;22(6):598-605."),)


def test_citation_lines():
    cited = parse_citation("Dig Dis. 2015;33 Suppl 1:11-16. Epub 2015 Sep 14.")
    assert (cited.journal, cited.volume, cited.pages.first) == ("Dig Dis", "33 Suppl 1", "11")
    assert cited.epublished == PartialDate(2015, 9, 14, "2015 Sep 14")
    cited = parse_citation("Gastroenterology. 2018 Nov 10. pii: S0016-5085(18)35242-6. doi: 10.1053/j.gastro.x. "
                           "[Epub ahead of print]")
    assert cited.pii == "S0016-5085(18)35242-6" and cited.doi == "10.1053/j.gastro.x" and cited.ahead_of_print
    assert parse_citation("Ceska Slov Farm. 2018 Winter;67(3):95-100.").published == PartialDate(
        2018, text="2018 Winter", period=True)


def test_a_bad_citation_among_good_ones_is_unreadable_and_the_file_goes_on():
    data = THREE.read_bytes().replace(b"PMID: 28902842  [Indexed for MEDLINE]", b"", 1)
    items = list(abstract_text.parse(io.BytesIO(data), "three.txt"))
    assert [type(item).__name__ for item in items] == ["Record", "Unreadable", "Record"]
    bad = items[1]
    assert isinstance(bad, Unreadable) and "no 'PMID:' line" in bad.reason and bad.source.position == 2
    assert bad.raw.startswith("372. Nature. 2017 Sep 21") and bad.source.line == 66


def test_bytes_that_are_not_utf8_raise_parse_error_naming_file_and_line():
    latin1 = "1. Rev Prat. 2014 Nov;64(9):1210-5.\n\n[\u00c9pid\u00e9miologie].\n\nPMID: 25638856\n".encode("latin-1")
    with pytest.raises(ParseError) as caught:
        list(abstract_text.parse(io.BytesIO(latin1), "latin1.txt"))
    assert (caught.value.source, caught.value.line) == ("latin1.txt", 3)
