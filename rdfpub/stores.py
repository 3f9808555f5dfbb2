"""Opens the store a setting names: the embedded one in a directory, or a remote SPARQL server by its URL."""

from __future__ import annotations

from rdfpub.iris import Iris
from rdfpub.remote_store import RemoteStore
from rdfpub.settings import Settings, is_remote
from rdfpub.store import Store


def open_store(settings: Settings) -> Store | RemoteStore:
    iris = Iris(settings.base_iri)
    if is_remote(settings.store):
        return RemoteStore(settings.store, settings.store_update, settings.store_graphs,
                           settings.store_user, settings.store_password,
                           record_graphs=iris.record_graphs(), shared_graph=iris.shared_graph(),
                           withdrawn_graph=iris.withdrawn_graph())
    return Store(settings.store, shared_graph=iris.shared_graph(), withdrawn_graph=iris.withdrawn_graph())
