"""Dates and page ranges as PubMed writes them."""

import pytest

from rdfpub.model import Pages, PartialDate
from rdfpub.sources.dates import parse_pubmed_date
from rdfpub.sources.pagination import parse_pages


@pytest.mark.parametrize(("text", "expected", "iso"), [
    ("2014 Mar", PartialDate(2014, 3, None, "2014 Mar"), "2014-03"),
    ("2020 Apr 6", PartialDate(2020, 4, 6, "2020 Apr 6"), "2020-04-06"),
    ("2018", PartialDate(2018, None, None, "2018"), "2018"),
    # A period (range, alternatives, season) is read as its start, and the text is kept.
    ("2014 Mar-Apr", PartialDate(2014, 3, None, "2014 Mar-Apr", period=True), "2014-03"),
    ("2014 Mar 6-12", PartialDate(2014, 3, 6, "2014 Mar 6-12", period=True), "2014-03-06"),
    ("2000 Spring", PartialDate(2000, None, None, "2000 Spring", period=True), "2000"),
    ("Winter 1998", PartialDate(1998, None, None, "Winter 1998", period=True), "1998"),
    ("2019 Jan/Mar", PartialDate(2019, 1, None, "2019 Jan/Mar", period=True), "2019-01"),
    ("1998 Dec-1999 Jan", PartialDate(1998, 12, None, "1998 Dec-1999 Jan", period=True), "1998-12"),
    ("2014 Mar 6-Apr 2", PartialDate(2014, 3, 6, "2014 Mar 6-Apr 2", period=True), "2014-03-06"),
    ("2017 Sep-OCT", PartialDate(2017, 9, None, "2017 Sep-OCT", period=True), "2017-09"),
    ("2021 Jan 5", PartialDate(2021, 1, 5, "2021 Jan 5"), "2021-01-05"),
])
def test_dates_keep_their_precision(text, expected, iso):
    date = parse_pubmed_date(text)
    assert date == expected
    assert date.isoformat() == iso


@pytest.mark.parametrize("text", ["2021 Feb 30", "2099 Foo 45", "2013 Dec 45", "2014 13"])
def test_impossible_dates_are_not_valid_and_keep_their_text(text):
    date = parse_pubmed_date(text)
    assert date is not None and not date.valid and date.text == text


def test_text_without_year_is_no_date():
    assert parse_pubmed_date("Epub ahead of print") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("24-35", Pages("24-35", "24", "35")),
    ("65-7", Pages("65-7", "65", "67")),
    ("1199-201", Pages("1199-201", "1199", "1201")),
    ("139–145", Pages("139–145", "139", "145")),
    ("112508", Pages("112508", "112508", None)),
    ("e123-e130", Pages("e123-e130", "e123", "e130")),
    ("S1-9", Pages("S1-9", "S1", "S9")),
    # MEDLINE's abbreviated ranges expanded, whatever surrounds the numbers.
    ("986-8; discussion 988-90", Pages("986-8; discussion 988-90", "986", "988")),
    ("823-834.e5", Pages("823-834.e5", "823", "834.e5")),
    ("1186.e1-5", Pages("1186.e1-5", "1186.e1", "1186.e5")),
    ("90S-93S", Pages("90S-93S", "90S", "93S")),
    ("S101-9", Pages("S101-9", "S101", "S109")),
    ("613-5, 663", Pages("613-5, 663", "613", "615")),
    ("E621; author reply E621-2", Pages("E621; author reply E621-2", "E621", None)),
    ("iii-iv", Pages("iii-iv", "iii", "iv")),
    ("", None),
])
def test_pages(text, expected):
    assert parse_pages(text) == expected
