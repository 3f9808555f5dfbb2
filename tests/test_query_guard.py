"""Queries refused before they reach the engine."""

import pytest

from rdfpub.errors import QueryRejected
from rdfpub.web.query_guard import MAX_NESTING, MAX_QUERY_CHARS, check_query


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * {\n  Service\n<x> {} }",
    "SELECT * { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused(query):
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT ?service { ?service a <http://example.org/SERVICE> }",
    'SELECT * { ?s ?p "SERVICE" }',
    "SELECT * { ?s ?p '''a SERVICE in a long string''' }",
    "SELECT * { ?s ex:SERVICE ?o }",
    "SELECT * { ?s ?p ?o } # SERVICE in a comment",
    "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_the_word_elsewhere_is_fine(query):
    check_query(query)


def test_deep_nesting_is_refused():
    with pytest.raises(QueryRejected, match="nests"):
        check_query("SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1))
    check_query("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING)


def test_brackets_in_strings_do_not_count():
    check_query('SELECT * { ?s ?p "' + "{" * 500 + '" }')


def test_long_query_is_refused():
    with pytest.raises(QueryRejected, match="characters"):
        check_query("SELECT * { ?s ?p ?o }" + " " * MAX_QUERY_CHARS)


def test_operator_chains_are_refused():
    from rdfpub.web.query_guard import MAX_OPERATORS
    with pytest.raises(QueryRejected, match="operators"):
        check_query("ASK { FILTER(" + "1+" * (MAX_OPERATORS + 1) + "1 > 0) }")
    check_query("SELECT * { ?s ex:a-b-c-d ?o FILTER(?o > 1 && ?o != 3) }")


@pytest.mark.parametrize(("query", "expected"), [
    ("DROP ALL", True), ("prefix ex: <http://x/> insert data { ex:a ex:b ex:c }", True),
    ("BASE <http://x/> DELETE WHERE { ?s ?p ?o }", True), ("LOAD <http://x/>", True),
    ("SELECT * { ?s ?p ?o }", False), ('ASK { ?s ?p "DROP ALL" }', False), ("# DROP\nASK {}", False),
])
def test_updates_are_recognised(query, expected):
    from rdfpub.web.query_guard import is_update
    assert is_update(query) is expected


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * FROM <g> { ?s ?p ?o }", True), ("select * from named <g> { }", True),
    ("SELECT ?from { ?from ex:FROM 'FROM' }", False), ("SELECT * { ?s ?p <http://x/FROM> }", False),
])
def test_dataset_clause_is_recognised(query, expected):
    from rdfpub.web.query_guard import has_dataset_clause
    assert has_dataset_clause(query) is expected
