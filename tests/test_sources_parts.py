"""Dates and page ranges as PubMed writes them."""

import pytest

from rdfpub.model import Pages, PartialDate
from rdfpub.sources.dates import parse_pubmed_date
from rdfpub.sources.pagination import parse_pages


@pytest.mark.parametrize(("text", "expected", "iso"), [
    ("2014 Mar", PartialDate(2014, 3, None, "2014 Mar"), "2014-03"),
    ("2020 Apr 6", PartialDate(2020, 4, 6, "2020 Apr 6"), "2020-04-06"),
    ("2018", PartialDate(2018, None, None, "2018"), "2018"),
    ("2014 Mar-Apr", PartialDate(2014, None, None, "2014 Mar-Apr"), "2014"),
    ("2014 Mar 6-12", PartialDate(2014, 3, None, "2014 Mar 6-12"), "2014-03"),
    ("2021 Feb 30", PartialDate(2021, 2, None, "2021 Feb 30"), "2021-02"),
    ("2000 Spring", PartialDate(2000, None, None, "2000 Spring"), "2000"),
    ("2019 Jan/Mar", PartialDate(2019, None, None, "2019 Jan/Mar"), "2019"),
    ("1998 Dec-1999 Jan", PartialDate(1998, None, None, "1998 Dec-1999 Jan"), "1998"),
    ("2014 Mar 6-Apr 2", PartialDate(2014, None, None, "2014 Mar 6-Apr 2"), "2014"),
    ("2021 Jan 5", PartialDate(2021, 1, 5, "2021 Jan 5"), "2021-01-05"),
])
def test_dates_keep_their_precision(text, expected, iso):
    date = parse_pubmed_date(text)
    assert date == expected
    assert date.isoformat() == iso


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
    ("", None),
])
def test_pages(text, expected):
    assert parse_pages(text) == expected
