"""Content negotiation against Accept headers real clients send."""

import pytest

from rdfpub.web.negotiation import GRAPH_TYPES, RESULTS_TYPES, negotiate, parse_accept

RESULTS = list(RESULTS_TYPES)
GRAPHS = list(GRAPH_TYPES)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
          "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
RDFLIB_STORE = "application/sparql-results+xml"
JENA = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, "
        "text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1")


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    (None, RESULTS, "application/sparql-results+json"),
    ("", RESULTS, "application/sparql-results+json"),
    ("*/*", RESULTS, "application/sparql-results+json"),
    (SPARQLWRAPPER_JSON, RESULTS, "application/sparql-results+json"),
    (RDFLIB_STORE, RESULTS, "application/sparql-results+xml"),
    (JENA, RESULTS, "application/sparql-results+json"),
    ("text/csv", RESULTS, "text/csv"),
    ("text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/json", RESULTS, "application/sparql-results+json"),
    ("text/*", RESULTS, "text/csv"),
    ("text/csv;q=0.5, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*", RESULTS, "application/sparql-results+xml"),
    (FIREFOX, RESULTS, "application/sparql-results+xml"),
    (CHROME, RESULTS, "application/sparql-results+xml"),
    ("image/png", RESULTS, None),
    (None, GRAPHS, "text/turtle"),
    ("application/ld+json", GRAPHS, "application/ld+json"),
    ("application/rdf+xml;q=0.9, text/turtle", GRAPHS, "text/turtle"),
    ("application/n-triples", GRAPHS, "application/n-triples"),
    ("text/plain", GRAPHS, "application/n-triples"),
    ("application/x-turtle", GRAPHS, "text/turtle"),
    ("text/turtle;q=0.5, */*;q=0.5", GRAPHS, "text/turtle"),
    ("application/n-triples;q=0.5, */*;q=0.5", GRAPHS, "application/n-triples"),
])
def test_negotiate(accept, offered, expected):
    assert negotiate(accept, offered) == expected


def test_parse_accept_tolerates_junk():
    assert parse_accept("text/csv;q=abc, , text/tsv;q=2") == [("text/csv", 1.0, 0), ("text/tsv", 1.0, 2)]
