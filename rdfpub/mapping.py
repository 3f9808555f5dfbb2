"""Turns a Record into the RDF graph of one record (SPAR vocabularies plus shortcut triples); the only module that makes triples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, XSD

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.iris import PMC_PAGE, PUBMED_PAGE, Iris, doi_iri
from rdfpub.model import Article, PartialDate, Record, Reference
from rdfpub.vocab import (
    BIRO, C4O, CITO, DATACITE, FABIO, FRBR, LITERAL, PREFIXES, PRISM, PUBLICATION_TYPE_CLASSES)

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


@dataclass(frozen=True)
class MappedRecord:
    """A record's RDF: the named graph it is stored in, its article's IRI, and the triples."""

    graph_iri: str
    article_iri: str
    graph: Graph


class Mapper:
    """Maps records for one deployment (its IRIs and licence)."""

    def __init__(self, iris: Iris, license_iri: str):
        self.iris = iris
        self.license = URIRef(license_iri)

    def map_record(self, record: Record, generated_at: datetime | None = None) -> MappedRecord:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        article = self._article(graph, record.article)
        for other in record.similar:
            graph.add((article, URIRef(self.iris.term("hasSimilarArticle")), self._article(graph, other)))
        for other in record.cited_by:
            graph.add((self._article(graph, other), CITO.cites, article))
        for reference in record.references:
            self._reference(graph, article, reference)
        graph_iri = self.iris.record_graph(str(article))
        self._provenance(graph, URIRef(graph_iri), article, record, generated_at)
        return MappedRecord(graph_iri, str(article), graph)

    def _article(self, graph: Graph, item: Article) -> URIRef:
        """The triples of one article (the record's own, or one it lists) and returns its IRI.

        Identifiers that do not normalise are still written as given, so the shapes reject the
        record and say which value is wrong instead of the value silently disappearing.
        """
        pmid = normalize_pmid(item.pmid) if item.pmid else None
        node = URIRef(self.iris.article(item, pmid))
        graph.add((node, RDF.type, FABIO.Expression))
        graph.add((node, RDF.type, FABIO.JournalArticle))
        for publication_type in item.publication_types:
            name = publication_type.name
            graph.add((node, URIRef(self.iris.term("publicationTypeName")), Literal(name)))
            if name in PUBLICATION_TYPE_CLASSES:
                graph.add((node, RDF.type, PUBLICATION_TYPE_CLASSES[name]))
        if item.title:
            graph.add((node, DCTERMS.title, Literal(item.title)))
        if item.abstract:
            graph.add((node, DCTERMS.abstract, Literal(item.abstract)))
        if item.citation_text and not item.title:
            graph.add((node, DCTERMS.bibliographicCitation, Literal(item.citation_text)))
        self._identifiers(graph, node, item, pmid)
        self._dates(graph, node, item)
        self._venue(graph, node, item)
        return node

    def _identifiers(self, graph: Graph, node: URIRef, item: Article, pmid: str | None) -> None:
        pmcid = normalize_pmcid(item.pmcid) if item.pmcid else None
        doi = normalize_doi(item.doi) if item.doi else None
        for scheme, raw, value, shortcut in (
            (DATACITE.pmid, item.pmid, pmid, FABIO.hasPubMedId),
            (DATACITE.pmcid, item.pmcid, pmcid, FABIO.hasPubMedCentralId),
            (DATACITE.doi, item.doi, doi, PRISM.doi),
        ):
            if raw is None:
                continue
            literal = Literal(value or raw.strip())
            graph.add((node, shortcut, literal))
            scheme_name = str(scheme).rsplit("/", 1)[1]
            identifier = URIRef(self.iris.identifier(scheme_name, str(literal)))
            graph.add((node, DATACITE.hasIdentifier, identifier))
            graph.add((identifier, RDF.type, DATACITE.Identifier))
            graph.add((identifier, DATACITE.usesIdentifierScheme, scheme))
            graph.add((identifier, LITERAL.hasLiteralValue, literal))
        if pmid:
            graph.add((node, RDFS.seeAlso, URIRef(PUBMED_PAGE.format(pmid))))
        if pmcid:
            graph.add((node, RDFS.seeAlso, URIRef(PMC_PAGE.format(pmcid))))
        if doi:
            graph.add((node, OWL.sameAs, URIRef(doi_iri(doi))))

    def _dates(self, graph: Graph, node: URIRef, item: Article) -> None:
        if item.published:
            graph.add((node, PRISM.publicationDate, _date_literal(item.published)))
            graph.add((node, FABIO.hasPublicationYear, Literal(f"{item.published.year:04d}", datatype=XSD.gYear)))
        if item.epublished:
            graph.add((node, URIRef(self.iris.term("electronicPublicationDate")), _date_literal(item.epublished)))

    def _venue(self, graph: Graph, node: URIRef, item: Article) -> None:
        """Article -> issue -> volume -> journal by frbr:partOf, skipping the levels not known,
        and the pages on the article's manifestation."""
        journal_iri = self.iris.journal(item.journal) if item.journal else None
        container = None
        if journal_iri:
            container = URIRef(journal_iri)
            graph.add((container, RDF.type, FABIO.Journal))
            if item.journal.title:
                graph.add((container, DCTERMS.title, Literal(item.journal.title)))
            if item.journal.iso_abbreviation:
                graph.add((container, FABIO.hasNLMJournalTitleAbbreviation,
                           Literal(item.journal.iso_abbreviation)))
            if item.volume:
                volume = URIRef(self.iris.volume(journal_iri, item.volume))
                graph.add((volume, RDF.type, FABIO.JournalVolume))
                graph.add((volume, PRISM.volume, Literal(item.volume)))
                graph.add((volume, FRBR.partOf, container))
                container = volume
            if item.issue:
                issue = URIRef(self.iris.issue(str(container), item.issue))
                graph.add((issue, RDF.type, FABIO.JournalIssue))
                graph.add((issue, PRISM.issueIdentifier, Literal(item.issue)))
                graph.add((issue, FRBR.partOf, container))
                container = issue
            graph.add((node, FRBR.partOf, container))
        if item.pages:
            manifestation = URIRef(self.iris.manifestation(str(node)))
            graph.add((node, FRBR.embodiment, manifestation))
            graph.add((manifestation, RDF.type, FABIO.Manifestation))
            graph.add((manifestation, PRISM.pageRange, Literal(item.pages.text)))
            if item.pages.first:
                graph.add((manifestation, PRISM.startingPage, Literal(item.pages.first)))
            if item.pages.last:
                graph.add((manifestation, PRISM.endingPage, Literal(item.pages.last)))

    def _reference(self, graph: Graph, article: URIRef, reference: Reference) -> None:
        node = URIRef(self.iris.reference(str(article), reference.position))
        graph.add((article, FRBR.part, node))
        graph.add((node, RDF.type, BIRO.BibliographicReference))
        graph.add((node, C4O.hasContent, Literal(reference.text)))
        graph.add((node, URIRef(self.iris.term("position")),
                   Literal(reference.position, datatype=XSD.positiveInteger)))

    def _provenance(self, graph: Graph, graph_iri: URIRef, article: URIRef, record: Record,
                    generated_at: datetime | None) -> None:
        """PROV-O and licence on the record's graph, stated inside the graph itself."""
        when = (generated_at or datetime.now(timezone.utc)).replace(microsecond=0)
        graph.add((graph_iri, RDF.type, PROV.Entity))
        graph.add((graph_iri, FOAF.primaryTopic, article))
        graph.add((graph_iri, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
        graph.add((graph_iri, DCTERMS.source, Literal(record.source.name.rsplit("/", 1)[-1])))
        graph.add((graph_iri, DCTERMS.license, self.license))
        pmid = normalize_pmid(record.article.pmid) if record.article.pmid else None
        if pmid:
            graph.add((graph_iri, PROV.wasDerivedFrom, URIRef(PUBMED_PAGE.format(pmid))))


def _date_literal(date: PartialDate) -> Literal:
    return Literal(date.isoformat(), datatype=_DATE_TYPES[date.precision])
