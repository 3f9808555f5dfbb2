"""/dump.ttl and friends through the app: parsed, equal to the store, holding the seed's content."""

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from rdfpub.validation.sparql_constraints import from_oxigraph
from rdfpub.vocab import C4O, CITO, FABIO, FRBR, PRISM

SEED = URIRef("http://localhost:8000/pubmed/30445512")
SIMILAR = {"24388038", "40012166", "29718013", "32017978", "32061748"}
CITING = {"36620687", "34893785", "39041263", "33904154", "34403718"}


@pytest.fixture(scope="module")
def dump(client):
    response = client.get("/dump.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


def test_dump_triples_equal_the_store(dump, seeded_store):
    rows = seeded_store.query("SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")
    stored = {(from_oxigraph(r["s"]), from_oxigraph(r["p"]), from_oxigraph(r["o"])) for r in rows}
    assert set(dump) == stored
    assert len(dump) == seeded_store.triple_count()


def test_dump_holds_the_seed_and_its_neighbours(dump):
    assert str(dump.value(SEED, DCTERMS.title)).startswith("Glutamatergic Neurotransmission")
    similar = set(dump.objects(SEED, URIRef("http://localhost:8000/vocab#hasSimilarArticle")))
    citing = set(dump.subjects(CITO.cites, SEED))
    assert {str(dump.value(a, FABIO.hasPubMedId)) for a in similar} == SIMILAR
    assert {str(dump.value(a, FABIO.hasPubMedId)) for a in citing} == CITING
    for article in similar | citing:
        assert str(dump.value(article, PRISM.doi)).startswith("10.")
        assert dump.value(article, PRISM.publicationDate) is not None
        container = dump.value(article, FRBR.partOf)
        while dump.value(container, FRBR.partOf) is not None:
            container = dump.value(container, FRBR.partOf)
        assert (container, None, FABIO.Journal) in dump or dump.value(container, FABIO.hasNLMJournalTitleAbbreviation)


def test_dump_holds_every_reference_as_text(dump):
    texts = [str(dump.value(ref, C4O.hasContent)) for ref in dump.objects(SEED, FRBR.part)]
    assert texts == ["Aan het Rot M, Collins KA, Murrough JW, Perez AM, Reich DL, Charney DS, Mathew SJ(2010)"
                     "Safety and efficacy of repeated-dose intravenous ketamine for treatment-resistant "
                     "depression. Biol Psychiatry 67:139–145."]


def test_other_dump_formats(client):
    nt = client.get("/dump.nt")
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=nt.content, format="nt")) > 300
    nq = client.get("/dump.nq")
    quads = list(ox.parse(nq.content, format=ox.RdfFormat.N_QUADS))
    # The seed's own graph, and the graph of the things it mentions that other records may too.
    assert {q.graph_name.value for q in quads} == {"http://localhost:8000/graph/pubmed/30445512",
                                                   "http://localhost:8000/graph/shared"}


def test_head_on_a_dump(client):
    response = client.head("/dump.ttl")
    assert response.status_code == 200 and response.content == b""
