"""Reading the dates PubMed writes ("2014 Mar", "2020 Apr 6", "2018", "2014 Mar-Apr", "2019 Jan/Mar") into PartialDate."""

from __future__ import annotations

import calendar
import re

from rdfpub.model import MONTHS, PartialDate

_DATE = re.compile(r"(?P<year>\d{4})(?:\s+(?P<month>[A-Z][a-z]{2})\b(?:\s+(?P<day>\d{1,2})\b)?)?")
# What joins the two ends of a range or of alternatives: "Mar-Apr", "Jan/Mar", "6-12", "Dec-1999 Jan".
_RANGE = re.compile(r"\s*[-/\u2010-\u2015]\s*(?P<after>.*)")


def parse_pubmed_date(text: str) -> PartialDate | None:
    """The date in `text` to the precision it really has, or None when `text` holds no year.

    A range or an alternative keeps only what both ends share ("2014 Mar 6-12" is March 2014,
    "2014 Mar-Apr" and "1998 Dec-1999 Jan" are the start year), so no precision is invented.
    """
    text = text.strip()
    match = _DATE.match(text)
    if not match:
        return None
    year = int(match.group("year"))
    month = MONTHS.get(match.group("month") or "")
    day = int(match.group("day")) if match.group("day") and month else None
    if rest := _RANGE.match(text[match.end():]):
        same_month = day is not None and re.fullmatch(r"\d{1,2}", rest.group("after").strip())
        day = None
        if not same_month:
            month = None
    if month is None:
        return PartialDate(year, text=text)
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        day = None
    return PartialDate(year, month, day, text=text)
