"""The embedded Oxigraph store on disk: one graph per record, atomic replacement, union queries, dumps."""

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Graph, Literal, URIRef

from rdfpub.errors import StoreError
from rdfpub.store.embedded import Store

EX = "http://example.org/"


def _graph(*objects: str) -> Graph:
    graph = Graph()
    for index, value in enumerate(objects):
        graph.add((URIRef(EX + "a"), URIRef(EX + f"p{index}"), Literal(value)))
    return graph


def test_replace_graph_swaps_the_whole_graph(tmp_path):
    store = Store(tmp_path / "s")
    assert store.replace_graph(EX + "g1", _graph("one", "two")) is False
    assert store.replace_graph(EX + "g1", _graph("three")) is True
    values = {str(row["o"].value) for row in store.query(f"SELECT ?o {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")}
    assert values == {"three"}


def test_default_graph_is_the_union(tmp_path):
    store = Store(tmp_path / "s")
    store.replace_graph(EX + "g1", _graph("one"))
    store.replace_graph(EX + "g2", _graph("two", "three"))
    values = {str(row["o"].value) for row in store.query("SELECT ?o { ?s ?p ?o }")}
    assert values == {"one", "two", "three"}
    only_g1 = store.query("SELECT ?o { ?s ?p ?o }", default_graphs=[EX + "g1"])
    assert {str(row["o"].value) for row in only_g1} == {"one"}
    assert store.graph_count() == 2
    # The store counts what its graphs hold; rdfpub's mapping puts each triple in one graph only,
    # which tests/test_every_fact_once.py checks on real records.
    assert store.triple_count() == 3


def test_literals_survive_exactly(tmp_path):
    store = Store(tmp_path / "s")
    graph = Graph()
    subject = URIRef(EX + "a")
    odd = 'quote " backslash \\ newline \n tab \t α-amino """'
    graph.add((subject, URIRef(EX + "p"), Literal(odd)))
    graph.add((subject, URIRef(EX + "q"), Literal("Kétamine", lang="fr")))
    graph.add((subject, URIRef(EX + "r"), Literal("2020-04", datatype=rdflib.XSD.gYearMonth)))
    store.replace_graph(EX + "g", graph)
    dumped = Graph().parse(data=b"".join(store.dump("nt")), format="nt")
    assert set(dumped) == set(graph)


def test_store_persists_on_disk(tmp_path):
    store = Store(tmp_path / "s")
    store.replace_graph(EX + "g", _graph("kept"))
    store.flush()
    del store
    reopened = Store(tmp_path / "s")
    assert reopened.graph_count() == 1


def test_second_open_is_a_clear_error(tmp_path):
    first = Store(tmp_path / "s")
    with pytest.raises(StoreError, match="locked"):
        Store(tmp_path / "s")
    del first


@pytest.mark.parametrize("format_name", ["turtle", "nt", "nq"])
def test_dump_equals_the_store(seeded_store, format_name):
    data = b"".join(seeded_store.dump(format_name))
    if format_name == "nq":
        # rdflib's Dataset parser warns about its own deprecations; pyoxigraph reads N-Quads too.
        quads = {str(quad) for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
        stored = {f"{row['s']} {row['p']} {row['o']} {row['g']}"
                  for row in seeded_store.query("SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } }")}
        assert quads == stored and len(quads) > 300
        assert {quad.rsplit(" ", 1)[1] for quad in quads} == {"<http://localhost:8000/graph/pubmed/30445512>",
                                                             "<http://localhost:8000/graph/shared>"}
        return
    dumped = Graph().parse(data=data, format="turtle" if format_name == "turtle" else "nt")
    union = {
        (str(row["s"]), str(row["p"]), str(row["o"]))
        for row in seeded_store.query("SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")
    }
    assert len(dumped) == seeded_store.triple_count() == len(union)


def test_dump_writes_prefixes_once(seeded_store):
    text = b"".join(seeded_store.dump("turtle")).decode()
    assert text.count("@prefix fabio:") == 1


def test_dump_of_a_big_graph_streams_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr("rdfpub.store.embedded._QUADS_PER_CHUNK", 100)
    store = Store(tmp_path / "s")
    store.replace_graph(f"{EX}big", _graph(*(f"v{index}" for index in range(450))))
    for index in range(50):
        store.replace_graph(f"{EX}g{index}", _graph(f"w{index}"))
    chunks = list(store.dump("turtle"))
    assert len(chunks) == 1 + 5  # the prefixes, then 500 triples in chunks of at most 100
    parsed = Graph().parse(data=b"".join(chunks), format="turtle")
    assert {str(o) for o in parsed.objects()} == {f"v{i}" for i in range(450)} | {f"w{i}" for i in range(50)}


def test_terms_convert_to_oxigraph():
    from rdfpub.store.rdf_terms import to_oxigraph
    assert to_oxigraph(Literal("x", lang="en")) == ox.Literal("x", language="en")
    assert to_oxigraph(URIRef(EX)) == ox.NamedNode(EX)
    with pytest.raises(TypeError):
        to_oxigraph("plain string")


def test_a_load_cut_short_is_removed_on_the_next_open(tmp_path):
    """What a run killed in the middle of a bulk load leaves: a journal naming the graphs being
    loaded and part of their triples. Opening the store again removes them whole."""
    store = Store(tmp_path / "s")
    store.replace_graph(EX + "kept", _graph("whole"))
    store.journal.write_text(f"{EX}half\n", encoding="utf-8")
    store._store.bulk_load(f'<{EX}a> <{EX}p> "half" <{EX}half> .\n'.encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    reopened = Store(tmp_path / "s")
    assert reopened.recovered == 1 and not reopened.journal.exists()
    graphs = {row["g"].value for row in reopened.query("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {EX + "kept"}
