"""The shapes: the seed passes; graphs with real mistakes fail with readable problems."""

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.sources import read_records
from rdfpub.validation.gate import Validator
from rdfpub.vocab import C4O, CITO, DATACITE, FABIO, FRBR, LITERAL, PRISM

from conftest import BASE, SEED

SEED_IRI = URIRef(f"{BASE}/pubmed/30445512")


@pytest.fixture(scope="module")
def validator():
    iris = Iris(BASE)
    return Validator(iris.vocab, f"{BASE}/shapes#")


@pytest.fixture
def graph():
    (record,) = read_records(SEED)
    return Mapper(Iris(BASE), "https://example.org/licence").map_record(record).graph


def test_seed_conforms(validator, graph):
    assert validator.violations(graph) == []
    # The page gives journals by abbreviation only: published, with a warning for each.
    warnings = validator.problems(graph)
    assert {p.shape for p in warnings} == {"JournalIdentifierShape"} and len(warnings) == 9


def _only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_malformed_pmid(validator, graph):
    graph.set((SEED_IRI, FABIO.hasPubMedId, Literal("3O44")))
    problems = validator.violations(graph)
    problem = next(p for p in problems if p.shape == "ArticleShape")
    assert (problem.path, problem.value) == ("fabio:hasPubMedId", '"3O44"')
    assert "PMID" in problem.message
    assert "3O44" in str(problem) and "fabio:hasPubMedId" in str(problem)
    # The shortcut no longer agrees with the DataCite identifier, nor with the article's IRI.
    record_level = sorted(p.message for p in problems if p.shape == "RecordShape")
    assert len(record_level) == 2 and all("3O44" in message for message in record_level)


def test_malformed_identifier_value(validator, graph):
    identifier = URIRef(f"{BASE}/identifier/pmcid/PMC6368372")
    graph.set((identifier, LITERAL.hasLiteralValue, Literal("PMCX1")))
    problems = validator.violations(graph)
    assert {p.shape for p in problems} == {"PmcidValueShape", "RecordShape"}
    problem = next(p for p in problems if p.shape == "PmcidValueShape")
    assert problem.shape == "PmcidValueShape" and "PMCID" in problem.message
    assert "PMCX1" in str(problem) or "PMC6368372" in str(problem)


def test_upper_case_doi(validator, graph):
    graph.set((SEED_IRI, PRISM.doi, Literal("10.1093/IJNP/pyy094")))
    problems = validator.violations(graph)
    assert {p.shape for p in problems} == {"ArticleShape", "RecordShape"}
    assert next(p for p in problems if p.shape == "ArticleShape").path == "prism:doi"


def test_record_article_without_title(validator, graph):
    graph.remove((SEED_IRI, DCTERMS.title, None))
    shapes = {problem.shape for problem in validator.violations(graph)}
    # Its PMID still names it (ArticleNameShape), but a record needs its article's title.
    assert shapes == {"RecordArticleShape"}


@pytest.mark.parametrize("date", [
    Literal("2014-13", datatype=XSD.gYearMonth),
    Literal("2014-02-30", datatype=XSD.date),
    Literal("March 2014", datatype=XSD.gYear),
    Literal("2014-03"),
])
def test_date_that_is_not_a_date(validator, graph, date):
    article = URIRef(f"{BASE}/pubmed/24388038")
    graph.set((article, PRISM.publicationDate, date))
    assert _only(validator.violations(graph)).path == "prism:publicationDate"


def test_dangling_citation(validator, graph):
    graph.add((SEED_IRI, CITO.cites, URIRef(f"{BASE}/pubmed/1")))
    problem = _only(validator.violations(graph))
    assert problem.path == "cito:cites" and "dangling" in problem.message


def test_reference_without_text(validator, graph):
    reference = URIRef(f"{SEED_IRI}/reference/1")
    graph.remove((reference, C4O.hasContent, None))
    assert _only(validator.violations(graph)).shape == "ReferenceShape"


def test_volume_outside_any_journal(validator, graph):
    volume = next(graph.subjects(RDF.type, FABIO.JournalVolume))
    graph.remove((volume, FRBR.partOf, None))
    assert _only(validator.violations(graph)).shape == "VolumeShape"


def test_unknown_identifier_scheme(validator, graph):
    identifier = URIRef(f"{BASE}/identifier/doi/10.1093%2Fijnp%2Fpyy094")
    graph.set((identifier, DATACITE.usesIdentifierScheme, DATACITE.issn))
    graph.set((identifier, DATACITE.usesIdentifierScheme, URIRef("http://purl.org/spar/datacite/made-up")))
    assert _only(validator.violations(graph)).shape == "IdentifierShape"
