"""An article's own triples: types, titles, abstract, identifiers (reified and shortcut), dates, links out."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.iris import (
    BIO2RDF_PUBMED, LANGUAGE, PMC_PAGE, PUBMED_PAGE, doi_iri, external, identifiers_org)
from rdfpub.mapping.builder import GraphBuilder
from rdfpub.mapping.languages import vernacular_language
from rdfpub.mapping.venue import map_venue
from rdfpub.model import Article, Identifier
from rdfpub.vocab import DATACITE, FABIO, LITERAL, PRISM, PUBLICATION_TYPE_CLASSES

_KIND_CLASSES = {"journal-article": FABIO.JournalArticle, "book": FABIO.Book, "book-chapter": FABIO.BookChapter}
# Article ids beyond PMID/PMCID/DOI that DataCite has a scheme for (PubMed's IdType -> scheme).
_OTHER_ID_SCHEMES = {"pii": DATACITE.pii, "mid": DATACITE.nihmsid}
_HISTORY_TERMS = {"received": DCTERMS.dateSubmitted, "accepted": DCTERMS.dateAccepted,
                  "retracted": FABIO.hasRetractionDate}
_LANGUAGE_CODE = re.compile(r"[a-z]{3}")


def article_iri(builder: GraphBuilder, item: Article) -> URIRef:
    """The IRI an article is known by: its PMID, else (for a cited work) its DOI, else its content."""
    pmid = normalize_pmid(item.pmid) if item.pmid else None
    if pmid is None and item.pmid is None and item.doi and (doi := normalize_doi(item.doi)):
        return URIRef(builder.iris.article_by_doi(doi))
    return URIRef(builder.iris.article(item, pmid))


def map_article(builder: GraphBuilder, item: Article, full: bool = True) -> URIRef:
    """The triples of one article and its IRI. `full` is False for an article a record only
    mentions (a similar or citing entry, a cited work): then only what the source says of it."""
    node = article_iri(builder, item)
    if not full and (node in builder.described or node == builder.primary):
        return node
    builder.described.add(node)
    # A work known only from a citation (kind "") is an Expression of a kind the source does not say.
    if item.kind in _KIND_CLASSES:
        builder.types(node, _KIND_CLASSES[item.kind])
    for publication_type in item.publication_types:
        builder.add(node, builder.term("publicationTypeName"), publication_type.name)
        if publication_type.name in PUBLICATION_TYPE_CLASSES:
            builder.types(node, PUBLICATION_TYPE_CLASSES[publication_type.name])
    vernacular = Literal(item.vernacular_title, lang=vernacular_language(item.languages)) \
        if item.vernacular_title else None
    if item.title:
        builder.add(node, DCTERMS.title, item.title)
        builder.add(node, DCTERMS.alternative, vernacular)
    else:
        # A record PubMed knows only by its title in the original language (VernacularTitle, MEDLINE
        # TT; common for publisher-supplied records) is shown by that title: so is it here.
        builder.add(node, DCTERMS.title, vernacular)
    if item.citation_text and (not item.title or not full):
        builder.add(node, DCTERMS.bibliographicCitation, item.citation_text)
    _abstract(builder, node, item)
    _identifiers(builder, node, item)
    _dates(builder, node, item)
    map_venue(builder, node, item)
    for code in item.languages:
        code = code.strip().lower()
        if _LANGUAGE_CODE.fullmatch(code):
            builder.add(node, DCTERMS.language, URIRef(external(LANGUAGE, code)))
    builder.add(node, DCTERMS.rights, item.copyright)
    for note in item.notes:
        builder.add(node, RDFS.comment, note)
    return node


def _abstract(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    builder.add(node, DCTERMS.abstract, item.abstract)
    labelled = [section for section in item.abstract_sections if section.label or section.category]
    for position, section in enumerate(labelled, start=1):
        part = URIRef(builder.iris.abstract_section(str(node), position))
        builder.add(node, builder.term("hasAbstractSection"), part)
        builder.types(part, builder.term("AbstractSection"))
        builder.add(part, RDFS.label, section.label)
        builder.add(part, builder.term("nlmCategory"), section.category)
        builder.add(part, RDF.value, section.text)
        builder.add(part, builder.term("position"), Literal(position, datatype=XSD.integer))
    for other in item.other_abstracts:
        builder.add(node, builder.term("otherAbstract"), other.text)


def identifier_node(builder: GraphBuilder, scheme: URIRef, value: str) -> URIRef:
    """A DataCite identifier node (the OpenCitations way of naming an identifier), described."""
    identifier = URIRef(builder.iris.identifier(str(scheme).rsplit("/", 1)[1], value))
    builder.types(identifier, DATACITE.Identifier)
    builder.add(identifier, DATACITE.usesIdentifierScheme, scheme)
    builder.add(identifier, LITERAL.hasLiteralValue, value)
    return identifier


def _identifier(builder: GraphBuilder, node: URIRef, scheme: URIRef, value: str) -> None:
    builder.add(node, DATACITE.hasIdentifier, identifier_node(builder, scheme, value))


def work_identity(builder: GraphBuilder, node: URIRef, pmid: str | None, doi: str | None) -> None:
    """What the IRI of a work says by itself, whoever mentions it: its class and the identifier
    its IRI is minted from, reified, with the links out that identifier gives. Every record that
    names the work writes exactly these triples, so they are stated once, in the shared graph."""
    builder.types(node, FABIO.Expression)
    if pmid:
        builder.add(node, FABIO.hasPubMedId, pmid)
        _identifier(builder, node, DATACITE.pmid, pmid)
        builder.add(node, RDFS.seeAlso, URIRef(PUBMED_PAGE.format(pmid)))
        builder.add(node, OWL.sameAs, URIRef(identifiers_org("pubmed", pmid)))
        builder.add(node, OWL.sameAs, URIRef(BIO2RDF_PUBMED.format(pmid)))
    elif doi:
        builder.add(node, PRISM.doi, doi)
        _identifier(builder, node, DATACITE.doi, doi)
        builder.add(node, OWL.sameAs, URIRef(doi_iri(doi)))


def _identifiers(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    """PMID, PMCID and DOI both reified and as shortcuts, other ids reified, and the links out.

    A PMID that does not normalise is written as given: it is what names the record, so the shapes
    reject the record and say which value is wrong. A malformed DOI or PMCID is left out and kept
    as a note the shapes warn about: the source has an error, the article is still worth publishing.
    """
    doi_text = item.doi or next((e.value for e in item.elocations if e.scheme.lower() == "doi"), None)
    pmid = normalize_pmid(item.pmid) if item.pmid else None
    pmcid = _secondary(builder, node, "PMCID", item.pmcid, normalize_pmcid)
    doi = _secondary(builder, node, "DOI", doi_text, normalize_doi)
    keyed_by_doi = node == URIRef(builder.iris.article_by_doi(doi)) if doi else False
    with builder.recording_identity():
        work_identity(builder, node, pmid, doi if keyed_by_doi else None)
    if item.pmid is not None and item.pmid.strip() and not pmid:
        builder.add(node, FABIO.hasPubMedId, item.pmid.strip())
        _identifier(builder, node, DATACITE.pmid, item.pmid.strip())
    if pmcid:
        builder.add(node, FABIO.hasPubMedCentralId, pmcid)
        _identifier(builder, node, DATACITE.pmcid, pmcid)
        builder.add(node, RDFS.seeAlso, URIRef(PMC_PAGE.format(pmcid)))
    if doi and not keyed_by_doi:
        builder.add(node, PRISM.doi, doi)
        _identifier(builder, node, DATACITE.doi, doi)
        builder.add(node, OWL.sameAs, URIRef(doi_iri(doi)))
    for other in _other_ids(item):
        scheme = _OTHER_ID_SCHEMES.get(other.scheme.lower())
        if scheme is not None:
            _identifier(builder, node, scheme, other.value.strip())
            if scheme == DATACITE.pii:
                builder.add(node, FABIO.hasPII, other.value.strip())


def _secondary(builder: GraphBuilder, node: URIRef, label: str, raw: str | None, normalize) -> str | None:
    """A secondary identifier in canonical form, or None; a malformed one becomes a noted warning."""
    if raw is None or not raw.strip():
        return None
    value = normalize(raw)
    if value is None:
        builder.add(node, builder.term("malformedIdentifier"), f"{label} {raw.strip()}")
    return value


def _other_ids(item: Article) -> list[Identifier]:
    """Article ids and electronic locations beyond the three shortcuts, each value once."""
    seen, result = set(), []
    for identifier in (*item.other_ids, *item.elocations):
        key = (identifier.scheme.lower(), identifier.value.strip())
        if key[0] not in ("doi", "pubmed", "pmc", "pmcid") and key not in seen:
            seen.add(key)
            result.append(identifier)
    return result


def _dates(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    if builder.add_date(node, PRISM.publicationDate, item.published):
        builder.add(node, FABIO.hasPublicationYear, builder.year(item.published))
        if item.published.period:
            # "2019 Jan-Feb", "2000 Spring": the date is the period's start; the words are the cover's.
            builder.add(node, PRISM.coverDisplayDate, item.published.text)
    builder.add_date(node, builder.term("electronicPublicationDate"), item.epublished)
    # A book chapter's ContributionDate: when it was first contributed, before later revisions.
    builder.add_date(node, PRISM.creationDate, item.contributed)


def map_history(builder: GraphBuilder, node: URIRef, history) -> None:
    """The dates of an article's history that have a community term: received, accepted, retracted."""
    for status, date in history:
        predicate = _HISTORY_TERMS.get(status.lower())
        if predicate is not None:
            builder.add_date(node, predicate, date)
