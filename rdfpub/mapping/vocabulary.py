"""The project vocabulary ({base}/vocab) as an RDF graph, from the definitions in rdfpub/own_vocabulary.py."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from rdfpub import __version__
from rdfpub.iris import Iris
from rdfpub.own_vocabulary import TERMS


def vocabulary_graph(iris: Iris, license_iri: str) -> Graph:
    """An owl:Ontology at {base}/vocab with every term's label, comment, domain, range and parent."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("dcterms", DCTERMS)):
        graph.bind(prefix, namespace)
    graph.bind("rdfpub", iris.vocab)
    ontology = URIRef(iris.vocabulary())
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, RDFS.label, Literal("rdfpub vocabulary", lang="en")))
    graph.add((ontology, DCTERMS.title, Literal("rdfpub vocabulary", lang="en")))
    graph.add((ontology, RDFS.comment, Literal(
        "The few terms rdfpub uses where the SPAR ontologies, Dublin Core, FOAF and PROV-O have none.",
        lang="en")))
    graph.add((ontology, OWL.versionInfo, Literal(__version__)))
    graph.add((ontology, DCTERMS.license, URIRef(license_iri)))
    for term in TERMS:
        node = URIRef(iris.term(term.name))
        graph.add((node, RDF.type, term.kind))
        graph.add((node, RDFS.label, Literal(term.label, lang="en")))
        graph.add((node, RDFS.comment, Literal(term.comment, lang="en")))
        graph.add((node, RDFS.isDefinedBy, ontology))
        if term.domain is not None:
            graph.add((node, RDFS.domain, term.domain))
        if term.range is not None:
            graph.add((node, RDFS.range, term.range))
        if term.parent is not None:
            parent = RDFS.subClassOf if term.kind == OWL.Class else RDFS.subPropertyOf
            graph.add((node, parent, term.parent))
    return graph
