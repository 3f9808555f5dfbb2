"""Opening a store by its setting, and the base IRI its records were minted under, on every kind of store."""

from dataclasses import replace

import pytest

from rdfpub.pipeline import ingest
from rdfpub.store.opening import BaseMismatch, base_of, minted_base, open_minted, open_store

from conftest import BACKENDS, SEEDS


@pytest.mark.parametrize(("graph", "article", "base"), [
    ("http://localhost:8000/graph/pubmed/1", "http://localhost:8000/pubmed/1", "http://localhost:8000"),
    ("https://x.org/data/graph/doi/10.1/graph/x", "https://x.org/data/doi/10.1/graph/x", "https://x.org/data"),
    ("https://x.org/graph/graph/article/ab", "https://x.org/graph/article/ab", "https://x.org/graph"),
    ("https://x.org/graph/pubmed/1", "https://y.org/pubmed/1", None),
])
def test_base_of_a_record_graph(graph, article, base):
    assert base_of(graph, article) == base


@pytest.mark.parametrize("any_settings", BACKENDS, indirect=True)
def test_the_base_is_read_from_the_records(any_settings):
    minted = replace(any_settings, base_iri="https://data.example.org/pubmed-ld")
    store = open_store(minted)
    assert minted_base(store) is None  # an empty store knows no base
    assert ingest.run([SEEDS], minted, store).published == 1
    getattr(store, "close", lambda: None)()
    del store
    # Opened with the default base and none given: the records' base wins, graphs and all.
    settings, reopened = open_minted(any_settings, base_given=False)
    assert settings.base_iri == "https://data.example.org/pubmed-ld"
    assert reopened.shared_graph == "https://data.example.org/pubmed-ld/graph/shared"
    assert reopened.graph_count() == 1
    getattr(reopened, "close", lambda: None)()
    del reopened
    with pytest.raises(BaseMismatch, match="minted under https://data.example.org/pubmed-ld"):
        open_minted(any_settings, base_given=True)


@pytest.mark.parametrize("any_settings", ["embedded", "oxigraph"], indirect=True)
def test_a_base_given_is_used_when_the_store_has_records_under_it(any_settings):
    # Checked by the records under the base given, not by any one record: a store server may hold more.
    store = open_store(any_settings)
    first = replace(any_settings, base_iri="https://one.example.org")
    second = replace(any_settings, base_iri="https://two.example.org")
    assert ingest.run([SEEDS], first, store).published == 1
    getattr(store, "close", lambda: None)()
    del store
    with pytest.raises(BaseMismatch):  # no record under the second base: refused, naming the first
        open_minted(second, base_given=True)
    settings, store = open_minted(first, base_given=True)
    assert settings.base_iri == "https://one.example.org"
    getattr(store, "close", lambda: None)()
