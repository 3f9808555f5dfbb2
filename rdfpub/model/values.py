"""Where a record came from and the small values it carries: dates, pages, identifiers."""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: the input's name as given, the record's ordinal and first line,
    and the input's format (a name of rdfpub.sources.FORMATS, set once the file is read)."""

    name: str
    position: int = 1
    line: int | None = None
    format: str = ""

    def __str__(self) -> str:
        where = f"{self.name}:{self.line}" if self.line is not None else self.name
        return f"{where} (record {self.position})"


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day; `text` is how the source wrote it. `period` is
    True when the source names a period (a range, a season, alternatives) that this date starts;
    `valid` is False when the source's date is no calendar date (month 13, 30 February)."""

    year: int
    month: int | None = None
    day: int | None = None
    text: str = ""
    period: bool = False
    valid: bool = True

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
class Identifier:
    """An identifier as the source labels it: scheme as written ('ORCID', 'doi', 'pii', 'ROR', ...)."""

    scheme: str
    value: str
