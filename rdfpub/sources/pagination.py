"""Page ranges as MEDLINE writes them ("24-35", "65-7", "e123", "112508")."""

from __future__ import annotations

import re

from rdfpub.model import Pages

_RANGE = re.compile(r"(?P<prefix>[A-Za-z]*)(?P<first>\d+)\s*[-\u2010-\u2015]\s*(?P<lprefix>[A-Za-z]*)(?P<last>\d+)")


def parse_pages(text: str) -> Pages | None:
    """First and last page of `text`; MEDLINE drops the end page's leading digits that equal the
    start page's ("65-7" is 65 to 67), so they are put back. Anything else is the first page alone."""
    text = text.strip().rstrip(".")
    if not text:
        return None
    match = _RANGE.fullmatch(text)
    if not match:
        return Pages(text=text, first=text.split(",")[0].strip() or None)
    first, last = match.group("first"), match.group("last")
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    prefix = match.group("prefix")
    return Pages(text=text, first=prefix + first, last=(match.group("lprefix") or prefix) + last)
