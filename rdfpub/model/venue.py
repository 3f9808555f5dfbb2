"""Where an article appears: its journal, or the book it is or belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from rdfpub.model.people import Author
from rdfpub.model.values import PartialDate

@dataclass(frozen=True)
class Journal:
    """A journal as far as the source names it: `medline_ta` is NLM's title abbreviation (MedlineTA,
    MEDLINE's TA, the abbreviation citations print), `iso_abbreviation` the ISO 4 one, `country`
    the country it is published in as NLM writes it."""

    title: str | None = None
    iso_abbreviation: str | None = None
    issn_print: str | None = None
    issn_electronic: str | None = None
    issn_linking: str | None = None
    nlm_id: str | None = None
    medline_ta: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Book:
    """The book a PubmedBookArticle is, or belongs to (a chapter)."""

    title: str | None = None
    publisher: str | None = None
    publisher_location: str | None = None
    isbns: tuple[str, ...] = ()
    editors: tuple[Author, ...] = ()
    edition: str | None = None
    collection_title: str | None = None
    volume: str | None = None
    medium: str | None = None
    published: PartialDate | None = None
