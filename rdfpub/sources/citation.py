"""Reading a PubMed citation line: "J Affect Disord. 2014 Mar;156(2):24-35. doi: 10.1016/x. Epub 2013 Dec 10."."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdfpub.model import Pages, PartialDate
from rdfpub.sources.dates import parse_pubmed_date
from rdfpub.sources.pagination import parse_pages

# NLM journal abbreviations carry no full stops, so the first '. ' before a year ends the journal.
_JOURNAL = re.compile(r"^(?P<journal>[^.]+?)\.\s+(?P<rest>(?:1[6-9]|20)\d\d\b.*)$")
_HEAD = re.compile(
    r"^(?P<date>[^;:]+?)"
    r"(?:;(?P<volume>[^(:]*)(?:\((?P<issue>[^)]*)\))?)?"
    r"(?::(?P<pages>.*))?$")
_AHEAD_OF_PRINT = re.compile(r"\[Epub ahead of print\]\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """The parts of a citation line; `notes` keeps the pieces that are none of them ('Review', ...)."""

    text: str
    journal: str | None = None
    published: PartialDate | None = None
    volume: str | None = None
    issue: str | None = None
    pages: Pages | None = None
    doi: str | None = None
    epublished: PartialDate | None = None
    ecollection: PartialDate | None = None
    pii: str | None = None
    ahead_of_print: bool = False
    notes: tuple[str, ...] = ()


def parse_citation(text: str) -> Citation:
    """The journal, date, volume, issue, pages, DOI and e-publication date in `text`, as far as they
    can be read; a line that does not start 'Journal. Year' is kept whole as `text` and a note."""
    text = " ".join(text.split())
    ahead = bool(_AHEAD_OF_PRINT.search(text))
    body = _AHEAD_OF_PRINT.sub("", text).strip()
    match = _JOURNAL.match(body)
    if not match:
        return Citation(text=text, ahead_of_print=ahead, notes=(body,) if body else ())
    parts = [part.strip() for part in re.split(r"\.\s+", match.group("rest").rstrip(".")) if part.strip()]
    fields: dict = {}
    notes: list[str] = []
    head = _HEAD.match(parts[0])
    if head and (date := parse_pubmed_date(head.group("date"))):
        fields.update(published=date, volume=_clean(head.group("volume")), issue=_clean(head.group("issue")),
                      pages=parse_pages(head.group("pages") or ""))
    else:
        notes.append(parts[0])
    for part in parts[1:]:
        lower = part.lower()
        if lower.startswith("doi:"):
            fields["doi"] = part[4:].strip()
        elif lower.startswith("pii:"):
            fields["pii"] = part[4:].strip()
        elif lower.startswith("epub ") and (date := parse_pubmed_date(part[5:])):
            fields["epublished"] = date
        elif lower.startswith("ecollection ") and (date := parse_pubmed_date(part[12:])):
            fields["ecollection"] = date
        else:
            notes.append(part)
    return Citation(text=text, journal=match.group("journal").strip(), ahead_of_print=ahead,
                    notes=tuple(notes), **fields)


def _clean(value: str | None) -> str | None:
    return " ".join((value or "").split()) or None
