"""Opens the store a setting names: the embedded one in a directory, or a remote SPARQL server by its URL;
and reads from its records the base IRI they were minted under, which then wins over the default."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from rdfpub.errors import RdfpubError, StoreLocked
from rdfpub.iris import ARTICLE_ROOTS, Iris
from rdfpub.settings import Settings, is_remote
from rdfpub.store.catalog import Catalog
from rdfpub.store.catalog_entries import RECORD_PATTERN
from rdfpub.store.channel.client import ChannelStore
from rdfpub.store.embedded import Store
from rdfpub.store.remote.client import RemoteStore

# Any record graph.
_A_RECORD = f"SELECT ?g ?a WHERE {{ GRAPH ?g {{ {RECORD_PATTERN} }} }} LIMIT 1"


class BaseMismatch(RdfpubError):
    """The base IRI given is not the one the store's records were minted under."""


def open_store(settings: Settings, index: bool = True, through_owner: bool = False) -> Store | RemoteStore:
    """The store; an embedded one with its search and listing index attached (unless `index` is
    False), brought up to date first (see attach_index). With `through_owner`, an embedded store
    that a running server holds is reached through that server (rdfpub/store/channel/client.py)."""
    iris = Iris(settings.base_iri)
    if is_remote(settings.store):
        return RemoteStore(settings.store, settings.store_update, settings.store_graphs,
                           settings.store_user, settings.store_password,
                           record_graphs=iris.record_graphs(), shared_graph=iris.shared_graph(),
                           withdrawn_graph=iris.withdrawn_graph())
    try:
        store = Store(settings.store, shared_graph=iris.shared_graph(), withdrawn_graph=iris.withdrawn_graph())
    except StoreLocked:
        held = ChannelStore.connect(settings.store) if through_owner else None
        if held is None:
            raise
        return held
    if index:
        attach_index(store, iris)
    return store


def attach_index(store: Store | RemoteStore, iris: Iris) -> int:
    """Attaches an embedded store's index (rdfpub/store/catalog.py), made anew when it does not match the
    store; the number of records indexed anew, also kept as `store.reindexed`. A remote store's
    index is the fronts' own (rdfpub/web/catalogs.py): ingest keeps none."""
    if not isinstance(store, Store):  # a ChannelStore's owner keeps the index in step itself
        return 0
    store.reindexed = store.attach_catalog(Catalog(store.catalog_path(), iris.journal_of))
    return store.reindexed


def base_of(graph_iri: str, article_iri: str) -> str | None:
    """The base under which a record graph was minted for its article: the graph's IRI is the
    article's with "/graph" put after the base (Iris.record_graph), and an article's path under the
    base starts with one of ARTICLE_ROOTS."""
    for cut, char in enumerate(article_iri):
        if (char == "/" and article_iri.startswith(ARTICLE_ROOTS, cut)
                and graph_iri == f"{article_iri[:cut]}/graph{article_iri[cut:]}"):
            return article_iri[:cut]
    return None


def minted_base(store: Store | RemoteStore) -> str | None:
    """The base IRI the store's records were minted under, read from one of them; None when the
    store holds no record. One indexed lookup, on either kind of store."""
    for row in store.query(_A_RECORD):
        return base_of(row["g"].value, row["a"].value)
    return None


def holds_records_under(store: Store | RemoteStore, base: str) -> bool:
    """True when the store holds a record minted under `base` (a store server may hold other datasets)."""
    prefix = ox.Literal(Iris(base).record_graphs())
    return bool(store.query(f"ASK {{ GRAPH ?g {{ {RECORD_PATTERN} }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"))


def rebase(settings: Settings, store: Store | RemoteStore, base: str) -> tuple[Settings, Store | RemoteStore]:
    """The settings and the store set up for the base `base`: a store knows its own graphs by it."""
    if base == settings.base_iri:
        return settings, store
    settings = replace(settings, base_iri=base)
    if isinstance(store, RemoteStore):
        store.close()
        return settings, open_store(settings)
    store.shared_graph, store.withdrawn_graph = Iris(base).shared_graph(), Iris(base).withdrawn_graph()
    if store.catalog is not None:
        store.catalog.journal_of = Iris(base).journal_of
    return settings, store


def open_minted(settings: Settings, base_given: bool, index: bool = True,
                through_owner: bool = False) -> tuple[Settings, Store | RemoteStore]:
    """The store, and the settings with the base its records were minted under: that base wins over
    the default; a base given (flag or environment) that differs is refused, since serving or adding
    records under another base would leave every IRI the store holds unreachable. With `index`, an
    embedded store's search and listing index is attached (a command that only reads needs none)."""
    store = open_store(settings, index=False, through_owner=through_owner)
    minted = settings.base_iri if base_given and holds_records_under(store, settings.base_iri) else minted_base(store)
    if minted is not None and minted != settings.base_iri:
        if base_given:
            getattr(store, "close", lambda: None)()
            raise BaseMismatch(
                f"the store at {settings.store} holds records minted under {minted}, but the base IRI given "
                f"(--base-iri or RDFPUB_BASE_IRI) is {settings.base_iri}: leave the base out to use the "
                f"store's, or give another --store (an empty one) to publish under {settings.base_iri}")
        settings, store = rebase(settings, store, minted)
    if index:
        attach_index(store, Iris(settings.base_iri))
    return settings, store
