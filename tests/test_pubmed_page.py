"""The page-text parser, field by field against the seed record."""

import io

import pytest

from rdfpub.errors import ParseError
from rdfpub.model import Pages, PartialDate
from rdfpub.sources import detect_format, read_records
from rdfpub.sources.pubmed_page import parse, parse_reference, parse_summary_entry, sniff

from conftest import SEED


@pytest.fixture(scope="module")
def record():
    records = list(read_records(SEED))
    assert len(records) == 1
    return records[0]


def test_format_is_detected_from_content():
    assert detect_format(SEED) == "pubmed-page"
    assert not sniff("PMID- 30445512\nOWN - NLM\n")
    assert not sniff("<?xml version='1.0'?>\n<PubmedArticleSet>")


def test_article_fields(record):
    article = record.article
    assert article.title == ("Glutamatergic Neurotransmission: Pathway to Developing Novel "
                             "Rapid-Acting Antidepressant Treatments")
    assert (article.pmid, article.pmcid, article.doi) == ("30445512", "PMC6368372", "10.1093/ijnp/pyy094")
    assert article.abstract.startswith("The underlying neurobiological basis of major depressive disorder")
    assert article.abstract.endswith("clinically relevant studies are described.")
    assert "α-amino-3-hydroxy-5-methyl-4-isoxazole-propionic acid" in article.abstract
    assert "Figures" not in article.abstract
    assert record.source.name == str(SEED) and record.source.line == 1
    assert record.other_sections == ()


# (pmid, title start, journal, date, volume, issue, pages, doi, epub, types, notes)
SIMILAR = [
    ("24388038", "A review of ketamine in affective disorders", "J Affect Disord", PartialDate(2014, 3, None, "2014 Mar"),
     "156", None, Pages("24-35", "24", "35"), "10.1016/j.jad.2013.11.014", PartialDate(2013, 12, 10, "2013 Dec 10"),
     ("Review",), ()),
    ("40012166", "Acute subanesthetic ketamine-induced effects", "J Psychopharmacol", PartialDate(2025, 6, None, "2025 Jun"),
     "39", "6", Pages("577-592", "577", "592"), "10.1177/02698811251319456", PartialDate(2025, 2, 26, "2025 Feb 26"),
     ("Clinical Trial",), ("Free PMC article",)),
    ("29718013", "Ketamine for Treatment-Resistant Depression: a New Advocate.", "Rev Invest Clin", PartialDate(2018, None, None, "2018"),
     "70", "2", Pages("65-7", "65", "67"), "10.24875/RIC.18002501", None, (), ()),
    ("32017978", "Ketamine: The final frontier or another depressing end?", "Behav Brain Res", PartialDate(2020, 4, 6, "2020 Apr 6"),
     "383", None, Pages("112508", "112508", None), "10.1016/j.bbr.2020.112508", PartialDate(2020, 2, 1, "2020 Feb 1"),
     ("Review",), ("Free PMC article",)),
    ("32061748", "Overlap in the neural circuitry", "Behav Brain Res", PartialDate(2020, 4, 20, "2020 Apr 20"),
     "384", None, Pages("112548", "112548", None), "10.1016/j.bbr.2020.112548", PartialDate(2020, 2, 13, "2020 Feb 13"),
     ("Review",), ("Free PMC article",)),
]
CITED_BY = [
    ("36620687", "Dissecting the molecular mechanisms", "Front Psychiatry", PartialDate(2022, 12, 22, "2022 Dec 22"),
     "13", None, Pages("1054726", "1054726", None), "10.3389/fpsyt.2022.1054726", None,
     ("Review",), ("Free PMC article", "eCollection 2022")),
    ("34893785", "The stressed synapse 2.0", "Nat Rev Neurosci", PartialDate(2022, 2, None, "2022 Feb"),
     "23", "2", Pages("86-103", "86", "103"), "10.1038/s41583-021-00540-x", PartialDate(2021, 12, 10, "2021 Dec 10"),
     ("Review",), ()),
    ("39041263", "Ghrelin, Neuroinflammation, Oxidative Stress, and Mood Disorders: What Are the Connections?",
     "Curr Neuropharmacol", PartialDate(2025, None, None, "2025"), "23", "2", Pages("172-186", "172", "186"),
     "10.2174/1570159X22999240722095039", None, ("Review",), ("Free PMC article",)),
    ("33904154", "Novel Glutamatergic Modulators", "CNS Drugs", PartialDate(2021, 5, None, "2021 May"),
     "35", "5", Pages("527-543", "527", "543"), "10.1007/s40263-021-00816-x", PartialDate(2021, 4, 26, "2021 Apr 26"),
     ("Review",), ("Free PMC article",)),
    ("34403718", "A wake-up call", "Prog Neurobiol", PartialDate(2021, 11, None, "2021 Nov"),
     "206", None, Pages("102140", "102140", None), "10.1016/j.pneurobio.2021.102140", PartialDate(2021, 8, 14, "2021 Aug 14"),
     (), ("Free PMC article",)),
]


def _check_entries(articles, expected):
    assert len(articles) == len(expected)
    for article, (pmid, title, journal, date, volume, issue, pages, doi, epub, types, notes) in zip(articles, expected):
        assert article.pmid == pmid
        assert article.title.startswith(title)
        assert not article.title.endswith(journal)
        assert article.journal.medline_ta == journal
        assert article.published == date
        assert (article.volume, article.issue, article.pages) == (volume, issue, pages)
        assert article.doi == doi
        assert article.epublished == epub
        assert tuple(t.name for t in article.publication_types) == types
        assert article.notes == notes
        assert article.citation_text.endswith(f"{journal}. {date.year}.")


def test_similar_articles(record):
    _check_entries(record.similar, SIMILAR)


def test_cited_by(record):
    _check_entries(record.cited_by, CITED_BY)


def test_reference_fields(record):
    (reference,) = record.references
    assert reference.position == 1
    assert reference.text == (
        "Aan het Rot M, Collins KA, Murrough JW, Perez AM, Reich DL, Charney DS, Mathew SJ(2010)Safety and "
        "efficacy of repeated-dose intravenous ketamine for treatment-resistant depression. Biol Psychiatry "
        "67:139–145.")
    assert reference.authors == ("Aan het Rot M", "Collins KA", "Murrough JW", "Perez AM", "Reich DL",
                                 "Charney DS", "Mathew SJ")
    assert reference.year == "2010"
    assert reference.title == ("Safety and efficacy of repeated-dose intravenous ketamine for "
                               "treatment-resistant depression")
    assert (reference.journal, reference.volume, reference.pages) == ("Biol Psychiatry", "67", "139–145")
    assert reference.link_labels == ("PubMed",)
    assert (reference.pmid, reference.doi) == (None, None)


def test_unparseable_reference_keeps_its_text():
    reference = parse_reference(3, "Personal communication from the authors - DOI - PubMed")
    assert reference.text == "Personal communication from the authors"
    assert reference.link_labels == ("DOI", "PubMed")
    assert reference.authors == () and reference.title is None


def test_entry_without_citation_keeps_its_text():
    article = parse_summary_entry("Some odd entry with no citation at all. PMID: 12345 Review.")
    assert article.pmid == "12345"
    assert article.title is None
    assert article.citation_text == "Some odd entry with no citation at all."
    assert [t.name for t in article.publication_types] == ["Review"]


def test_entry_without_pmid_is_kept_as_text():
    article = parse_summary_entry("An entry the page cut short")
    assert article.pmid is None and article.citation_text == "An entry the page cut short"


def test_page_without_pmid_line_is_a_parse_error():
    with pytest.raises(ParseError) as caught:
        list(parse(io.BytesIO(b"A title\nAbstract\nText\n"), "copy.txt"))
    assert "copy.txt:2" in str(caught.value) and "PMID" in str(caught.value)


def test_unknown_sections_are_kept_as_text():
    text = "Title\n- PMID: 1\nAbstract\nBody.\nKeywords\nketamine; depression\n"
    (record,) = parse(io.BytesIO(text.encode()), "x.txt")
    assert record.other_sections == (("Keywords", "ketamine; depression"),)
    assert record.article.abstract == "Body."
