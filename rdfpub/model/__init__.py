"""The plain record model every source parser produces and the mapping reads: frozen dataclasses, no RDF."""

from rdfpub.model.values import Identifier, MONTHS, Pages, PartialDate, SourceRef
from rdfpub.model.people import Affiliation, Author
from rdfpub.model.subjects import Concept, Keyword, MeshHeading, MeshQualifier, PublicationType
from rdfpub.model.venue import Book, Journal
from rdfpub.model.record import AbstractSection, Article, CommentCorrection, Deletion, Grant, Record, Reference, Unreadable

__all__ = [
    "AbstractSection",
    "Affiliation",
    "Article",
    "Author",
    "Book",
    "CommentCorrection",
    "Concept",
    "Deletion",
    "Grant",
    "Identifier",
    "Journal",
    "Keyword",
    "MONTHS",
    "MeshHeading",
    "MeshQualifier",
    "Pages",
    "PartialDate",
    "PublicationType",
    "Record",
    "Reference",
    "SourceRef",
    "Unreadable",
]
