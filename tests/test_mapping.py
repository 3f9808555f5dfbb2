"""The mapping of the seed record to RDF, checked on the graph."""

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, XSD

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.model import Article, Record, SourceRef
from rdfpub.sources import read_records
from rdfpub.vocab import BIRO, C4O, CITO, DATACITE, FABIO, FRBR, LITERAL, PRISM

from conftest import BASE, SEED

LICENSE = "https://www.nlm.nih.gov/databases/download/terms_and_conditions.html"
SEED_IRI = URIRef(f"{BASE}/pubmed/30445512")
VOCAB = Iris(BASE).vocab


@pytest.fixture(scope="module")
def mapped():
    (record,) = read_records(SEED)
    return Mapper(Iris(BASE), LICENSE).map_record(record)


def test_record_graph_and_article_iri(mapped):
    assert mapped.article_iri == str(SEED_IRI)
    assert mapped.graph_iri == f"{BASE}/graph/pubmed/30445512"


def test_seed_article(mapped):
    g = mapped.graph
    assert {FABIO.Expression, FABIO.JournalArticle} <= set(g.objects(SEED_IRI, RDF.type))
    assert str(g.value(SEED_IRI, DCTERMS.title)).startswith("Glutamatergic Neurotransmission")
    assert str(g.value(SEED_IRI, DCTERMS.abstract)).startswith("The underlying neurobiological")
    assert g.value(SEED_IRI, FABIO.hasPubMedId) == Literal("30445512")
    assert g.value(SEED_IRI, FABIO.hasPubMedCentralId) == Literal("PMC6368372")
    assert g.value(SEED_IRI, PRISM.doi) == Literal("10.1093/ijnp/pyy094")


def test_identifiers_are_reified_and_shortcut(mapped):
    g = mapped.graph
    schemes = {}
    for identifier in g.objects(SEED_IRI, DATACITE.hasIdentifier):
        assert (identifier, RDF.type, DATACITE.Identifier) in g
        schemes[g.value(identifier, DATACITE.usesIdentifierScheme)] = str(g.value(identifier, LITERAL.hasLiteralValue))
    assert schemes == {DATACITE.pmid: "30445512", DATACITE.pmcid: "PMC6368372", DATACITE.doi: "10.1093/ijnp/pyy094"}


def test_links_out(mapped):
    g = mapped.graph
    assert (SEED_IRI, OWL.sameAs, URIRef("https://doi.org/10.1093/ijnp/pyy094")) in g
    assert (SEED_IRI, RDFS.seeAlso, URIRef("https://pubmed.ncbi.nlm.nih.gov/30445512/")) in g
    assert (SEED_IRI, RDFS.seeAlso, URIRef("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6368372/")) in g


def test_citing_articles_cite_the_seed(mapped):
    g = mapped.graph
    citing = set(g.subjects(CITO.cites, SEED_IRI))
    assert {str(g.value(a, FABIO.hasPubMedId)) for a in citing} == {
        "36620687", "34893785", "39041263", "33904154", "34403718"}


def test_similar_articles_use_the_project_property(mapped):
    g = mapped.graph
    similar = set(g.objects(SEED_IRI, URIRef(VOCAB + "hasSimilarArticle")))
    assert {str(g.value(a, FABIO.hasPubMedId)) for a in similar} == {
        "24388038", "40012166", "29718013", "32017978", "32061748"}


def test_listed_article_metadata(mapped):
    g = mapped.graph
    article = URIRef(f"{BASE}/pubmed/29718013")
    assert {FABIO.Expression, FABIO.JournalArticle} <= set(g.objects(article, RDF.type))
    assert g.value(article, PRISM.doi) == Literal("10.24875/ric.18002501")
    assert g.value(article, PRISM.publicationDate) == Literal("2018", datatype=XSD.gYear)
    issue = g.value(article, FRBR.partOf)
    assert (issue, RDF.type, FABIO.JournalIssue) in g and g.value(issue, PRISM.issueIdentifier) == Literal("2")
    volume = g.value(issue, FRBR.partOf)
    assert g.value(volume, PRISM.volume) == Literal("70")
    journal = g.value(volume, FRBR.partOf)
    assert (journal, RDF.type, FABIO.Journal) in g
    assert g.value(journal, FABIO.hasNLMJournalTitleAbbreviation) == Literal("Rev Invest Clin")
    manifestation = g.value(article, FRBR.embodiment)
    assert g.value(manifestation, PRISM.startingPage) == Literal("65")
    assert g.value(manifestation, PRISM.endingPage) == Literal("67")
    assert g.value(manifestation, PRISM.pageRange) == Literal("65-7")


def test_dates_are_typed_by_precision(mapped):
    g = mapped.graph
    assert g.value(URIRef(f"{BASE}/pubmed/24388038"), PRISM.publicationDate) == Literal("2014-03", datatype=XSD.gYearMonth)
    assert g.value(URIRef(f"{BASE}/pubmed/32017978"), PRISM.publicationDate) == Literal("2020-04-06", datatype=XSD.date)
    assert g.value(URIRef(f"{BASE}/pubmed/32017978"), FABIO.hasPublicationYear) == Literal("2020", datatype=XSD.gYear)
    assert g.value(URIRef(f"{BASE}/pubmed/32017978"), URIRef(VOCAB + "electronicPublicationDate")) == Literal(
        "2020-02-01", datatype=XSD.date)


def test_publication_types(mapped):
    g = mapped.graph
    assert (URIRef(f"{BASE}/pubmed/24388038"), RDF.type, FABIO.ReviewArticle) in g
    trial = URIRef(f"{BASE}/pubmed/40012166")
    assert (trial, RDF.type, FABIO.ClinicalTrialReport) in g
    assert (trial, URIRef(VOCAB + "publicationTypeName"), Literal("Clinical Trial")) in g


def test_references_keep_their_text(mapped):
    g = mapped.graph
    (reference,) = g.objects(SEED_IRI, FRBR.part)
    assert (reference, RDF.type, BIRO.BibliographicReference) in g
    assert str(g.value(reference, C4O.hasContent)).startswith("Aan het Rot M, Collins KA")
    assert g.value(reference, URIRef(VOCAB + "position")) == Literal(1, datatype=XSD.integer)


def test_provenance_and_licence_on_the_record_graph(mapped):
    g = mapped.graph
    graph = URIRef(mapped.graph_iri)
    assert g.value(graph, FOAF.primaryTopic) == SEED_IRI
    assert g.value(graph, DCTERMS.license) == URIRef(LICENSE)
    assert g.value(graph, PROV.generatedAtTime).datatype == XSD.dateTime
    assert g.value(graph, DCTERMS.source) == Literal(SEED.name)
    assert g.value(graph, PROV.wasDerivedFrom) == URIRef("https://pubmed.ncbi.nlm.nih.gov/30445512/")


def test_no_blank_nodes(mapped):
    from rdflib import BNode
    assert not any(isinstance(term, BNode) for triple in mapped.graph for term in triple)


def test_article_without_identifiers_gets_a_content_iri():
    record = Record(Article(title="An untitled note"), SourceRef("x.txt"))
    first = Mapper(Iris(BASE), LICENSE).map_record(record)
    again = Mapper(Iris(BASE), LICENSE).map_record(record)
    assert first.article_iri.startswith(f"{BASE}/article/")
    assert first.article_iri == again.article_iri
