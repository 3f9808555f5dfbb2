"""The plain record model every source parser produces and the mapping reads: frozen dataclasses, no RDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: the input's name as given, the record's ordinal and first line."""

    name: str
    position: int = 1
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.name}:{self.line}" if self.line is not None else self.name
        return f"{where} (record {self.position})"


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day; `text` is how the source wrote it."""

    year: int
    month: int | None = None
    day: int | None = None
    text: str = ""

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def isoformat(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Pages:
    """A page range as written (`text`) and its first and last page, the last expanded from
    MEDLINE's abbreviated form (`65-7` ends on page 67)."""

    text: str
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True)
class Journal:
    """A journal as far as the source names it."""

    title: str | None = None
    iso_abbreviation: str | None = None
    issn_print: str | None = None
    issn_electronic: str | None = None
    issn_linking: str | None = None
    nlm_id: str | None = None


@dataclass(frozen=True)
class Article:
    """One article: identifiers as the source wrote them, bibliographic data, and whatever the
    source said about it that has no field of its own (`notes`, `citation_text`)."""

    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    title: str | None = None
    abstract: str | None = None
    journal: Journal | None = None
    volume: str | None = None
    issue: str | None = None
    pages: Pages | None = None
    published: PartialDate | None = None
    epublished: PartialDate | None = None
    publication_types: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    citation_text: str | None = None

    def content_key(self) -> str:
        """A stable hash of what identifies this article when it has no identifier at all."""
        basis = "\x1f".join(part or "" for part in (self.title, self.citation_text, self.abstract))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Reference:
    """One entry of an article's reference list: its text, and the parts that could be read."""

    position: int
    text: str
    authors: tuple[str, ...] = ()
    year: str | None = None
    title: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    link_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """A source record: its article, the related articles the source lists, and its references.
    `other_sections` keeps any section the parser does not know, as (heading, text)."""

    article: Article
    source: SourceRef
    similar: tuple[Article, ...] = ()
    cited_by: tuple[Article, ...] = ()
    references: tuple[Reference, ...] = ()
    other_sections: tuple[tuple[str, str], ...] = field(default=())

    @property
    def label(self) -> str:
        """How messages name this record: its PMID (or title) and where it came from."""
        if self.article.pmid:
            name = f"PMID {self.article.pmid}"
        else:
            name = f"untitled record" if not self.article.title else f"'{self.article.title[:60]}'"
        return f"{name} at {self.source}"
