"""Triples about the publication itself: each document's licence and dataset, and the VoID + DCAT dataset description."""

from __future__ import annotations

import hashlib

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from rdfpub.iris import (
    BIO2RDF_PUBMED, DOI_RESOLVER, IDENTIFIERS_ORG, ISSN_PORTAL, LANGUAGE, MESH, NLM_CATALOG, ORCID, PMC_PAGE,
    PUBMED_PAGE, ROR, Iris)
from rdfpub.vocab import FABIO, PREFIXES

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"


def _space(template: str) -> str:
    """The IRI prefix every link made from a link-out template starts with."""
    return template.split("{")[0]


# Each kind of link out: name -> (link predicate, the target's IRI space, the target's title).
LINKSETS: dict[str, tuple[URIRef, str, str]] = {
    "doi": (OWL.sameAs, _space(DOI_RESOLVER), "DOI resolver (doi.org)"),
    "identifiers-org": (OWL.sameAs, _space(IDENTIFIERS_ORG), "identifiers.org"),
    "bio2rdf": (OWL.sameAs, _space(BIO2RDF_PUBMED), "Bio2RDF PubMed"),
    "orcid": (OWL.sameAs, _space(ORCID), "ORCID"),
    "ror": (OWL.sameAs, _space(ROR), "Research Organization Registry"),
    "pubmed": (RDFS.seeAlso, _space(PUBMED_PAGE), "PubMed"),
    "pmc": (RDFS.seeAlso, _space(PMC_PAGE), "PubMed Central"),
    "nlm-catalog": (RDFS.seeAlso, _space(NLM_CATALOG), "NLM Catalog"),
    "issn-portal": (RDFS.seeAlso, _space(ISSN_PORTAL), "ISSN Portal"),
    "mesh": (FABIO.hasSubjectTerm, _space(MESH), "Medical Subject Headings (NLM)"),
    "language": (DCTERMS.language, _space(LANGUAGE), "ISO 639-2 languages (Library of Congress)"),
}


@dataclass(frozen=True)
class Distribution:
    """One dump file as published: its name, media type, whether gzipped, size and SHA-256."""

    file_name: str
    media_type: str
    gzipped: bool
    byte_size: int
    sha256: str


@dataclass(frozen=True)
class DatasetStats:
    """What SPARQL over the store says about the dataset, for its description."""

    records: int
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    linksets: dict[str, int]
    examples: list[str]
    modified: str | None = None
    distributions: list[Distribution] = field(default_factory=list)


def document_graph(iris: Iris, thing_iri: str, document_iri: str, license_iri: str) -> Graph:
    """What every RDF document says of itself: its topic, its dataset and its licence."""
    graph = Graph(bind_namespaces="none")
    document = URIRef(document_iri)
    graph.add((document, RDF.type, FOAF.Document))
    graph.add((document, FOAF.primaryTopic, URIRef(thing_iri)))
    graph.add((document, VOID.inDataset, URIRef(iris.dataset())))
    graph.add((document, DCTERMS.license, URIRef(license_iri)))
    return graph


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def dataset_graph(iris: Iris, stats: DatasetStats, title: str, license_iri: str) -> Graph:
    """VoID (with class, property and link partitions) and DCAT (one distribution per dump) of the dataset."""
    graph = Graph(bind_namespaces="none")
    for prefix in ("void", "dcat", "dcterms", "foaf", "rdf", "rdfs", "xsd", "owl"):
        graph.bind(prefix, PREFIXES[prefix])
    graph.bind("spdx", SPDX)
    dataset = URIRef(iris.dataset())
    description = URIRef(iris.void())
    add = graph.add
    add((description, RDF.type, VOID.DatasetDescription))
    add((description, FOAF.primaryTopic, dataset))
    add((description, DCTERMS.license, URIRef(license_iri)))
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(title)))
    add((dataset, DCTERMS.description, Literal(
        "PubMed article records as Linked Data (SPAR ontologies), one named graph per record.")))
    add((dataset, DCTERMS.license, URIRef(license_iri)))
    add((dataset, DCTERMS.source, URIRef("https://pubmed.ncbi.nlm.nih.gov/")))
    if stats.modified:
        add((dataset, DCTERMS.modified, Literal(stats.modified, datatype=XSD.dateTime)))
    add((dataset, FOAF.homepage, URIRef(iris.local("/"))))
    add((dataset, DCAT.landingPage, URIRef(iris.local("/"))))
    add((dataset, VOID.uriSpace, Literal(iris.local("/"))))
    add((dataset, VOID.sparqlEndpoint, URIRef(iris.sparql())))
    add((dataset, VOID.vocabulary, URIRef(iris.vocabulary())))
    for namespace in ("fabio", "cito", "datacite", "literal", "pro", "oco", "frbr", "prism", "biro", "c4o",
                      "frapo", "dcterms", "foaf", "prov"):
        add((dataset, VOID.vocabulary, URIRef(PREFIXES[namespace])))
    add((dataset, VOID.triples, _count(stats.triples)))
    add((dataset, VOID.entities, _count(stats.entities)))
    add((dataset, VOID.distinctSubjects, _count(stats.distinct_subjects)))
    add((dataset, VOID.distinctObjects, _count(stats.distinct_objects)))
    add((dataset, VOID.classes, _count(len(stats.classes))))
    add((dataset, VOID.properties, _count(len(stats.properties))))
    add((dataset, VOID.documents, _count(stats.records)))
    for example in stats.examples:
        add((dataset, VOID.exampleResource, URIRef(example)))
    for rdf_class, count in stats.classes:
        partition = _node("class", rdf_class)
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(rdf_class)))
        add((partition, VOID.entities, _count(count)))
    for predicate, count in stats.properties:
        partition = _node("property", predicate)
        add((dataset, VOID.propertyPartition, partition))
        add((partition, VOID.property, URIRef(predicate)))
        add((partition, VOID.triples, _count(count)))
    for name, (predicate, space, target_title) in LINKSETS.items():
        _linkset(graph, iris, dataset, name, predicate, space, target_title, stats.linksets.get(name, 0))
    for distribution in stats.distributions:
        _distribution(graph, iris, dataset, distribution, license_iri)
    return graph


def _node(kind: str, key: str) -> BNode:
    """A blank node named after what it stands for, so that every front (and every run) writes the
    same description byte for byte: random labels would differ between processes."""
    return BNode(f"{kind}{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def _linkset(graph: Graph, iris: Iris, dataset: URIRef, name: str, predicate: URIRef, space: str,
             target_title: str, count: int) -> None:
    linkset, target = URIRef(iris.linkset(name)), _node("target", name)
    graph.add((dataset, VOID.subset, linkset))
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add((linkset, VOID.subjectsTarget, dataset))
    graph.add((linkset, VOID.objectsTarget, target))
    graph.add((linkset, VOID.linkPredicate, predicate))
    graph.add((linkset, VOID.triples, _count(count)))
    graph.add((target, RDF.type, VOID.Dataset))
    graph.add((target, DCTERMS.title, Literal(target_title)))
    graph.add((target, VOID.uriSpace, Literal(space)))


def _distribution(graph: Graph, iris: Iris, dataset: URIRef, item: Distribution, license_iri: str) -> None:
    node, checksum = URIRef(iris.dump(item.file_name)), _node("checksum", item.file_name)
    graph.add((dataset, VOID.dataDump, node))
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(item.file_name)))
    graph.add((node, DCAT.downloadURL, node))
    graph.add((node, DCAT.accessURL, node))
    graph.add((node, DCAT.mediaType, URIRef(IANA + item.media_type)))
    if item.gzipped:
        graph.add((node, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    graph.add((node, DCAT.byteSize, Literal(item.byte_size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.license, URIRef(license_iri)))
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(item.sha256, datatype=XSD.hexBinary)))
