"""Reading the dates PubMed writes ("2014 Mar", "2020 Apr 6", "2018", "2014 Mar-Apr") into PartialDate."""

from __future__ import annotations

import calendar
import re

from rdfpub.model import MONTHS, PartialDate

_DATE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:\s+(?P<month>[A-Z][a-z]{2})(?P<month_range>-[A-Z][a-z]{2})?)?"
    r"(?:\s+(?P<day>\d{1,2})(?P<day_range>-\d{1,2})?)?"
)


def parse_pubmed_date(text: str) -> PartialDate | None:
    """The date in `text` to the precision it really has, or None when `text` holds no year.

    A range ("Mar-Apr", "6-12") is kept to the part both ends share, so no precision is invented.
    """
    text = text.strip()
    match = _DATE.match(text)
    if not match:
        return None
    year = int(match.group("year"))
    month = MONTHS.get(match.group("month") or "")
    if month is None or match.group("month_range"):
        return PartialDate(year, text=text)
    day = int(match.group("day")) if match.group("day") and not match.group("day_range") else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        day = None
    return PartialDate(year, month, day, text=text)
