"""A store held by a running server, reached over its owner's channel: the part of Store that ingest and dump use.

When `rdfpub serve` holds the embedded store, `ingest` and `dump` open this instead (rdfpub/store/opening.py):
the same calls, answered by the server (rdfpub/store/channel/owner.py), so their code paths stay the same.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from multiprocessing.connection import Client, Connection
from pathlib import Path

from rdfpub.errors import StoreError
from rdfpub.store.channel.owner import announcement_path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ChannelStore:
    """The embedded store at `path`, as the server holding it serves it."""

    recovered = 0  # the owner recovered the store when it opened it
    reindexed = 0
    catalog = None  # the owner keeps the store's index in step (Store.apply)
    scan_order_is_stable = True

    def __init__(self, path: Path, connection: Connection, owner: int):
        self.path, self._connection, self.owner = path, connection, owner
        self.shared_graph, self.withdrawn_graph = self._call("graphs")

    @classmethod
    def connect(cls, path: Path | str) -> ChannelStore | None:
        """The store at `path` through its owner's channel; None when no live owner announces one."""
        path = Path(path)
        try:
            announced = json.loads(announcement_path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not _alive(int(announced.get("pid", 0))):
            return None
        try:
            connection = Client(announced["address"], family="AF_UNIX", authkey=bytes.fromhex(announced["key"]))
        except (OSError, EOFError, KeyError, ValueError) as error:
            raise StoreError(f"the store at {path} is held by process {announced.get('pid')}, whose channel "
                             f"could not be reached ({error}): stop that process, or try again") from None
        return cls(path, connection, int(announced["pid"]))

    def _call(self, verb: str, *args):
        try:
            self._connection.send((verb, *args))
            status, value = self._connection.recv()
        except (EOFError, OSError) as error:
            raise StoreError(f"the server holding the store at {self.path} (process {self.owner}) stopped "
                             f"answering: {error or 'connection closed'}; run the command again") from None
        if status == "error":
            raise StoreError(f"the server holding the store at {self.path} refused: {value}")
        return value

    def writer_lock(self) -> _OwnerLock:
        """No other client writes between this one's reading of a batch's records and its write."""
        return _OwnerLock(self)

    def record_states(self, graph_iris: list[str], vocab: str):
        return self._call("record_states", graph_iris, vocab)

    def withdrawals(self, graph_iris: list[str], predicate: str) -> dict[str, str]:
        return self._call("withdrawals", graph_iris, predicate)

    def apply(self, operations: list, shared: str | None = None, withdrawn: str | None = None) -> None:
        """One batch, applied by the owner in one Store.apply (readers never see half of it)."""
        if operations:
            self._call("apply", operations, shared, withdrawn)

    def update(self, sparql: str) -> None:
        """A SPARQL update the owner runs in one transaction (links of resolved references)."""
        self._call("update", sparql)

    def query(self, sparql: str):
        """A SELECT's rows as dicts of terms, or an ASK's bool (what opening a store asks)."""
        return self._call("query", sparql)

    def graph_count(self) -> int:
        return self._call("graph_count")

    def triple_count(self) -> int:
        return self._call("triple_count")

    def is_empty(self) -> bool:
        return self._call("is_empty")

    def dump(self, format_name: str, prefixes: dict[str, str] | None = None) -> Iterator[bytes]:
        """The owner's Store.dump, streamed chunk by chunk."""
        self._connection.send(("dump", format_name, prefixes))
        while True:
            try:
                status, value = self._connection.recv()
            except (EOFError, OSError):
                raise StoreError(f"the server holding the store at {self.path} stopped during the dump") from None
            if status == "chunk":
                yield value
            elif status == "error":
                raise StoreError(f"the server holding the store at {self.path} refused: {value}")
            else:
                return

    def flush(self) -> None:
        """The owner flushes, and learns that this client's writes are done (its caches follow)."""
        self._call("flush")

    def close(self) -> None:
        self._connection.close()


class _OwnerLock:
    """The owner's write lock, held from a batch's first read to its write; reusable."""

    def __init__(self, store: ChannelStore):
        self.store = store

    def __enter__(self) -> None:
        self.store._call("lock")

    def __exit__(self, *exc) -> None:
        self.store._call("unlock")
