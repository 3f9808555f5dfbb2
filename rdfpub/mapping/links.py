"""Links between records: citations (resolved or kept as reference text), similar articles, corrections, grants."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.mapping.article import identifier_node, map_article
from rdfpub.mapping.builder import GraphBuilder
from rdfpub.mapping.terms import integer, iri
from rdfpub.model import Article, Grant, Record, Reference
from rdfpub.vocab import BIRO, C4O, CITO, DATACITE, FRAPO, FRBR

# PubMed's CommentsCorrections RefType -> the CiTO property from this article to the other one.
CORRECTION_PROPERTIES = {
    "ErratumIn": CITO.isCorrectedBy, "ErratumFor": CITO.corrects,
    "RetractionIn": CITO.isRetractedBy, "RetractionOf": CITO.retracts,
    "UpdateIn": CITO.isUpdatedBy, "UpdateOf": CITO.updates,
    "CommentIn": CITO.isDiscussedBy, "CommentOn": CITO.discusses,
    "Cites": CITO.cites,
}
_PMID_IN_TEXT = re.compile(r"PMID:\s*(\d+)")


def map_links(builder: GraphBuilder, node: URIRef, record: Record) -> None:
    for other in record.similar:
        builder.add(node, builder.term("hasSimilarArticle"), map_article(builder, other, full=False))
    for other in record.cited_by:
        builder.add(map_article(builder, other, full=False), CITO.cites, node)
    for reference in record.references:
        _reference(builder, node, reference)
    for link in record.article.comments_corrections:
        _correction(builder, node, link.kind, link.source_text, link.pmid)
    for position, grant in enumerate(record.article.grants, start=1):
        _grant(builder, node, position, grant)


def _reference(builder: GraphBuilder, node: URIRef, reference: Reference) -> None:
    """Every reference keeps its text and place; one that names a valid PMID or DOI also cites
    that work. An id naming the citing article itself is a linking artefact, not a citation."""
    entry = iri(builder.iris.reference(str(node), reference.position))
    builder.add(node, FRBR.part, entry)
    builder.types(entry, BIRO.BibliographicReference)
    builder.add(entry, C4O.hasContent, reference.text)
    builder.add(entry, builder.term("position"), integer(reference.position))
    pmid = normalize_pmid(reference.pmid) if reference.pmid else None
    doi = normalize_doi(reference.doi) if reference.doi else None
    pmcid = normalize_pmcid(reference.pmcid) if reference.pmcid else None
    if not (pmid or doi):
        return
    # The cited work is named by the identifier its IRI is minted from, and nothing else: what the
    # reference says of it (its text, its other identifiers) is the citing record's own, kept on the
    # reference. A much-cited work would otherwise gather one text per citation, and a fact only
    # a since deleted record gave would outlive it.
    cited = map_article(builder, Article(pmid=pmid, doi=None if pmid else doi, kind=""), full=False)
    if cited == node:
        return
    builder.add(entry, BIRO.references, cited)
    builder.add(node, CITO.cites, cited)
    for scheme, value in ((DATACITE.doi, doi if pmid else None), (DATACITE.pmcid, pmcid)):
        if value:
            builder.add(entry, builder.term("referencedWorkIdentifier"), identifier_node(builder, scheme, value))


def _correction(builder: GraphBuilder, node: URIRef, kind: str, text: str | None, pmid: str | None) -> None:
    """A linked record (erratum, retraction, comment, update) as a CiTO link when it has a PMID;
    otherwise, or for a kind CiTO has no term for, a readable note."""
    if not pmid and text and (match := _PMID_IN_TEXT.search(text)):
        pmid = match.group(1)
    predicate = CORRECTION_PROPERTIES.get(kind)
    pmid = normalize_pmid(pmid) if pmid else None
    linked = bool(pmid) and iri(builder.iris.pubmed_article(pmid)) != node
    if linked:
        other = map_article(builder, Article(pmid=pmid, kind=""), full=False)
        builder.add(node, predicate or DCTERMS.relation, other)
    # The citation of the linked record is this record's words: a note of its own, not a
    # description of the other work (which its own record, or nothing, describes).
    if text or not (linked and predicate is not None):
        builder.add(node, builder.term("relatedRecordNote"), f"{kind}: {text}" if text else kind)


def _grant(builder: GraphBuilder, node: URIRef, position: int, grant: Grant) -> None:
    grant_node = iri(builder.iris.grant(str(node), position))
    builder.add(node, FRAPO.isSupportedBy, grant_node)
    builder.types(grant_node, FRAPO.Grant)
    builder.add(grant_node, FRAPO.hasGrantNumber, grant.grant_id)
    if grant.agency or grant.acronym or grant.country:
        agency = iri(builder.iris.funding_agency(str(grant_node)))
        builder.types(agency, FRAPO.FundingAgency, FOAF.Organization)
        builder.add(agency, FOAF.name, grant.agency)
        builder.add(agency, builder.term("acronym"), grant.acronym)
        builder.add(agency, builder.term("country"), grant.country)
        builder.add(grant_node, FRAPO.hasFundingAgency, agency)
