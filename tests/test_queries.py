"""The questions people ask of a bibliographic dataset, as SPARQL over real ingested records, answered
the OpenCitations way; each answer is checked against what the parsed sources say."""

from pathlib import Path

import pytest

from rdfpub.model import Record
from rdfpub.pipeline import ingest
from rdfpub.settings import Settings
from rdfpub.sources import read_records
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_store

from conftest import BASE, DATA, SEEDS

PREFIXES = """
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX datacite: <http://purl.org/spar/datacite/>
PREFIX literal: <http://www.essepuntato.it/2010/06/literalreification/>
PREFIX pro: <http://purl.org/spar/pro/>
PREFIX oco: <https://w3id.org/oc/ontology/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX mesh: <http://id.nlm.nih.gov/mesh/>
PREFIX rdfpub: <http://localhost:8000/vocab#>
"""
INPUTS = sorted(p for p in DATA.iterdir() if p.is_file() and p.suffix != ".md") + [SEEDS]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    settings = Settings.load(environ={}, store=tmp_path_factory.mktemp("queries") / "store", base_iri=BASE)
    store = open_store(settings)
    summary = ingest.run(INPUTS, settings, store, workers=1)
    assert summary.published > 50
    return store


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    """The latest parsed record of each PMID, as the store keeps it."""
    found = {}
    for path in ingest.input_files(INPUTS):
        for item in read_records(Path(path)):
            if isinstance(item, Record) and item.article.pmid:
                found[item.article.pmid] = item
    return found


def _pmids(store: Store, query: str) -> set[str]:
    return {row["pmid"].value for row in store.query(PREFIXES + query)}


def test_articles_of_an_author_by_orcid(store, records):
    orcid = "0000-0003-4338-6663"
    expected = {pmid for pmid, r in records.items()
                if any(i.value.strip().endswith(orcid) for a in r.article.authors for i in a.identifiers)}
    found = _pmids(store, f"""SELECT ?pmid WHERE {{
        ?id datacite:usesIdentifierScheme datacite:orcid ; literal:hasLiteralValue "{orcid}" .
        ?agent datacite:hasIdentifier ?id .
        ?role pro:isHeldBy ?agent ; pro:withRole pro:author .
        ?article pro:isDocumentContextFor ?role ; fabio:hasPubMedId ?pmid }}""")
    assert found == expected and "31418849" in found


def test_articles_by_mesh_descriptor_major_topic_only(store, records):
    descriptor = "D009369"
    expected = {pmid for pmid, r in records.items() for h in r.article.mesh_headings
                if h.ui == descriptor and (h.major or any(q.major for q in h.qualifiers))}
    everywhere = {pmid for pmid, r in records.items() for h in r.article.mesh_headings if h.ui == descriptor}
    found = _pmids(store, f"SELECT ?pmid {{ ?a fabio:hasPrimarySubjectTerm mesh:{descriptor} ; fabio:hasPubMedId ?pmid }}")
    assert found == expected and found
    assert _pmids(store, f"SELECT ?pmid {{ ?a fabio:hasSubjectTerm mesh:{descriptor} ; fabio:hasPubMedId ?pmid }}") >= \
        everywhere


def test_cited_by_of_a_pmid(store, records):
    counts: dict[str, set[str]] = {}
    for pmid, record in records.items():
        for reference in record.references:
            if reference.pmid and reference.pmid != pmid:
                counts.setdefault(reference.pmid, set()).add(pmid)
    cited, citing = max(counts.items(), key=lambda item: len(item[1]))
    found = _pmids(store, f"SELECT ?pmid {{ ?a cito:cites <{BASE}/pubmed/{cited}> ; fabio:hasPubMedId ?pmid }}")
    assert citing <= found


def test_seed_cited_by_from_the_page(store):
    found = _pmids(store, f"SELECT ?pmid {{ ?a cito:cites <{BASE}/pubmed/30445512> ; fabio:hasPubMedId ?pmid }}")
    assert found == {"36620687", "34893785", "39041263", "33904154", "34403718"}


def test_articles_of_a_journal_by_issn(store, records):
    issn = "1097-0142"
    expected = {pmid for pmid, r in records.items() if r.article.journal and issn in (
        r.article.journal.issn_print, r.article.journal.issn_electronic, r.article.journal.issn_linking)}
    found = _pmids(store, f"""SELECT ?pmid WHERE {{
        ?journal datacite:hasIdentifier ?id .
        ?id literal:hasLiteralValue "{issn}" .
        ?article frbr:partOf+ ?journal ; fabio:hasPubMedId ?pmid }}""")
    assert found == expected and found


def test_authors_in_order(store, records):
    rows = store.query(PREFIXES + f"""SELECT ?name ?position WHERE {{
        <{BASE}/pubmed/31418849> pro:isDocumentContextFor ?role .
        ?role pro:withRole pro:author ; rdfpub:position ?position ; pro:isHeldBy ?agent .
        ?agent foaf:name ?name }} ORDER BY ?position""")
    assert [row["name"].value for row in rows] == [a.name for a in records["31418849"].article.authors]
    chain = store.query(PREFIXES + f"""SELECT (COUNT(?next) AS ?links) WHERE {{
        <{BASE}/pubmed/31418849> pro:isDocumentContextFor ?role . ?role oco:hasNext ?next }}""")
    assert int(next(iter(chain))["links"].value) == len(records["31418849"].article.authors) - 1


def test_doi_resolved_through_datacite_and_prism(store):
    doi = "10.1002/cncr.32421"
    by_datacite = store.query(PREFIXES + f"""SELECT ?article WHERE {{
        ?id datacite:usesIdentifierScheme datacite:doi ; literal:hasLiteralValue "{doi}" .
        ?article datacite:hasIdentifier ?id ; a fabio:Expression }}""")
    by_prism = store.query(PREFIXES + f'SELECT ?article {{ ?article prism:doi "{doi}" }}')
    assert {r["article"].value for r in by_datacite} == {r["article"].value for r in by_prism} == {
        f"{BASE}/pubmed/31418849"}
