"""A record as parsers yield it: the article, its references and links, deletions and unreadable records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdfpub.model.people import Author
from rdfpub.model.subjects import Concept, Keyword, MeshHeading, PublicationType
from rdfpub.model.values import Identifier, Pages, PartialDate, SourceRef
from rdfpub.model.venue import Book, Journal

@dataclass(frozen=True)
class AbstractSection:
    """One section of a structured abstract (label and NLM category when the source gives them)."""

    text: str
    label: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Grant:
    grant_id: str | None = None
    acronym: str | None = None
    agency: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class CommentCorrection:
    """A link to another record: `kind` as PubMed writes it (ErratumIn, ErratumFor, RetractionIn,
    RetractionOf, CommentOn, CommentIn, UpdateIn, UpdateOf, ...), the cited text and its PMID."""

    kind: str
    source_text: str | None = None
    pmid: str | None = None


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
    contributed: PartialDate | None = None  # a book chapter's ContributionDate (MEDLINE CTDT)
    publication_types: tuple[PublicationType, ...] = ()
    notes: tuple[str, ...] = ()
    citation_text: str | None = None
    # What full records (XML, MEDLINE, abstract text) carry beyond a summary entry:
    pmid_version: int | None = None
    kind: str = "journal-article"  # or "book", "book-chapter"
    vernacular_title: str | None = None
    abstract_sections: tuple[AbstractSection, ...] = ()
    other_abstracts: tuple[AbstractSection, ...] = ()  # e.g. publisher or translated abstracts
    authors: tuple[Author, ...] = ()
    languages: tuple[str, ...] = ()  # as the source writes them: 'eng', 'fre', ...
    other_ids: tuple[Identifier, ...] = ()  # article ids beyond PMID/PMCID/DOI: pii, mid, pmc-release...
    elocations: tuple[Identifier, ...] = ()  # electronic locations: ('doi', ...), ('pii', ...)
    mesh_headings: tuple[MeshHeading, ...] = ()
    supplementary_concepts: tuple[Concept, ...] = ()
    chemicals: tuple[Concept, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    grants: tuple[Grant, ...] = ()
    comments_corrections: tuple[CommentCorrection, ...] = ()
    book: Book | None = None
    copyright: str | None = None

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
    other_ids: tuple[Identifier, ...] = ()  # ids beyond PMID/DOI/PMCID the source lists


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
    # The citation record's own facts (MedlineCitation): status, owner, and its dates.
    status: str | None = None
    owner: str | None = None
    created: PartialDate | None = None
    completed: PartialDate | None = None
    revised: PartialDate | None = None
    history: tuple[tuple[str, PartialDate], ...] = ()  # (PubStatus, date): received, accepted, pubmed...
    publication_status: str | None = None  # ppublish, epublish, aheadofprint
    raw: str | None = None  # the record's original text, kept for the rejects file

    @property
    def label(self) -> str:
        """How messages name this record: its PMID (or title) and where it came from."""
        if self.article.pmid:
            name = f"PMID {self.article.pmid}"
        else:
            name = "untitled record" if not self.article.title else f"'{self.article.title[:60]}'"
        return f"{name} at {self.source}"


@dataclass(frozen=True)
class Deletion:
    """A DeleteCitation: these PMIDs are withdrawn from PubMed and must leave the dataset."""

    pmids: tuple[str, ...]
    source: SourceRef

    @property
    def label(self) -> str:
        return f"deletion of {len(self.pmids)} PMID(s) at {self.source}"


@dataclass(frozen=True)
class Unreadable:
    """A record a parser found but could not read (the file goes on): why, and its original text."""

    source: SourceRef
    reason: str
    pmid: str | None = None
    raw: str | None = None

    @property
    def label(self) -> str:
        return f"PMID {self.pmid} at {self.source}" if self.pmid else f"record at {self.source}"
