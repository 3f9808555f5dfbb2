"""End to end: `rdfpub serve` as a real uvicorn process on a free port, queried by real clients."""

import concurrent.futures
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef

from servers import rdfpub_server

TITLE = "Glutamatergic Neurotransmission: Pathway to Developing Novel Rapid-Acting Antidepressant Treatments"
QUERY = ('SELECT ?t WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; '
         '<http://purl.org/dc/terms/title> ?t }')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    env = {"RDFPUB_STORE": str(folder / "store"), "RDFPUB_QUERY_TIMEOUT": "3", "RDFPUB_QUERY_WORKERS": "3"}
    with rdfpub_server(env, folder) as url:
        yield url


def test_first_start_loads_the_seed_and_answers_get(server):
    with urllib.request.urlopen(f"{server}/sparql?" + urllib.parse.urlencode({"query": QUERY})) as response:
        body = json.load(response)
    assert [row["t"]["value"] for row in body["results"]["bindings"]] == [TITLE]


def test_post(server):
    request = urllib.request.Request(f"{server}/sparql", data=urllib.parse.urlencode({"query": QUERY}).encode(),
                                     method="POST")
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["results"]["bindings"][0]["t"]["value"] == TITLE


def test_dump_over_http(server):
    with urllib.request.urlopen(f"{server}/dump.ttl") as response:
        graph = Graph().parse(data=response.read(), format="turtle")
    assert len(graph) > 300


def test_sparqlwrapper_client(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(QUERY)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["t"]["value"] == TITLE


def test_rdflib_sparqlstore_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat="xml")
    graph = Graph(store=store)
    (row,) = list(graph.query(QUERY))
    assert str(row[0]) == TITLE


# Runs for minutes on the seed store (~400 triples to the fourth power), far past the 3 s deadline.
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
NON_ASCII = 'SELECT ?x ?y { BIND("Überblick — α/β"@de AS ?x) BIND("日本語"@ja-Latn AS ?y) }'
GRAPH_QUERY = 'CONSTRUCT { <urn:a> <urn:p> "Überblick — α"@de , "plain ü" } WHERE {}'


def _get(server, query, timeout=30):
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_ask_construct(server, method):
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod(method)
    client.setQuery(NON_ASCII)
    client.setReturnFormat(JSON)
    (row,) = client.query().convert()["results"]["bindings"]
    assert row["x"] == {"type": "literal", "value": "Überblick — α/β", "xml:lang": "de"}
    assert row["y"]["value"] == "日本語" and row["y"]["xml:lang"].lower() == "ja-latn"
    client.setQuery('ASK { ?a <http://purl.org/dc/terms/abstract> ?t FILTER(CONTAINS(?t, "α-amino")) }')
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    client.setQuery(GRAPH_QUERY)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert {str(o) for o in graph.objects()} == {"Überblick — α", "plain ü"}
    assert {getattr(o, "language", None) for o in graph.objects()} == {"de", None}


@pytest.mark.parametrize(("method", "return_format"), [("GET", "xml"), ("POST", "json"), ("POST_FORM", "xml")])
def test_rdflib_sparqlstore_select_ask_construct(server, method, return_format):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat=return_format, method=method))
    (row,) = list(graph.query(NON_ASCII))
    assert (str(row[0]), row[0].language) == ("Überblick — α/β", "de")
    assert str(row[1]) == "日本語"
    assert graph.query('ASK { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" }').askAnswer is True
    if return_format == "json":
        return  # rdflib then asks for CONSTRUCT results as SPARQL JSON, which no graph can be (406)
    constructed = graph.query(GRAPH_QUERY).graph
    assert {(str(o), o.language) for o in constructed.objects()} == {("Überblick — α", "de"), ("plain ü", None)}


def test_hostile_queries_and_the_server_answers_after(server):
    with socket.socket() as listener, concurrent.futures.ThreadPoolExecutor(4) as pool:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        slow = pool.submit(_get, server, SLOW)
        time.sleep(0.5)
        # While the slow query runs, quick ones keep being answered.
        for _ in range(5):
            status, body = _get(server, QUERY)
            assert status == 200
        nested = _get(server, "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000)
        assert nested[0] == 400 and b"nests" in nested[1]
        service = _get(server, f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert service[0] == 400 and b"SERVICE" in service[1]
        from_clause = _get(server, f"SELECT * FROM <{target}> FROM NAMED <{target}> {{ ?s ?p ?o }}")
        assert from_clause == (200, b'{"head":{"vars":["o","p","s"]},"results":{"bindings":[]}}') or \
            json.loads(from_clause[1])["results"]["bindings"] == []
        status, body = slow.result()
        assert status == 504 and b"3 s limit" in body
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody ever connected: nothing was fetched
    assert _get(server, QUERY)[0] == 200


def test_many_slow_queries_never_starve_quick_ones(server):
    """Timings are bench/soak.py's; this checks the structure: with three workers, slow queries may
    hold two, so quick queries are answered while they run, and the slow ones past that are shed
    (503 with Retry-After) or stopped at the deadline (504). The order and counts behind it are
    tested on the pool itself (test_query_workers.py, test_admission.py)."""
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        slow = [pool.submit(_get, server, SLOW) for _ in range(5)]
        time.sleep(1.5)
        assert [_get(server, QUERY)[0] for _ in range(5)] == [200] * 5
        statuses = sorted(future.result()[0] for future in slow)
    assert set(statuses) <= {503, 504} and 503 in statuses
    assert _get(server, QUERY)[0] == 200


PMID_QUERY = '?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" ; <http://purl.org/dc/terms/title> ?t'
FORMS = {
    "SELECT": f"SELECT ?t WHERE {{ {PMID_QUERY} }}",
    "ASK": f"ASK {{ {PMID_QUERY} }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?a <http://purl.org/dc/terms/title> ?t }} WHERE {{ {PMID_QUERY} }}",
    "DESCRIBE": f"DESCRIBE ?a WHERE {{ {PMID_QUERY} }}",
}


def _read_answer(form: str, answer) -> object:
    """What SPARQLWrapper's convert() gave, parsed: the titles of a SELECT, the boolean of an ASK, the
    titles a CONSTRUCT or DESCRIBE graph holds."""
    import csv
    import io
    from xml.dom.minidom import Document

    title = "http://purl.org/dc/terms/title"
    if isinstance(answer, dict):  # SPARQL JSON results
        return answer["boolean"] if form == "ASK" else [row["t"]["value"] for row in answer["results"]["bindings"]]
    if isinstance(answer, Document):  # SPARQL XML results
        if form == "ASK":
            return answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
        return [node.firstChild.data for node in answer.getElementsByTagName("literal")]
    if isinstance(answer, Graph):  # RDF/XML or JSON-LD, parsed by SPARQLWrapper with rdflib
        return [str(o) for o in answer.objects(None, URIRef(title))]
    text = answer.decode("utf-8")
    if form in ("CONSTRUCT", "DESCRIBE"):  # Turtle (asked as turtle or n3, or by */*)
        return [str(o) for o in Graph().parse(data=text, format="turtle").objects(None, URIRef(title))]
    delimiter = "\t" if text.startswith("?") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if form == "ASK":
        return rows == [["true"]]
    return [cell.strip('"') for (cell,) in rows[1:]]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_every_return_format_on_every_query_form(server, method, form):
    import warnings

    import SPARQLWrapper as sw

    for return_format in (sw.JSON, sw.XML, sw.TURTLE, sw.N3, sw.RDF, sw.RDFXML, sw.CSV, sw.TSV, sw.JSONLD):
        client = sw.SPARQLWrapper(f"{server}/sparql")
        client.setMethod(method)
        client.setQuery(FORMS[form])
        client.setReturnFormat(return_format)
        with warnings.catch_warnings():
            # Where a format cannot carry the form (Turtle for a SELECT), the endpoint answers in its
            # default for the form, and SPARQLWrapper warns that it got another format than it asked.
            warnings.simplefilter("ignore", RuntimeWarning)
            answer = client.query().convert()
        expected = True if form == "ASK" else [TITLE]
        assert _read_answer(form, answer) == expected, (return_format, answer)


def test_an_empty_store_is_minted_under_the_servers_own_address(server):
    """No --base-iri and an empty store: the seed's IRIs are the server's, so they dereference there."""
    port = server.rsplit(":", 1)[1]
    status, body = _get(server, 'SELECT ?a { ?a <http://purl.org/spar/fabio/hasPubMedId> "30445512" }')
    (row,) = json.loads(body)["results"]["bindings"]
    assert status == 200 and row["a"]["value"] == f"http://localhost:{port}/pubmed/30445512"
