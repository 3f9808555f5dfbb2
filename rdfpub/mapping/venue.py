"""Where an article appears: issue -> volume -> journal by frbr:partOf, pages on its manifestation, or its book."""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS

from rdfpub.identifiers import normalize_issn
from rdfpub.iris import ISSN_PORTAL, NLM_CATALOG, external
from rdfpub.mapping.builder import GraphBuilder
from rdfpub.mapping.people import map_people
from rdfpub.model import Article, Book, Journal
from rdfpub.vocab import DATACITE, FABIO, FRBR, LITERAL, PRISM


def map_venue(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    """The article's container chain, skipping the levels the source does not give, and its pages."""
    journal_iri = builder.iris.journal(_normalised(item.journal)) if item.journal else None
    if journal_iri:
        container = URIRef(journal_iri)
        _journal(builder, container, item.journal)
        if item.volume:
            volume = URIRef(builder.iris.volume(journal_iri, item.volume))
            builder.types(volume, FABIO.JournalVolume)
            builder.add(volume, PRISM.volume, item.volume)
            # OpenCitations (OC Meta) numbers volumes and issues with fabio:hasSequenceIdentifier.
            builder.add(volume, FABIO.hasSequenceIdentifier, item.volume)
            builder.add(volume, FRBR.partOf, container)
            container = volume
        if item.issue:
            issue = URIRef(builder.iris.issue(str(container), item.issue))
            builder.types(issue, FABIO.JournalIssue)
            builder.add(issue, PRISM.issueIdentifier, item.issue)
            builder.add(issue, FABIO.hasSequenceIdentifier, item.issue)
            builder.add(issue, FRBR.partOf, container)
            container = issue
        builder.add(node, FRBR.partOf, container)
    if item.pages:
        manifestation = URIRef(builder.iris.manifestation(str(node)))
        builder.add(node, FRBR.embodiment, manifestation)
        builder.types(manifestation, FABIO.Manifestation)
        builder.add(manifestation, PRISM.pageRange, item.pages.text)
        builder.add(manifestation, PRISM.startingPage, item.pages.first)
        builder.add(manifestation, PRISM.endingPage, item.pages.last)
    if item.book:
        _book(builder, node, item)


def _normalised(journal: Journal) -> Journal:
    """The journal with its ISSNs in canonical form (the IRI is keyed on them); a malformed ISSN
    is dropped here and noted by _journal."""
    def fix(value: str | None) -> str | None:
        return normalize_issn(value) if value else None
    return replace(journal, issn_print=fix(journal.issn_print), issn_electronic=fix(journal.issn_electronic),
                   issn_linking=fix(journal.issn_linking), nlm_id=journal.nlm_id.strip() if journal.nlm_id else None)


def _journal(builder: GraphBuilder, node: URIRef, source: Journal) -> None:
    journal = _normalised(source)
    for label, raw, kept in (("ISSN", source.issn_print, journal.issn_print),
                             ("eISSN", source.issn_electronic, journal.issn_electronic),
                             ("ISSN-L", source.issn_linking, journal.issn_linking)):
        if raw and raw.strip() and not kept:
            builder.add(node, builder.term("malformedIdentifier"), f"{label} {raw.strip()}")
    builder.types(node, FABIO.Journal)
    builder.add(node, DCTERMS.title, journal.title)
    builder.add(node, FABIO.hasNLMJournalTitleAbbreviation, journal.medline_ta)
    builder.add(node, builder.term("isoAbbreviation"), journal.iso_abbreviation)
    builder.add(node, builder.term("country"), journal.country)
    builder.add(node, PRISM.issn, journal.issn_print)
    builder.add(node, PRISM.eIssn, journal.issn_electronic)
    builder.add(node, FABIO.hasIssnL, journal.issn_linking)
    builder.add(node, FABIO.hasNationalLibraryOfMedicineJournalId, journal.nlm_id)
    # Every ISSN, print, electronic or linking, under DataCite's one issn scheme, as OpenCitations
    # writes them (the shortcuts above say which kind each is); equal ISSNs are one identifier.
    for value in {journal.issn_print, journal.issn_electronic, journal.issn_linking} - {None}:
        identifier = URIRef(builder.iris.identifier("issn", value))
        builder.add(node, DATACITE.hasIdentifier, identifier)
        builder.types(identifier, DATACITE.Identifier)
        builder.add(identifier, DATACITE.usesIdentifierScheme, DATACITE.issn)
        builder.add(identifier, LITERAL.hasLiteralValue, value)
        builder.add(node, RDFS.seeAlso, URIRef(external(ISSN_PORTAL, value)))
    if journal.nlm_id:
        builder.add(node, RDFS.seeAlso, URIRef(external(NLM_CATALOG, journal.nlm_id)))


def _book(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    """A whole book is the article itself; a chapter is frbr:partOf its book."""
    book: Book = item.book
    target = node
    if item.kind != "book":
        target = URIRef(builder.iris.book(str(node), book.isbns[0] if book.isbns else None))
        builder.types(target, FABIO.Expression, FABIO.Book)
        builder.add(node, FRBR.partOf, target)
        builder.add(target, DCTERMS.title, book.title)
    elif not item.title:
        builder.add(target, DCTERMS.title, book.title)
    for isbn in book.isbns:
        builder.add(target, PRISM.isbn, isbn)
        identifier = URIRef(builder.iris.identifier("isbn", isbn))
        builder.add(target, DATACITE.hasIdentifier, identifier)
        builder.types(identifier, DATACITE.Identifier)
        builder.add(identifier, DATACITE.usesIdentifierScheme, DATACITE.isbn)
        builder.add(identifier, LITERAL.hasLiteralValue, isbn)
    builder.add(target, PRISM.edition, book.edition)
    builder.add(target, PRISM.volume, book.volume)
    # Medium, collection and publisher's place have no fitting term here: kept as readable notes.
    builder.add(target, RDFS.comment, book.medium and f"Medium: {book.medium}")
    builder.add(target, RDFS.comment, book.collection_title and f"Collection: {book.collection_title}")
    builder.add_date(target, PRISM.publicationDate, book.published)
    if book.publisher:
        publisher = URIRef(builder.iris.publisher(str(target)))
        builder.types(publisher, FOAF.Agent, FOAF.Organization)
        builder.add(publisher, FOAF.name, book.publisher)
        builder.add(publisher, RDFS.comment, book.publisher_location and f"Location: {book.publisher_location}")
        builder.add(target, DCTERMS.publisher, publisher)
    map_people(builder, target, book.editors, "editor")
