"""The MEDLINE tagged-text parser, field by field against real records copied into tests/data."""

import io

import pytest

from rdfpub.errors import ParseError
from rdfpub.model import (AbstractSection, Affiliation, CommentCorrection, Concept, Grant, Identifier, Keyword,
                          MeshHeading, MeshQualifier, Pages, PartialDate, Record, Unreadable)
from rdfpub.sources import medline, open_binary
from rdfpub.sources.medline_values import grant

from conftest import DATA

MCDA = DATA / "Valdecy__pyBibX__assets__bibs__mcda_pubmed.txt"
EXCERPT = DATA / "Valdecy__pyBibX__assets__bibs__pubmed.records-4-7-65-290.txt"
BIOPYTHON_2 = DATA / "biopython__biopython__Tests__Medline__pubmed_result2.txt"
BIOPYTHON_3 = DATA / "biopython__biopython__Tests__Medline__pubmed_result3.txt"
SYNTHESISR = DATA / "mjwestgate__synthesisr__tests__testthat__testdata__PubMed_example.txt"
SYNTH_METHODS = DATA / "mjwestgate__synthesisr__tests__testthat__testdata__res_synth_methods.txt"


def _parse(path):
    with open_binary(path) as stream:
        return list(medline.parse(stream, path.name))


def _by_pmid(path):
    return {item.article.pmid: item for item in _parse(path)}


@pytest.mark.parametrize("path, count", [(MCDA, 10), (BIOPYTHON_2, 4), (BIOPYTHON_3, 1), (SYNTHESISR, 3),
                                         (SYNTH_METHODS, 2), (EXCERPT, 4)])
def test_record_counts_match_the_manifest(path, count):
    items = _parse(path)
    assert len(items) == count and all(isinstance(item, Record) for item in items)
    assert [item.source.position for item in items] == list(range(1, count + 1))


def test_sniff_tells_medline_from_the_other_formats():
    assert medline.sniff(MCDA.read_text(encoding="utf-8")[:8192])
    assert medline.sniff("\ufeff\nPMID- 30445512\nOWN - NLM\n")
    assert not medline.sniff("1. J Affect Disord. 2014 Mar;156:24-35.\n\nTitle.\n\nPMID: 24388038\n")
    assert not medline.sniff("Glutamatergic Neurotransmission\n- PMID: 30445512\n- DOI: 10.1093/x\n")
    assert not medline.sniff("<?xml version='1.0'?>\n<PubmedArticleSet>")


def test_journal_article_with_crlf_lines_and_non_ascii_names():
    items = _parse(MCDA)
    record = items[0]
    article = record.article
    assert record.source.line == 1 and items[1].source.line == 74
    assert article.pmid == "36206242" and article.pmcid == "PMC9543698"
    assert article.doi == "10.1371/journal.pone.0268950"
    assert article.elocations == (Identifier("doi", "10.1371/journal.pone.0268950"),
                                  Identifier("elocation", "e0268950"))
    assert article.published == PartialDate(2022, text="2022")
    assert article.authors[0].last_name == "Mazurek" and article.authors[0].fore_name == "Jiří"
    strzalka = article.authors[1]
    assert (strzalka.last_name, strzalka.fore_name, strzalka.initials) == ("Strzałka", "Dominik", "D")
    assert strzalka.identifiers == (Identifier("ORCID", "0000-0002-8887-4321"),)
    assert "COIS: The authors have declared that no competing interests exist." in article.notes
    assert "SI: figshare/10.6084/m9.figshare.19525087.v1" in article.notes
    assert record.raw.startswith("PMID- 36206242\nOWN - NLM") and "\r" not in record.raw


def test_collective_author_keeps_its_place_and_grants_split():
    by_pmid = _by_pmid(MCDA)
    authors = by_pmid["27021745"].article.authors
    names = [author.name for author in authors]
    assert names[-1] == "ISPOR Task Force" and authors[-1].collective_name == "ISPOR Task Force"
    assert names[names.index("Nancy Devlin") + 1] == "ISPOR Task Force"
    assert by_pmid["27021745"].article.published == PartialDate(2016, 3, text="2016 Mar-Apr", period=True)
    assert by_pmid["35087262"].article.grants == (Grant("EPA999999", None, "Intramural EPA", "United States"),)
    assert Identifier("mid", "NIHMS1762309") in by_pmid["35087262"].article.other_ids
    assert by_pmid["33733971"].article.chemicals == (
        # MEDLINE names substances without ids: a MeSH descriptor's is found in NLM's table, a
        # supplementary concept (burosumab) is not in it and stays a name.
        Concept("Antibodies, Monoclonal, Humanized", "D061067"), Concept("burosumab", registry_number="G9WJT6RD29"))


def test_comments_corrections_mesh_and_dates():
    by_pmid = _by_pmid(EXCERPT)
    record = by_pmid["21036393"]
    article = record.article
    assert article.title == "Drug harms in the UK: a multicriteria decision analysis."
    assert article.pages == Pages("1558-65", "1558", "1565")
    assert (article.volume, article.issue) == ("376", "9752")
    assert article.published == PartialDate(2010, 11, 6, "2010 Nov 6")
    assert article.epublished == PartialDate(2010, 10, 29, "20101029")
    assert (record.completed, record.revised) == (PartialDate(2010, 12, 6, "20101206"), PartialDate(2022, 4, 10, "20220410"))
    assert record.created == PartialDate(2010, 11, 2, "2010/11/02 06:00")
    assert ("entrez", PartialDate(2010, 11, 2, "2010/11/02 06:00")) in record.history
    assert len(article.comments_corrections) == 9
    assert article.comments_corrections[0] == CommentCorrection(
        "CommentIn", "Lancet. 2010 Nov 6;376(9752):1524-5. PMID: 21036391", "21036391")
    assert article.authors[0].affiliations == (
        Affiliation("Neuropsychopharmacology Unit, Imperial College, London, UK. d.nutt@imperial.ac.uk"),)
    assert [a.name for a in article.authors][-1] == "Independent Scientific Committee on Drugs"
    assert article.grants == (Grant("G1002226", "MRC_", "Medical Research Council", "United Kingdom"),)
    # Headings get their MeSH ids from NLM's table; '*' marks the major qualifier.
    assert MeshHeading("Illicit Drugs", "D013287", qualifiers=(MeshQualifier("adverse effects", "Q000009", major=True),
                                                               MeshQualifier("classification", "Q000145"))) in article.mesh_headings
    assert article.journal.issn_electronic == "1474-547X" and article.journal.issn_linking == "0140-6736"
    assert (article.journal.medline_ta, article.journal.title, article.journal.nlm_id) == (
        "Lancet", "Lancet (London, England)", "2985213R")
    assert article.abstract_sections[0].label == "BACKGROUND"
    assert [s.label for s in article.abstract_sections] == ["BACKGROUND", "METHODS", "FINDINGS", "INTERPRETATION", "FUNDING"]
    assert article.abstract.startswith("BACKGROUND: Proper assessment of the harms caused by the misuse of drugs can inform")
    erratum = by_pmid["31623981"].article
    assert erratum.comments_corrections == (
        CommentCorrection("ErratumIn", "Eur Urol Focus. 2022 Jan;8(1):360-361. PMID: 33422458", "33422458"),)
    assert MeshHeading("Decision Support Techniques", "D003661", major=True) in erratum.mesh_headings
    assert erratum.keywords[0] == Keyword("Antimuscarinic", owner="NOTNLM")


def test_translated_title_and_languages():
    article = _by_pmid(EXCERPT)["33338240"].article
    assert article.languages == ("eng", "spa")
    assert article.vernacular_title.startswith("Estudio para la determinación de medidas de resultados en salud")
    assert article.authors[6].fore_name == "Miguel Ángel" and article.authors[6].initials == "MÁ"


def test_book_record():
    record = _by_pmid(EXCERPT)["30329254"]
    article = record.article
    assert article.kind == "book" and record.status == "Publisher"
    assert article.title.startswith("The impact of home energy efficiency interventions and winter fuel payments")
    assert article.book.publisher == "NIHR Journals Library" and article.book.publisher_location == "Southampton (UK)"
    assert article.book.collection_title == "Public Health Research"
    assert article.book.published == PartialDate(2018, 10, text="2018 Oct")
    assert article.journal is None and article.doi == "10.3310/phr06110"
    assert Identifier("bookaccession", "NBK532137") in article.other_ids
    assert article.authors[0].identifiers == (Identifier("ORCID", "0000-0003-4407-0409"),)
    assert article.other_abstracts[0].text.startswith("The impact of home energy efficiency programmes")
    assert "OABL: eng" in article.notes and "RF: 142" in article.notes
    assert ("accepted", PartialDate(2017, 9, 1, "2017/09/01 00:00")) in record.history
    assert [s.label for s in article.abstract_sections][:3] == ["BACKGROUND", "OBJECTIVES", "DESIGN"]


def test_old_record_dates_and_affiliation_before_the_authors():
    record = _parse(BIOPYTHON_2)[0]
    article = record.article
    assert record.created == PartialDate(2006, 2, 20, "20060220")
    assert ("received", PartialDate(2005, 6, 17, "2005/06/17")) == record.history[0]
    assert article.authors[0].affiliations[0].text.startswith("Bioinformatics, Institute of Cell and Molecular Science")
    assert article.authors[2].fore_name == "Mansoor A S" and article.authors[2].initials == "MA"
    assert article.pages == Pages("10", "10", None) and record.publication_status == "epublish"
    assert "PUBM: Electronic" in article.notes


def test_continuation_lines_join_with_one_space():
    article = _parse(BIOPYTHON_3)[0].article
    heading = MeshHeading("High-Intensity Focused Ultrasound Ablation", "D057086", qualifiers=(
        MeshQualifier("adverse effects", "Q000009"), MeshQualifier("instrumentation", "Q000295"),
        MeshQualifier("methods", "Q000379", major=True)))
    assert heading in article.mesh_headings
    assert article.abstract_sections[0] == AbstractSection(
        article.abstract_sections[0].text, label="PURPOSE")


def test_grant_values():
    assert grant("R01 MH000/MH/NIMH NIH HHS/United States") == Grant("R01 MH000", "MH", "NIMH NIH HHS", "United States")
    assert grant("AL 1887/1-1/Deutsche Forschungsgemeinschaft") == Grant("AL 1887/1-1", None, "Deutsche Forschungsgemeinschaft")
    assert grant("National Geographic Society") == Grant(None, None, "National Geographic Society")


def test_a_bad_record_among_good_ones_is_unreadable_and_the_file_goes_on():
    text = BIOPYTHON_2.read_bytes()
    second = text.index(b"PMID- 16377612")
    broken = text[:second] + text[second:].replace(b"PMID- 16377612\n", b"", 1).replace(b"TI  - ", b"TI  = ", 1)
    items = list(medline.parse(io.BytesIO(broken), "broken.txt"))
    assert [type(item).__name__ for item in items] == ["Record", "Unreadable", "Record", "Record"]
    bad = items[1]
    assert isinstance(bad, Unreadable) and bad.source.position == 2 and bad.source.line == 67
    assert "neither a 'TAG - value' line" in bad.reason and bad.raw.startswith("OWN - NLM")
    missing = list(medline.parse(io.BytesIO(b"OWN - NLM\nTI  - No PMID here.\n\nPMID- 1\nTI  - Fine.\n"), "x"))
    assert isinstance(missing[0], Unreadable) and "no 'PMID- ' line" in missing[0].reason
    assert missing[1].article.pmid == "1" and missing[1].source.line == 4


def test_bytes_that_are_not_utf8_raise_parse_error_naming_file_and_line():
    latin1 = "PMID- 1\nTI  - Caf\u00e9 au lait.\nFAU - M\u00fcller, Jan\n".encode("latin-1")
    with pytest.raises(ParseError) as caught:
        list(medline.parse(io.BytesIO(latin1), "latin1.txt"))
    assert caught.value.source == "latin1.txt" and caught.value.line == 2
    assert "latin1.txt:2" in str(caught.value) and "UTF-8" in str(caught.value)


def test_bom_and_crlf_are_accepted():
    items = list(medline.parse(io.BytesIO(b"\xef\xbb\xbfPMID- 7\r\nTI  - A title\r\n      continued.\r\n"), "bom.txt"))
    assert items[0].article.pmid == "7" and items[0].article.title == "A title continued."
