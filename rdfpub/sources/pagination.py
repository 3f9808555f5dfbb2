"""Page ranges as MEDLINE writes them ("24-35", "65-7", "S101-9", "823-834.e5", "1186.e1-5",
"986-8; discussion 988-90", "e123") read into their first and last page."""

from __future__ import annotations

import re

from rdfpub.model import Pages

# One page: letters before the number (S101, e123), and after it a letter (90S) or an electronic
# supplement page (834.e5).
_PAGE = r"(?P<{0}prefix>[A-Za-z]*)(?P<{0}number>\d+)(?P<{0}suffix>\.[A-Za-z]+\d*|[A-Za-z]+)?"
_RANGE = re.compile(_PAGE.format("a") + r"\s*[-\u2010-\u2015]\s*" + _PAGE.format("b"))
# Pages numbered in letters, as front matter is: "iii-iv".
_LETTERS = re.compile(r"(?P<first>[A-Za-z]+)\s*[-\u2010-\u2015]\s*(?P<last>[A-Za-z]+)")
_SUPPLEMENT = re.compile(r"\.(?P<letters>[A-Za-z]+)(?P<number>\d+)")


def _expanded(first: str, last: str) -> str:
    """MEDLINE drops the leading digits of a range's end that equal the start's: 986-8 ends on 988."""
    return first[: len(first) - len(last)] + last if len(last) < len(first) else last


def parse_pages(text: str) -> Pages | None:
    """First and last page of `text`, read from its first range: what follows a ';' or ',' (a
    discussion, a reply, pages elsewhere) stays in the text only. What is not a range of pages is
    the first page alone."""
    text = text.strip().rstrip(".")
    if not text:
        return None
    head = re.split(r"[;,]", text, maxsplit=1)[0].strip()
    match = _RANGE.fullmatch(head)
    if match is None:
        letters = _LETTERS.fullmatch(head)
        if letters:
            return Pages(text=text, first=letters.group("first"), last=letters.group("last"))
        return Pages(text=text, first=head or None)
    first = match.group("aprefix") + match.group("anumber") + (match.group("asuffix") or "")
    last_prefix = match.group("bprefix") or match.group("aprefix")
    supplement = _SUPPLEMENT.fullmatch(match.group("asuffix") or "")
    if supplement and not match.group("bprefix") and not match.group("bsuffix"):
        # "1186.e1-5": the range runs over the supplement's pages, e1 to e5 of page 1186.
        last = (match.group("aprefix") + match.group("anumber") + "." + supplement.group("letters")
                + _expanded(supplement.group("number"), match.group("bnumber")))
        return Pages(text=text, first=first, last=last)
    last_number = _expanded(match.group("anumber"), match.group("bnumber"))
    suffix = match.group("bsuffix") or ("" if (match.group("asuffix") or "").startswith(".")
                                         else match.group("asuffix") or "")
    return Pages(text=text, first=first, last=last_prefix + last_number + suffix)
