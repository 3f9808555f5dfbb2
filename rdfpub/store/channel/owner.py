"""The store owner's channel: a server holding the embedded store takes other local processes' reads and writes over a private Unix socket.

The embedded store (RocksDB) opens in one process only, so `rdfpub ingest` or `rdfpub dump` on the
store `rdfpub serve` holds cannot open it. The server then runs this channel: a Unix domain socket in
a fresh 0700 folder (mkdtemp), announced by a 0600 file beside the store (`{store}.channel`) that
names the socket, the owner's pid and a random key; a client proves it could read that file (an HMAC
handshake, multiprocessing.connection), so only the store's owner (or root) can use it. Parsing,
mapping and validation stay in the client's processes; the server applies each prepared batch in
one Store.apply call and streams dumps back (rdfpub/store/channel/client.py is the client).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import nullcontext
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, Listener, answer_challenge, deliver_challenge
from pathlib import Path

from rdfpub.store.embedded import Store

logger = logging.getLogger(__name__)


def announcement_path(store_path: Path | str) -> Path:
    """Where the owner announces its channel: beside the store, as its journal and index are."""
    path = Path(store_path)
    return path.with_name(path.name + ".channel")


def query_rows(store: Store, sparql: str):
    """A query's answer as plain data a pipe can carry: a bool, or a list of {variable: term or None}."""
    answer = store.query(sparql)
    if isinstance(answer, bool) or not hasattr(answer, "variables"):
        return bool(answer)
    names = [variable.value for variable in answer.variables]
    return [{name: row[name] for name in names} for row in answer]


class ChannelServer:
    """Serves `store` to local clients until closed. `on_batch` is called after each batch is
    applied (new records become queryable), `on_changed` once a client that wrote has finished or
    gone (caches of counts and dumps follow)."""

    def __init__(self, store: Store, on_batch: Callable[[], None] = lambda: None,
                 on_changed: Callable[[], None] = lambda: None):
        self.store, self.on_batch, self.on_changed = store, on_batch, on_changed
        self.key = secrets.token_bytes(32)
        self.folder = Path(tempfile.mkdtemp(prefix="rdfpub-channel-"))  # 0700: only the owner reaches the socket
        self.address = str(self.folder / "socket")
        self.announcement = announcement_path(store.path)
        # One writer at a time, from its first read of a batch to its write (ChannelStore.writer_lock).
        self.write_lock = threading.Lock()
        # Held only while a batch is applied: a checkpoint (what queries read) waits for it, since
        # Store.apply drops a batch's old graphs and then loads the new ones in two steps.
        self.apply_lock = threading.Lock()
        self._listener: Listener | None = None
        self._closed = threading.Event()

    def start(self) -> ChannelServer:
        # While it serves, the store takes each batch in one transaction: pages read it live, and
        # a bulk load after the drop of a batch's old graphs would show a replaced record missing.
        self.store.atomic_writes = True
        old = os.umask(0o077)
        try:
            # No authkey here: Listener.accept would run the handshake on the accepting thread,
            # where one client that never answers would shut every other out.
            self._listener = Listener(self.address, family="AF_UNIX")
        finally:
            os.umask(old)
        os.chmod(self.address, 0o600)
        partial = self.announcement.with_name(self.announcement.name + f".{os.getpid()}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"pid": os.getpid(), "address": self.address, "key": self.key.hex()}, file)
        os.replace(partial, self.announcement)
        threading.Thread(target=self._accept, name="rdfpub-channel", daemon=True).start()
        return self

    def close(self) -> None:
        self._closed.set()
        try:
            if json.loads(self.announcement.read_text(encoding="utf-8")).get("pid") == os.getpid():
                self.announcement.unlink()
        except (OSError, ValueError):
            pass
        if self._listener is not None:
            self._listener.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection = self._listener.accept()
            except OSError:  # closing
                if self._closed.is_set():
                    return
                continue
            threading.Thread(target=self._serve, args=(connection,), name="rdfpub-channel-client",
                             daemon=True).start()

    def _serve(self, connection: Connection) -> None:
        wrote, locked = False, False
        try:
            try:  # the client proves it read the announcement, and learns this is its owner
                deliver_challenge(connection, self.key)
                answer_challenge(connection, self.key)
            except (AuthenticationError, EOFError, OSError) as error:
                logger.warning("store channel: a client was refused: %s", error or type(error).__name__)
                return
            while True:
                try:
                    request = connection.recv()
                except (EOFError, OSError):
                    return
                verb, args = request[0], request[1:]
                try:
                    if verb == "lock":
                        self.write_lock.acquire()
                        locked = True
                        connection.send(("ok", None))
                    elif verb == "unlock":
                        locked = False
                        self.write_lock.release()
                        connection.send(("ok", None))
                    elif verb in ("apply", "update"):  # a batch, or its resolved references' links
                        # The write lock unless this client holds it already, then the apply lock.
                        with nullcontext() if locked else self.write_lock, self.apply_lock:
                            getattr(self.store, verb)(*args)
                        wrote = True
                        connection.send(("ok", None))
                        self.on_batch()
                    elif verb == "dump":
                        for chunk in self.store.dump(*args):
                            connection.send(("chunk", chunk))
                        connection.send(("ok", None))
                    elif verb == "flush":
                        self.store.flush()
                        connection.send(("ok", None))
                        if wrote:
                            wrote = False
                            self.on_changed()
                    else:
                        connection.send(("ok", _READS[verb](self.store, *args)))
                except (EOFError, OSError, BrokenPipeError):
                    return
                except Exception as error:  # the client's mistake or the store's: said to the client
                    connection.send(("error", f"{type(error).__name__}: {error}"))
        finally:
            if locked:
                self.write_lock.release()
            connection.close()
            if wrote:  # a client killed mid-run: what it committed is whole, and now counted
                self.on_changed()


# The reads a client may ask for, by name: what the Publisher and the opening of a store ask.
_READS: dict[str, Callable] = {
    "record_states": Store.record_states,
    "withdrawals": Store.withdrawals,
    "query": query_rows,
    "graph_count": Store.graph_count,
    "triple_count": Store.triple_count,
    "is_empty": Store.is_empty,
    "graphs": lambda store: (store.shared_graph, store.withdrawn_graph),
}
