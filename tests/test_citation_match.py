"""Each matching rule of rdfpub/references/matching.py, and the near misses that must not link."""

import pytest

from rdfpub.model import Article, Author, Journal, Pages, PartialDate
from rdfpub.references.matching import (
    CITATION_MATCH,
    IDENTIFIER_IN_TEXT,
    THRESHOLD,
    ArticleKey,
    article_key,
    best,
    family_key,
    reference_key,
    score,
)

# The facts of the seed's one reference, and nothing else.
KETAMINE = article_key(Article(
    pmid="99999901", title="Safety and efficacy of repeated-dose intravenous ketamine for treatment-resistant depression.",
    authors=(Author(last_name="Aan het Rot", initials="M"), Author(last_name="Collins", initials="KA")),
    journal=Journal(medline_ta="Biol Psychiatry"), volume="67", pages=Pages("139-45", "139", "145"),
    published=PartialDate(2010, text="2010")), "urn:a:1", "urn:g:1")
SEED_TEXT = ("Aan het Rot M, Collins KA, Murrough JW, Perez AM, Reich DL, Charney DS, Mathew SJ(2010)Safety and "
             "efficacy of repeated-dose intravenous ketamine for treatment-resistant depression. Biol Psychiatry "
             "67:139–145.")


def _with(**changes) -> ArticleKey:
    return ArticleKey(**{**KETAMINE.__dict__, **changes})


def test_family_names_are_keys_whatever_their_case_accents_and_spaces():
    assert family_key("Aan het Rot") == family_key("aan het rot") == "aanhetrot"
    assert family_key("Cañestro") == "canestro"
    assert reference_key("Albalat, R., and C. Cañestro. 2016. Evolution by gene loss.").family == "albalat"
    assert reference_key("Smith JA, Doe B. A title. J Biol. 2001;5:1-9.").family == "smith"


@pytest.mark.parametrize("text", [
    "Aan het Rot M, et al. Ketamine. PMID: 99999901", "12. Aan het Rot M. Ketamine. doi:10.1000/KETAMINE.1.",
    "Biol Psychiatry. PMCID: PMC123456", "PMID: 99999901"])
def test_an_identifier_in_the_text_links_with_score_one(text):
    """Whatever else the text says or leaves out (its title, year, pages)."""
    article = _with(doi="10.1000/ketamine.1", pmcid="PMC123456", year=1999, volume="1", first_page="1")
    assert score(reference_key(text), article) == 1.0
    assert best(reference_key(text), [article])[2] == IDENTIFIER_IN_TEXT


def test_an_identifier_in_a_text_that_names_another_first_author_does_not_link():
    """A comment or erratum quoting another work's DOI in its title is not that work."""
    text = 'Henderson R. Comment on "Safety of ketamine" by Aan het Rot M (doi:10.1000/ketamine.1). 2011.'
    assert best(reference_key(text), [_with(doi="10.1000/ketamine.1")]) is None


def test_journal_year_volume_and_page_do_not_link_a_text_that_names_another_first_author():
    """Two short pieces on one page ('August consultation #4', '#5') share the locator."""
    assert best(reference_key("Hoffman RS. August consultation. Biol Psychiatry. 2010;67:139."), [KETAMINE]) is None


def test_an_identifiers_digits_are_no_year_volume_or_page():
    key = reference_key("Smith J. Title. doi:10.1016/j.x.2019.139:145")
    assert key.years == () and key.volume_pages == ()


def test_the_seed_reference_matches_its_article_by_citation():
    found = best(reference_key(SEED_TEXT), [KETAMINE])
    assert found is not None and found[0] == KETAMINE and found[2] == CITATION_MATCH and found[1] >= THRESHOLD


def test_the_nlm_style_matches_too():
    text = ("Aan het Rot M, Collins KA, et al. Safety and efficacy of repeated-dose intravenous ketamine for "
            "treatment-resistant depression. Biol Psychiatry. 2010 Jan 15;67(2):139-45.")
    assert score(reference_key(text), KETAMINE) >= THRESHOLD


def test_journal_year_volume_and_page_alone_match():
    assert score(reference_key("Biol Psychiatry. 2010;67(2):139-45"), KETAMINE) >= THRESHOLD


@pytest.mark.parametrize("text", [
    SEED_TEXT.replace("67:139–145", "67:146–152"),  # same author, year and journal: another first page
    SEED_TEXT.replace("Safety and efficacy of repeated-dose intravenous ketamine",
                      "Neural correlates of rapid antidepressant response to ketamine"),  # another title
    SEED_TEXT.replace("(2010)", "(2014)"),  # another year
    SEED_TEXT.replace("67:139", "68:139"),  # another volume
    SEED_TEXT.replace("Aan het Rot M", "Murrough JW").replace("Biol Psychiatry 67:139–145", ""),  # another first author
    "Biol Psychiatry. 2010;67(2):140-5",  # the locator one page off
])
def test_a_near_miss_does_not_link(text):
    assert score(reference_key(text), KETAMINE) < THRESHOLD
    assert best(reference_key(text), [KETAMINE]) is None


def test_a_reference_naming_another_doi_does_not_link_by_citation():
    assert score(reference_key(SEED_TEXT + " doi:10.1000/other"), _with(doi="10.1000/ketamine.1")) == 0.0


def test_two_articles_the_text_cannot_tell_apart_link_neither():
    twin = _with(article_iri="urn:a:2", graph_iri="urn:g:2", pmid="99999902")
    assert best(reference_key(SEED_TEXT), [KETAMINE, twin]) is None


def test_an_article_does_not_cite_itself():
    assert best(reference_key(SEED_TEXT), [KETAMINE], exclude=KETAMINE.article_iri) is None


def test_a_year_off_by_one_still_matches_with_a_lower_score():
    off = score(reference_key(SEED_TEXT.replace("(2010)", "(2011)")), KETAMINE)
    assert THRESHOLD <= off < score(reference_key(SEED_TEXT), KETAMINE)
