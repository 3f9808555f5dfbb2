"""Queries refused before they reach the engine."""

import pytest

from rdfpub.errors import QueryRejected
from rdfpub.sparql.guard import MAX_NESTING, MAX_QUERY_CHARS, check_query


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
    from rdfpub.sparql.guard import MAX_OPERATORS
    with pytest.raises(QueryRejected, match="operators"):
        check_query("ASK { FILTER(" + "1+" * (MAX_OPERATORS + 1) + "1 > 0) }")
    check_query("SELECT * { ?s ex:a-b-c-d ?o FILTER(?o > 1 && ?o != 3) }")


@pytest.mark.parametrize(("query", "expected"), [
    ("DROP ALL", True), ("prefix ex: <http://x/> insert data { ex:a ex:b ex:c }", True),
    ("BASE <http://x/> DELETE WHERE { ?s ?p ?o }", True), ("LOAD <http://x/>", True),
    ("SELECT * { ?s ?p ?o }", False), ('ASK { ?s ?p "DROP ALL" }', False), ("# DROP\nASK {}", False),
])
def test_updates_are_recognised(query, expected):
    from rdfpub.sparql.guard import is_update
    assert is_update(query) is expected


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * FROM <g> { ?s ?p ?o }", True), ("select * from named <g> { }", True),
    ("SELECT ?from { ?from ex:FROM 'FROM' }", False), ("SELECT * { ?s ?p <http://x/FROM> }", False),
])
def test_dataset_clause_is_recognised(query, expected):
    from rdfpub.sparql.guard import has_dataset_clause
    assert has_dataset_clause(query) is expected


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c .SERVICE <http://127.0.0.1:9/dot> { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { OPTIONAL { ?q ex:a\\# ?r } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?q <http://e/a>?r;SERVICE<http://127.0.0.1:9/>{?s ?p ?o} }",
])
def test_service_hidden_by_punctuation_or_escapes_is_still_found(query):
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(query)


def test_escaped_hash_does_not_hide_nesting():
    with pytest.raises(QueryRejected, match="nests"):
        check_query("PREFIX ex: <http://e/> SELECT * { ?q ex:a\\# ?r " + "{" * 500 + "}" * 500 + " }")


def test_characters_no_sparql_token_starts_with_are_refused():
    with pytest.raises(QueryRejected, match="not valid SPARQL"):
        check_query("SELECT * { ?s ?p \\u0053 }")


def test_a_worker_cannot_reach_the_network(tmp_path):
    """Even a SERVICE the guard missed goes nowhere: the worker leaves the network first."""
    import socket
    import subprocess
    import sys
    from pathlib import Path

    import rdfpub.web.query_worker as worker_module

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(3)
    port = listener.getsockname()[1]
    script = (f"import sys; sys.path.insert(0, {str(Path(worker_module.__file__).parent)!r})\n"
              "import query_worker, pyoxigraph as ox\n"
              "isolated = query_worker.leave_the_network()\n"
              "try:\n"
              f"    list(ox.Store().query('SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}'))\n"
              "except OSError as error:\n"
              "    print('refused', error)\n"
              "print('isolated' if isolated else 'not isolated')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    if "not isolated" in result.stdout:
        pytest.skip("this machine lets no process leave the network (no root, no user namespaces)")
    try:
        listener.accept()
        connected = True
    except socket.timeout:
        connected = False
    finally:
        listener.close()
    assert "isolated" in result.stdout and not connected


@pytest.mark.parametrize("query", [
    'SELECT ?x { BIND("caf\\u00e9" AS ?x) }',
    'SELECT ?x { BIND("\\U0001F600" AS ?x) }',
    "SELECT ?x { BIND('a\\u0027b' AS ?x) }",
    'SELECT ?x { BIND("""x\\u0022""" AS ?x) }',
    "SELECT ?x { BIND(<http://example.org/caf\\u00e9> AS ?x) }",
])
def test_codepoint_escapes_are_read_where_the_engine_reads_them(query):
    check_query(query)  # no QueryRejected


def test_codepoint_escapes_outside_strings_and_iris_are_refused():
    with pytest.raises(QueryRejected, match="not valid SPARQL"):
        check_query("SEL\\u0045CT * {}")


def test_the_spec_reading_of_escapes_is_checked_too():
    # Replaced before parsing (SPARQL 1.1 Query 19.2), the escape ends the string and opens a SERVICE.
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query('SELECT * { ?s ?p "\\u0022 . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } # " }')
    with pytest.raises(QueryRejected, match="nests"):
        check_query('SELECT * { ?s ?p "\\u0022 ' + "{" * 100 + " # " + '" }')


def test_service_in_an_unreadable_spec_reading_is_refused():
    # Read with its escapes replaced the query is not SPARQL to the lexer (a backtick), yet holds SERVICE.
    query = 'SELECT * { ?s ?p "\\u0022 SERVICE <http://127.0.0.1:9/> {} \\u0060" }'
    from rdfpub.sparql.lexer import spec_reading, tokens
    assert not any(token.text == "SERVICE" for token in tokens(query))  # as Oxigraph reads it: a string
    with pytest.raises(QueryRejected):
        tokens(spec_reading(query))  # as section 19.2 reads it: not even SPARQL
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(query)
    check_query('SELECT * { ?s ?p "a\\u0022b" }')  # the same reading without the word is fine
# Each of the first three crashed a query worker (a stack overflow in the engine).
LONG_CHAINS = [
    "SELECT*{" + "UNION".join(["{}"] * 10_000) + "}",
    "SELECT*{" + "MINUS{}" * 3_000 + "}",
    "SELECT*{" + "".join(f"BIND(1 AS?v{i})" for i in range(3_000)) + "}",
    "SELECT * { " + " ".join(["{ ?s ?p ?o }"] * 1_001) + " }",
]


@pytest.mark.parametrize("query", LONG_CHAINS)
def test_long_chains_of_clauses_are_refused(query):
    """Chains that nest the engine's algebra as deep as they are long (each of these crashed a worker)."""
    from rdfpub.sparql.guard import MAX_CLAUSES
    with pytest.raises(QueryRejected, match=f"clauses; the limit is {MAX_CLAUSES:,}"):
        check_query(query)


def test_a_long_but_reasonable_union_passes():
    check_query("SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 300) + " }")
    check_query("SELECT * { VALUES ?pmid { " + " ".join(f'"{n}"' for n in range(5000)) + " } ?a ?p ?pmid }")
