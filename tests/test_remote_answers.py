"""A query's form read from its text, and a SPARQL JSON table standing for an ASK answer read back as its boolean."""

import json

import pytest

from rdfpub.store.remote.answers import boolean_from_table, query_form


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("select * { ?s ?p ?o }", "SELECT"),
    ("ASK{}", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("describe <http://example.org/a>", "DESCRIBE"),
    ("PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:p ?o } WHERE { ?s ex:p ?o }", "CONSTRUCT"),
    ("BASE <http://example.org/>\nPREFIX : <x#>\n# SELECT in a comment\nASK { <a> ?p ?o }", "ASK"),
    ("PREFIX select: <http://example.org/select#> DESCRIBE select:a", "DESCRIBE"),
    ("  \t\r\n# only a comment\nSELECT ?x {}", "SELECT"),
    ("SELECTION", None),
    ("INSERT DATA { <a> <b> <c> }", None),
    ("define input:inference 'x' SELECT * {}", None),
    ("", None),
])
def test_query_form(query, form):
    assert query_form(query) == form


def _table(*rows):
    return json.dumps({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
        {"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                          "value": value}} for value in rows]}}).encode()


@pytest.mark.parametrize(("answer", "boolean"), [
    (_table("1"), True), (_table(), False), (_table("0"), False),
    (b'{"head": {}, "boolean": true}', None), (b"<sparql/>", None), (b"[1, 2]", None)])
def test_ask_tables_read_as_booleans(answer, boolean):
    mended = boolean_from_table(answer)
    assert (json.loads(mended) if mended else None) == (None if boolean is None else {"head": {}, "boolean": boolean})
