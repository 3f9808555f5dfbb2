"""Where an article appears: its journal, or the book it is or belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from rdfpub.model.people import Author
from rdfpub.model.values import PartialDate

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
