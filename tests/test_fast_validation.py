"""The fast checker reports exactly what pyshacl reports, on good records and on broken ones."""

import itertools

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.sources import read_records
from rdfpub.validation.gate import Validator

from conftest import BASE, DATA, SEED

IRIS = Iris(BASE)


@pytest.fixture(scope="module")
def engines():
    return (Validator(IRIS.vocab, f"{BASE}/shapes#", engine="fast"),
            Validator(IRIS.vocab, f"{BASE}/shapes#", engine="pyshacl"))


def _seed_graph():
    (record,) = read_records(SEED)
    return Mapper(IRIS, "https://example.org/licence").map_record(record).graph


def _authored_graph():
    """A real record with a list of authors (the seed, a page copy, names none)."""
    (record,) = read_records(DATA / "net-synergy__pubmedparser__data__pubmed21n1001.record-31418849.xml")
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
    yield from _broken_author_lists()


def _broken_author_lists():
    """The order of the authors wrong in each way the record shape's SPARQL constraints look for."""
    position = URIRef(f"{BASE}/vocab#position")
    has_next = URIRef("https://w3id.org/oc/ontology/hasNext")

    def role(graph, number):
        (found,) = [r for r, _, p in graph.triples((None, position, None))
                    if p.toPython() == number and "/author/" in str(r)]
        return found

    graph = _authored_graph()
    graph.set((role(graph, 2), position, Literal(1)))
    yield "two authors share a position", graph
    graph = _authored_graph()
    graph.set((role(graph, 3), position, Literal(90)))
    yield "positions skip numbers", graph
    graph = _authored_graph()
    graph.remove((role(graph, 1), has_next, None))
    yield "the chain stops before the last author", graph
    graph = _authored_graph()
    graph.set((role(graph, 1), has_next, role(graph, 3)))
    yield "a next that skips an author", graph
    yield from _typing_errors()


def _typing_errors():
    """Identifiers whose check digit fails, and a primary subject that is not a subject."""
    value = URIRef("http://www.essepuntato.it/2010/06/literalreification/hasLiteralValue")
    for scheme, written, wrong in (("issn", "0008-543X", "0008-5430"),
                                   ("orcid", "0000-0003-4338-6663", "0000-0003-4338-6664")):
        graph = _authored_graph()
        graph.set((URIRef(f"{BASE}/identifier/{scheme}/{written}"), value, Literal(wrong)))
        yield f"{scheme} check digit", graph
    graph = _authored_graph()
    graph.add((URIRef(f"{BASE}/pubmed/31418849"), URIRef("http://purl.org/spar/fabio/hasPrimarySubjectTerm"),
               URIRef("http://id.nlm.nih.gov/mesh/D000001")))
    yield "a primary subject that is not a subject", graph
    for name, value in (("invalidDate", "2099-13-45"), ("unmatchedMeshHeading", "Shoulder Pian")):
        graph = _authored_graph()
        graph.add((URIRef(f"{BASE}/pubmed/31418849"), URIRef(f"{BASE}/vocab#{name}"), Literal(value)))
        yield f"{name} written by the mapping", graph
    graph = _authored_graph()
    year = URIRef("http://purl.org/spar/fabio/hasPublicationYear")
    for subject, _, _ in list(graph.triples((None, year, None))):
        graph.set((subject, year, Literal("2099", datatype=XSD.gYear)))
    yield "a publication year far ahead", graph


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


def test_mutations_break_every_sparql_constraint(engines):
    """Each of the shapes' SPARQL constraints reports at least one of the mutations."""
    fast, _ = engines
    messages = {c.message for checks in fast._fast._sparql.values() for c in checks}
    reported = {p.message for _, graph in MUTATIONS for p in fast.problems(graph)}
    missed = {m for m in messages if not any(_fits(m, r) for r in reported)}
    assert not missed, sorted(missed)


def _fits(template: str, message: str) -> bool:
    """Whether a message is its template with the {?variables} filled in."""
    import re
    pattern = "".join(re.escape(part) if not part.startswith("{?") else ".*"
                      for part in re.split(r"(\{\?\w+\})", template))
    return re.fullmatch(pattern, message, re.DOTALL) is not None


def test_a_batch_reports_what_each_record_reports_alone(engines):
    """Checked together (the SPARQL constraints run once for the batch, each record in a graph of
    its own), every broken and good record gets exactly its own problems: none leak to a neighbour."""
    fast, _ = engines
    texts = [graph.serialize(format="nt") for _, graph in MUTATIONS]
    alone = [fast.problems(ntriples=text) for text in texts]
    assert fast.problems_of_batch(texts) == alone
    assert fast.problems_of_batch(list(reversed(texts))) == list(reversed(alone))
    assert sum(1 for problems in alone if any(p.shape == "RecordShape" for p in problems)) >= 3


def test_every_sparql_constraint_of_the_shapes_runs_batched(engines):
    """The shapes' own SPARQL constraints are all of the form the batch rewrite takes (a new one
    that is not would still be checked, record by record, but slower)."""
    fast, _ = engines
    constraints = [c for checks in fast._fast._sparql.values() for c in checks]
    assert constraints and all(c.batch_query is not None for c in constraints)
