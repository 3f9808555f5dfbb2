"""Turns a Record into the RDF of one record (SPAR vocabularies plus shortcut triples), as N-Triples
lines sorted by the graph that holds each; the only code that makes triples."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, XSD

from rdfpub import __version__
from rdfpub.identifiers import normalize_pmid
from rdfpub.iris import PUBMED_PAGE, Iris
from rdfpub.mapping.article import map_article, map_history
from rdfpub.mapping.builder import GraphBuilder, as_graph
from rdfpub.mapping.links import map_links
from rdfpub.mapping.people import map_people
from rdfpub.mapping.placement import Placement, place
from rdfpub.mapping.subjects import map_subjects
from rdfpub.mapping.terms import integer, iri, typed
from rdfpub.model import Record


@dataclass(frozen=True)
class MappedRecord:
    """A record's RDF: the named graph it is stored in, its article's IRI, all its triples as
    N-Triples lines (what the shapes check) and where each is stored, and a digest of them that
    leaves out the generation time (equal digests: nothing to re-publish)."""

    graph_iri: str
    article_iri: str
    lines: frozenset[str]
    placement: Placement
    digest: str
    version: int
    revised: str  # the source record's revision date (ISO), '' when unknown
    vocab: str = ""

    @cached_property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph, made on demand (pyshacl and tests want one)."""
        return as_graph(self.lines, self.vocab)

    @property
    def ntriples(self) -> str:
        return "\n".join(sorted(self.lines))


def source_file_name(source: str) -> str:
    """The file name a record graph states as its dcterms:source (no folders: they differ per machine)."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def digest_of(lines) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


class Mapper:
    """Maps records for one deployment (its IRIs and licence)."""

    def __init__(self, iris: Iris, license_iri: str):
        self.iris = iris
        self.license = URIRef(license_iri)

    def map_record(self, record: Record, generated_at: datetime | None = None) -> MappedRecord:
        builder = GraphBuilder(self.iris)
        article = record.article
        builder.primary = map_article(builder, article)
        node = builder.primary
        map_history(builder, node, record.history)
        map_people(builder, node, article.authors, "author")
        map_subjects(builder, node, article)
        map_links(builder, node, record)
        graph_iri = iri(self.iris.record_graph(str(node)))
        self._provenance(builder, graph_iri, node, record)
        # The digest leaves out only the generation time, added after it.
        digest = digest_of(builder.lines)
        builder.add(graph_iri, builder.term("contentDigest"), digest)
        when = (generated_at or datetime.now(timezone.utc)).replace(microsecond=0)
        # UTC written with "Z", the canonical form Oxigraph stores, so the stored graph is the validated one.
        stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        builder.add(graph_iri, PROV.generatedAtTime, typed(stamp, str(XSD.dateTime)))
        return MappedRecord(str(graph_iri), str(node), frozenset(builder.lines), place(builder, node, graph_iri),
                            digest, article.pmid_version or 1, record.revised.isoformat() if record.revised else "",
                            self.iris.vocab)

    def _provenance(self, builder: GraphBuilder, graph_iri: URIRef, node: URIRef, record: Record) -> None:
        """PROV-O, licence and the source record's own facts, stated on the record's graph."""
        builder.types(graph_iri, PROV.Entity)
        builder.add(graph_iri, FOAF.primaryTopic, node)
        builder.add(graph_iri, DCTERMS.source, source_file_name(record.source.name))
        builder.add(graph_iri, builder.term("sourceFormat"), record.source.format)
        builder.add(graph_iri, DCTERMS.license, self.license)
        builder.add(graph_iri, builder.term("generator"), f"rdfpub {__version__}")
        pmid = normalize_pmid(record.article.pmid) if record.article.pmid else None
        if pmid:
            builder.add(graph_iri, PROV.wasDerivedFrom, iri(PUBMED_PAGE.format(pmid)))
        if record.article.pmid_version:
            builder.add(graph_iri, builder.term("pmidVersion"), integer(record.article.pmid_version))
        builder.add(graph_iri, builder.term("citationStatus"), record.status)
        builder.add(graph_iri, builder.term("citationOwner"), record.owner)
        builder.add(graph_iri, builder.term("publicationStatus"), record.publication_status)
        builder.add_date(graph_iri, DCTERMS.created, record.created)
        builder.add_date(graph_iri, DCTERMS.modified, record.revised)
        builder.add_date(graph_iri, builder.term("dateCompleted"), record.completed)
