"""A full real record mapped triple by triple against a file read by hand, and every shape held to it:
the record passes, and one small break per shape fails with that shape's message."""

from datetime import datetime, timezone

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.settings import NLM_TERMS
from rdfpub.sources import read_records
from rdfpub.validation.gate import Validator
from rdfpub.vocab import BIRO, C4O, DATACITE, FABIO, FRBR, LITERAL, OCO, PRISM, PRO

from conftest import BASE, DATA

RECORD = DATA / "net-synergy__pubmedparser__data__pubmed21n1001.record-31418849.xml"
EXPECTED = DATA / "expected" / "pubmed-31418849.ttl"
ARTICLE = URIRef(f"{BASE}/pubmed/31418849")
GRAPH = URIRef(f"{BASE}/graph/pubmed/31418849")
VOCAB = Iris(BASE).vocab


def _mapped() -> Graph:
    (record,) = read_records(RECORD)
    return Mapper(Iris(BASE), NLM_TERMS).map_record(record, generated_at=datetime(2026, 1, 1, tzinfo=timezone.utc)).graph


@pytest.fixture(scope="module")
def validator():
    return Validator(Iris(BASE).vocab, f"{BASE}/shapes#")


def test_the_whole_graph_equals_the_reviewed_file():
    expected = Graph().parse(EXPECTED, format="turtle")
    # Through N-Triples and back, so both sides carry rdflib's normal lexical forms.
    actual = Graph().parse(data=_mapped().serialize(format="nt"), format="nt")
    assert set(actual) - set(expected) == set()
    assert set(expected) - set(actual) == set()


def test_the_real_record_has_no_violations(validator):
    assert validator.violations(_mapped()) == []


def _role(n: int) -> URIRef:
    return URIRef(f"{ARTICLE}/author/{n}")


# shape -> (how to break the real record, words of the message that must come back)
BREAKS = {
    "ArticleShape": (lambda g: g.add((ARTICLE, FABIO.hasPubMedId, Literal("31418849x"))), "A PMID is 1 to 10 digits"),
    # A work the record cites is named by its PMID alone: without it, nothing names it.
    "ArticleNameShape": (lambda g: g.remove((URIRef(f"{BASE}/pubmed/10728518"), FABIO.hasPubMedId, None)),
                         "needs a title"),
    "ArticleIriShape": (lambda g: _retype_blank(g), "never a blank node"),
    "RecordArticleShape": (lambda g: g.remove((ARTICLE, DCTERMS.title, None)), "has no title"),
    "IdentifierShape": (lambda g: g.add((URIRef(f"{BASE}/identifier/pmid/31418849"), LITERAL.hasLiteralValue,
                                         Literal("31418849", lang="en"))), "exactly one non-empty string value"),
    "PmidValueShape": (lambda g: g.set((URIRef(f"{BASE}/identifier/pmid/10728518"), LITERAL.hasLiteralValue,
                                        Literal("010728518"))), "not a PMID"),
    "PmcidValueShape": (lambda g: g.set((URIRef(f"{BASE}/identifier/pmcid/PMC6986301"), LITERAL.hasLiteralValue,
                                         Literal("6986301"))), "not a PMCID"),
    "DoiValueShape": (lambda g: g.set((URIRef(f"{BASE}/identifier/doi/10.1002%2Fcncr.32421"), LITERAL.hasLiteralValue,
                                       Literal("cncr.32421"))), "not a DOI"),
    "OrcidValueShape": (lambda g: g.set((URIRef(f"{BASE}/identifier/orcid/0000-0003-4338-6663"),
                                         LITERAL.hasLiteralValue, Literal("0000-0003-4338"))), "not an ORCID"),
    "IssnValueShape": (lambda g: g.set((URIRef(f"{BASE}/identifier/issn/1097-0142"), LITERAL.hasLiteralValue,
                                        Literal("10970142"))), "not an ISSN"),
    "JournalShape": (lambda g: g.add((URIRef(f"{BASE}/journal/nlm/0374236"), FABIO.hasIssnL, Literal("1097-0142"))),
                     "at most one linking ISSN"),
    "JournalNameShape": (lambda g: [g.remove((URIRef(f"{BASE}/journal/nlm/0374236"), p, None))
                                    for p in (DCTERMS.title, FABIO.hasNLMJournalTitleAbbreviation)],
                         "needs a title"),
    "VolumeShape": (lambda g: g.remove((URIRef(f"{BASE}/journal/nlm/0374236/volume/125"), PRISM.volume, None)),
                    "volume number"),
    "IssueShape": (lambda g: g.remove((URIRef(f"{BASE}/journal/nlm/0374236/volume/125/issue/22"), FRBR.partOf, None)),
                   "part of exactly one volume or journal"),
    "ReferenceShape": (lambda g: g.remove((URIRef(f"{ARTICLE}/reference/3"), C4O.hasContent, None)),
                       "keeps its text"),
    "RoleShape": (lambda g: g.remove((_role(2), PRO.isHeldBy, None)), "held by exactly one agent"),
    "AgentShape": (lambda g: g.remove((URIRef(f"{ARTICLE}/author/2/agent"), FOAF.name, None)), "non-empty name"),
    "OrganizationShape": (lambda g: g.remove((URIRef(f"{ARTICLE}/author/2/affiliation/1"), FOAF.name, None)),
                          "organisation"),
    "SubjectShape": (lambda g: g.remove((URIRef("http://id.nlm.nih.gov/mesh/D006801"), RDFS.label, None)),
                     "carries the label"),
    "ArticleSubjectShape": (lambda g: g.add((ARTICLE, DCTERMS.language, Literal("eng"))), "Library of Congress"),
    "InvalidDateShape": (lambda g: g.add((ARTICLE, URIRef(VOCAB + "invalidDate"), Literal("2019 13 45 (publicationDate)"))),
                         "no calendar date"),
    "RecordShape": (lambda g: g.set((_role(3), URIRef(VOCAB + "position"), Literal(2, datatype=XSD.integer))),
                    "share position"),
}


def _retype_blank(graph: Graph) -> None:
    from rdflib import BNode
    graph.add((BNode(), RDF.type, FABIO.Expression))


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_each_shape_catches_its_break(validator, shape):
    graph = _mapped()
    breaking, words = BREAKS[shape]
    breaking(graph)
    problems = [p for p in validator.violations(graph) if p.shape == shape]
    assert problems, f"{shape} did not fire"
    assert any(words in p.message for p in problems), [p.message for p in problems]


def test_every_violation_shape_has_a_break(validator):
    def blocking(shape) -> bool:
        own = shape.severity == "Violation" and (shape.constraints or shape.sparql)
        return bool(own) or any(p.severity == "Violation" and p.constraints for p in shape.properties)
    names = {shape.name for shape in validator._fast.shapes if blocking(shape)}
    assert names - set(BREAKS) == set()


@pytest.mark.parametrize(("change", "words"), [
    (lambda g: g.remove((_role(4), OCO.hasNext, None)), "has no oco:hasNext"),
    (lambda g: g.set((_role(4), OCO.hasNext, _role(6))), "goes from a role at position 4 to one at position 6"),
    (lambda g: g.set((_role(9), URIRef(VOCAB + "position"), Literal(12, datatype=XSD.integer))), "numbered up to 12"),
    (lambda g: [g.remove((URIRef(f"{BASE}/identifier/orcid/0000-0003-4338-6663"), LITERAL.hasLiteralValue, None)),
                g.add((URIRef(f"{BASE}/identifier/orcid/0000-0003-4338-6663"), LITERAL.hasLiteralValue,
                       Literal("0000-0003-4338-6664")))], "fails its check digit"),
    (lambda g: g.set((URIRef(f"{BASE}/identifier/issn/0008-543X"), LITERAL.hasLiteralValue, Literal("0008-5431"))),
     "ISSN 0008-5431 fails its check digit"),
    (lambda g: g.set((ARTICLE, PRISM.doi, Literal("10.1002/cncr.99999"))), "must agree"),
    (lambda g: g.add((ARTICLE, FABIO.hasPrimarySubjectTerm, URIRef("http://id.nlm.nih.gov/mesh/D000001"))),
     "primary subject but not as a subject"),
])
def test_record_level_checks(validator, change, words):
    graph = _mapped()
    change(graph)
    messages = [p.message for p in validator.violations(graph) if p.shape == "RecordShape"]
    assert any(words in message for message in messages), messages


def test_warnings_do_not_block(validator):
    graph = _mapped()
    graph.remove((ARTICLE, DCTERMS.abstract, None))
    graph.add((ARTICLE, URIRef(VOCAB + "malformedIdentifier"), Literal("DOI 51466")))
    assert validator.violations(graph) == []
    warnings = {p.shape for p in validator.problems(graph) if p.severity == "Warning"}
    assert warnings == {"ArticleAbstractShape", "MalformedIdentifierShape"}


def test_identifiers_link_the_datacite_way():
    graph = _mapped()
    values = {str(graph.value(i, LITERAL.hasLiteralValue)) for i in graph.objects(ARTICLE, DATACITE.hasIdentifier)}
    assert values == {"31418849", "PMC6986301", "10.1002/cncr.32421", "NIHMS1066490"}
    assert (GRAPH, FOAF.primaryTopic, ARTICLE) in graph
    assert len(list(graph.objects(ARTICLE, FRBR.part))) == 22
    assert all((entry, RDF.type, BIRO.BibliographicReference) in graph for entry in graph.objects(ARTICLE, FRBR.part))


@pytest.mark.parametrize(("fixture", "pmid", "predicate", "other"), [
    ("tipplerow__pubmed__pubmed-lib__data__test__pubmed20n0001.xml.gz", "2", "isCorrectedBy", "8"),
    ("tipplerow__pubmed__pubmed-lib__data__test__pubmed20n0001.xml.gz", "8", "corrects", "2"),
    ("net-synergy__pubmedparser__data__pubmed21n1005.xml.gz", "31541003", "isRetractedBy", "32167152"),
    ("Valdecy__pyBibX__assets__bibs__pubmed.records-4-7-65-290.txt", "31623981", "isCorrectedBy", "33422458"),
])
def test_errata_and_retractions_link_the_records(fixture, pmid, predicate, other):
    """Real errata and retractions (XML and MEDLINE) become CiTO links between the two records."""
    (record,) = [r for r in read_records(DATA / fixture) if getattr(r, "article", None) and r.article.pmid == pmid]
    graph = Mapper(Iris(BASE), NLM_TERMS).map_record(record).graph
    article, target = URIRef(f"{BASE}/pubmed/{pmid}"), URIRef(f"{BASE}/pubmed/{other}")
    assert (article, URIRef("http://purl.org/spar/cito/" + predicate), target) in graph
    assert (target, FABIO.hasPubMedId, Literal(other)) in graph
