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
class Identifier:
    """An identifier as the source labels it: scheme as written ('ORCID', 'doi', 'pii', 'ROR', ...)."""

    scheme: str
    value: str


@dataclass(frozen=True)
class Affiliation:
    """One affiliation of an author, as text, with any institution identifiers (ROR, GRID, ISNI)."""

    text: str
    identifiers: tuple[Identifier, ...] = ()


@dataclass(frozen=True)
class Author:
    """A personal author (last name, fore name, initials, suffix) or a collective one (a group name)."""

    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    equal_contribution: bool = False

    @property
    def name(self) -> str:
        """The name as a reader would write it: 'Fore Last Suffix', or the group's name."""
        if self.collective_name:
            return self.collective_name
        parts = [self.fore_name or self.initials, self.last_name, self.suffix]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class AbstractSection:
    """One section of a structured abstract (label and NLM category when the source gives them)."""

    text: str
    label: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class PublicationType:
    name: str
    ui: str | None = None  # the MeSH publication-type descriptor UI, e.g. D016454 for Review


@dataclass(frozen=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True)
class MeshHeading:
    """A MeSH descriptor with its qualifiers; `major` is the descriptor's own major-topic flag."""

    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A supplementary concept or a chemical: its MeSH name and UI; `kind` says which list it came
    from ('chemical', or the SupplMeshName type: 'Disease', 'Protocol', 'Organism', ...)."""

    name: str
    ui: str | None = None
    kind: str = "chemical"
    registry_number: str | None = None


@dataclass(frozen=True)
class Keyword:
    text: str
    major: bool = False
    owner: str | None = None


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
