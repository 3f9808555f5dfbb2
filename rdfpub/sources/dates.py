"""Reading the dates PubMed writes ("2014 Mar", "2020 Apr 6", "2018", "2014 Mar-Apr", "2019 Jan/Mar",
"2000 Spring", "1998 Dec-1999 Jan") into PartialDate."""

from __future__ import annotations

import calendar
import re

from rdfpub.model import MONTHS, PartialDate

_TOKEN = re.compile(r"\d+|[A-Za-z]+|[-/\u2010-\u2015]")
SEASONS = frozenset({"spring", "summer", "fall", "autumn", "winter"})
_SEPARATORS = frozenset("-/\u2010\u2011\u2012\u2013\u2014\u2015")


_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


def month_number(word: str) -> int | None:
    """A month's number from its name or abbreviation ('Mar', 'OCT', 'Sept', 'September'), else None."""
    word = word.lower()
    return _MONTH_NAMES.get(word) or (MONTHS.get(word[:3].title()) if len(word) == 3 or word == "sept" else None)


def checked(year: int, month: int | None, day: int | None, text: str, period: bool = False) -> PartialDate:
    """A PartialDate, marked not valid when its day is none of its month's."""
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return PartialDate(year, text=text, valid=False)
    return PartialDate(year, month, day if month else None, text=text, period=period)


def parse_pubmed_date(text: str) -> PartialDate | None:
    """The date in `text`, None when it holds no year.

    A range or alternatives ("2014 Mar-Apr", "2014 Mar 6-12", "2019 Jan/Mar", "1998 Dec-1999 Jan")
    is read as its start, to the precision the start has, and marked a period; so is a season
    ("2000 Spring"), to its year. A word that is neither a month nor a season, or a day its month
    does not have ("2021 Feb 30"), makes the date not valid: the source's text is kept either way.
    """
    text = " ".join(text.split())
    tokens = _TOKEN.findall(text)
    years = [token for token in tokens if len(token) == 4 and token.isdigit()]
    if not years:
        return None
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):  # "03/03/2018": day and month order unknown
        return PartialDate(int(years[0]), text=text, period=True)
    words = [token for token in tokens if token.isalpha()]
    if any(month_number(word) is None and word.lower() not in SEASONS for word in words):
        return PartialDate(int(years[0]), text=text, valid=False)
    cut = next((i for i, token in enumerate(tokens) if token in _SEPARATORS), len(tokens))
    start, period = tokens[:cut], cut < len(tokens)
    if any(word.lower() in SEASONS for word in words) or not start or start[0] != years[0]:
        return PartialDate(int(years[0]), text=text, period=True)
    month = day = None
    if len(start) > 1:
        month = month_number(start[1]) if start[1].isalpha() else None
        if month is None:  # a number where the month should be
            return PartialDate(int(years[0]), text=text, valid=False)
    if len(start) > 2:
        if not start[2].isdigit() or len(start) > 3:
            return PartialDate(int(years[0]), text=text, valid=False)
        day = int(start[2])
    return checked(int(years[0]), month, day, text, period)
