"""Opens a serving app's store to other local processes (rdfpub/store/channel/owner.py) and tells the app when they wrote."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rdfpub.store.channel.owner import ChannelServer
from rdfpub.store.embedded import Store
from rdfpub.web import store_changes


@contextmanager
def serve_channel(app, store) -> Iterator[ChannelServer | None]:
    """The channel of the embedded `store` that `app` serves, open for the block; none over a
    store server, which other processes write to directly."""
    if not isinstance(store, Store):
        yield None
        return
    channel = ChannelServer(store, on_batch=lambda: store_changes.batch_applied(app),
                            on_changed=lambda: store_changes.writes_ended(app)).start()
    app.state.store_applying = channel.apply_lock  # checkpoints wait for it (rdfpub/web/store_changes.py)
    app.state.closers = [*getattr(app.state, "closers", []), channel.close]
    try:
        yield channel
    finally:
        channel.close()
