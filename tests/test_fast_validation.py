"""The fast checker reports exactly what pyshacl reports, on good records and on broken ones."""

import itertools

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.sources import read_records
from rdfpub.validation import Validator

from conftest import BASE, SEED

IRIS = Iris(BASE)


@pytest.fixture(scope="module")
def engines():
    return (Validator(IRIS.vocab, f"{BASE}/shapes#", engine="fast"),
            Validator(IRIS.vocab, f"{BASE}/shapes#", engine="pyshacl"))


def _seed_graph():
    (record,) = read_records(SEED)
    return Mapper(IRIS, "https://example.org/licence").map_record(record).graph


def _mutations():
    """One graph per kind of mistake: for each predicate the seed uses, drop its first triple,
    give it a junk value, give it a second value, and point it at nothing."""
    graph = _seed_graph()
    yield "unchanged", graph
    by_predicate = {}
    for triple in sorted(graph, key=lambda t: (str(t[1]), str(t[0]), str(t[2]))):
        by_predicate.setdefault(triple[1], triple)
    for predicate, (subject, _, value) in sorted(by_predicate.items()):
        name = str(predicate).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        for label, change in (
            ("dropped", lambda g: g.remove((subject, predicate, value))),
            ("junk literal", lambda g: g.set((subject, predicate, Literal("x y", datatype=XSD.gYear)))),
            ("second value", lambda g: g.add((subject, predicate, Literal("2nd")))),
            ("dangling IRI", lambda g: g.set((subject, predicate, URIRef(f"{BASE}/nowhere")))),
            ("blank node", lambda g: g.set((subject, predicate, BNode()))),
        ):
            mutated = _seed_graph()
            change(mutated)
            yield f"{name}: {label}", mutated


def _specific():
    """Mistakes the generic mutations do not reach."""
    graph = _seed_graph()
    identifier = URIRef(f"{BASE}/identifier/pmid/24388038")
    graph.set((identifier, URIRef("http://www.essepuntato.it/2010/06/literalreification/hasLiteralValue"),
               Literal("24388038a")))
    yield "pmid identifier value", graph
    graph = _seed_graph()
    stub = URIRef(f"{BASE}/pubmed/24388038")
    graph.remove((stub, URIRef("http://purl.org/dc/terms/title"), None))
    graph.remove((stub, URIRef("http://purl.org/dc/terms/bibliographicCitation"), None))
    yield "listed article without title or citation", graph
    graph = _seed_graph()
    for name in ("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/bibliographicCitation",
                 "http://purl.org/spar/fabio/hasPubMedId", "http://prismstandard.org/namespaces/basic/2.0/doi"):
        graph.remove((stub, URIRef(name), None))
    yield "listed article without anything to name it by", graph
    graph = _seed_graph()
    graph.add((URIRef(f"{BASE}/pubmed/30445512"), RDF.type, Literal("not a class")))
    yield "literal type", graph


MUTATIONS = list(_mutations()) + list(_specific())


@pytest.mark.parametrize(("label", "graph"), MUTATIONS, ids=[label for label, _ in MUTATIONS])
def test_same_problems_as_pyshacl(engines, label, graph):
    fast, reference = engines
    assert fast.problems(graph) == reference.problems(graph)


def test_mutations_cover_every_kind_of_failure(engines):
    fast, _ = engines
    shapes = set(itertools.chain.from_iterable(
        (p.shape for p in fast.violations(graph)) for _, graph in MUTATIONS))
    assert {"ArticleShape", "ArticleNameShape", "IdentifierShape", "PmidValueShape", "ReferenceShape",
            "RecordShape", "RecordArticleShape", "VolumeShape", "IssueShape", "JournalShape"} <= shapes
