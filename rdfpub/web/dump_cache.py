"""Dump files made once per store state in a folder next to the store ({store}-dumps/), then served as files.

Serving files gives Content-Length, Last-Modified and byte ranges for free, and a checksum the dataset
description can publish. The store state is a digest of each record graph's content digest and
generation time, so any ingest that changes a record changes it, while reading it costs one small query.
A store server may change while dumps of an older state are being written or downloaded, so a
folder is removed only when no build writes it and no download reads it, and it is not the newest
state's. While a new state's dumps are made (in the background, once an ingest through the server
ends), downloads get the newest finished ones of an earlier state, whole and with their own ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import PROV

from rdfpub.store.embedded import Store

# file name -> (store dump format, media type, gzipped)
DUMPS: dict[str, tuple[str, str, bool]] = {
    "dump.ttl": ("turtle", "text/turtle", False),
    "dump.nt": ("nt", "application/n-triples", False),
    "dump.nq": ("nq", "application/n-quads", False),
    "dump.ttl.gz": ("turtle", "text/turtle", True),
    "dump.nt.gz": ("nt", "application/n-triples", True),
    "dump.nq.gz": ("nq", "application/n-quads", True),
}
_STATE_SECONDS = 2.0  # how long a computed store state is trusted before it is read again
logger = logging.getLogger(__name__)


class DumpMissing(Exception):
    """The dump of this format has not been made for this store state yet."""

    def __init__(self, format_name: str, state: str):
        super().__init__(format_name)
        self.format_name, self.state = format_name, state


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    media_type: str
    gzipped: bool
    size: int
    sha256: str
    state: str

    @property
    def etag(self) -> str:
        return f'"{self.state[:16]}-{self.sha256[:16]}"'


def write_dump(chunks: Iterator[bytes], plain: Path, compressed: Path) -> dict[str, tuple[int, str]]:
    """Writes the chunks to `plain` and, gzipped, to `compressed`; each file's (size, sha256).
    The gzip header holds no name or time, so equal content gives byte-equal files."""
    digests = {plain.name: hashlib.sha256(), compressed.name: hashlib.sha256()}
    with plain.open("wb") as text, compressed.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as packed:
            for chunk in chunks:
                text.write(chunk)
                digests[plain.name].update(chunk)
                packed.write(chunk)
    _hash_file(compressed, digests[compressed.name])
    return {path.name: (path.stat().st_size, digests[path.name].hexdigest()) for path in (plain, compressed)}


def _hash_file(path: Path, digest) -> None:
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)


class DumpCache:
    """The dump files of one store; every method blocks, so call it off the event loop."""

    def __init__(self, store: Store, folder: Path, prefixes: dict[str, str], vocab: str,
                 generation: Callable[[], int] | None = None):
        """`generation`, where given, says when the store may have changed (rdfpub/web/store_changes.py):
        the state is then read once per generation instead of every _STATE_SECONDS."""
        self.store, self.folder, self.prefixes, self.generation = store, folder, prefixes, generation
        self._digest_predicate = f"{vocab}contentDigest"
        self._lock = threading.Lock()
        self._format_locks: dict[str, threading.Lock] = {name: threading.Lock() for name, _, _ in DUMPS.values()}
        self._state: tuple[float, str] | None = None
        self._in_use: Counter[Path] = Counter()  # folder -> builds writing it and downloads reading it
        self._ready: dict[str, Path] = {}  # file name -> the folder of its newest finished dump
        self._building: threading.Thread | None = None
        self._build_again = False

    def state(self) -> str:
        """A key that changes whenever the store's content does."""
        now = self.generation() if self.generation is not None else None
        with self._lock:
            if self._state and (self._state[0] == now if now is not None
                                else time.monotonic() - self._state[0] < _STATE_SECONDS):
                return self._state[1]
        rows = sorted(f"{row['g'].value} {row['d'].value} {row['t'].value if row['t'] else ''}"
                      for row in self.store.query(
                          f"SELECT ?g ?d ?t WHERE {{ GRAPH ?g {{ ?g <{self._digest_predicate}> ?d "
                          f"OPTIONAL {{ ?g <{PROV.generatedAtTime}> ?t }} }} }}"))
        key = hashlib.sha256(f"{self.store.graph_count()}\n".encode() + "\n".join(rows).encode()).hexdigest()
        with self._lock:
            self._state = (now if now is not None else time.monotonic(), key)
        return key

    def get(self, name: str) -> DumpFile:
        """The file `name` (a key of DUMPS) for the current store state, made first if missing. The
        file may go once a newer state's dumps are made: hold a `lease` to read it."""
        with self.lease(name) as dump:
            return dump

    @contextmanager
    def lease(self, name: str, build: bool = True, previous: bool = False) -> Iterator[DumpFile]:
        """The file `name` for the current store state, kept on disk until the block ends; made
        first if missing, or, when not `build`, DumpMissing is raised instead; with `previous`,
        the newest finished one of an earlier state is leased instead while the current one is
        made in the background (DumpMissing only when there is none)."""
        format_name, media_type, gzipped = DUMPS[name]
        state = self.state()
        folder = self.folder / state[:24]
        with self._lock:
            served = self._served_folder(name, folder) if previous else folder
            if served is not None and served != folder:
                folder, state = served, served.name
                self._start_building()
            self._in_use[folder] += 1
        try:
            meta = folder / f"{name}.json"
            if not meta.exists() and not build:
                raise DumpMissing(format_name, state)
            with self._format_locks[format_name]:
                if not meta.exists():
                    self._make(folder, format_name)
            with self._lock:
                self._ready[name] = folder
            size, sha256 = json.loads(meta.read_text())
            yield DumpFile(name, folder / name, media_type, gzipped, size, sha256, state)
        finally:
            with self._lock:
                self._in_use[folder] -= 1
                if not self._in_use[folder]:
                    del self._in_use[folder]
            self._remove_stale()

    def _remove_stale(self) -> None:
        """Removes the folders of older states that no build writes and no download reads."""
        with self._lock:
            keep = set(self._in_use) | set(self._ready.values())
            if self._state:
                keep.add(self.folder / self._state[1][:24])
            stale = [old for old in self.folder.iterdir() if old.is_dir() and old not in keep] \
                if self.folder.is_dir() else []
            # Renamed under the lock, so no lease can take a folder while it goes; removed after it.
            doomed = []
            for old in stale:
                try:
                    doomed.append(old.rename(old.with_name(f".removing-{old.name}-{threading.get_ident()}")))
                except OSError:
                    pass  # another thread got there first
        for old in doomed:
            shutil.rmtree(old, ignore_errors=True)

    def served(self) -> list[DumpFile]:
        """The files a download gets now: the current state's, or an earlier one's while the
        current is made (see lease)."""
        found = []
        for name in DUMPS:
            with self.lease(name, previous=True) as dump:
                found.append(dump)
        return found

    def served_folders(self) -> tuple[str, ...]:
        """Which state's folder each download would be served from now (see served). A dump with no
        earlier file to stand in is the current state's, as `served` makes it before it answers:
        requests that come while it is made then ask for the same description, made once."""
        current = self.folder / self.state()[:24]
        with self._lock:
            return tuple(str(self._served_folder(name, current) or current) for name in DUMPS)

    def _served_folder(self, name: str, current: Path) -> Path | None:
        """The folder a download of `name` gets now: the `current` state's when its file is whole,
        else the newest finished one of an earlier state (None when there is none); the lock is held."""
        return current if (current / f"{name}.json").exists() else self._previous(name)

    def _previous(self, name: str) -> Path | None:
        """The folder of the newest finished dump `name`; the lock is held."""
        known = self._ready.get(name)
        if known is not None and (known / f"{name}.json").exists():
            return known
        # After a restart: the newest folder left on disk that holds the file whole.
        found = [old for old in self.folder.iterdir() if not old.name.startswith(".")
                 and (old / f"{name}.json").exists()] if self.folder.is_dir() else []
        return max(found, key=lambda old: (old / f"{name}.json").stat().st_mtime, default=None)

    def build_in_background(self) -> None:
        """Makes every dump of the current state on a thread of its own; downloads get the
        previous ones until then (a request never waits for a dump an earlier one can stand for)."""
        with self._lock:
            self._start_building()

    def _start_building(self) -> None:
        # The lock is held. One build at a time; a request for another meanwhile runs it once more.
        if self._building is not None and self._building.is_alive():
            self._build_again = True
            return
        self._building = threading.Thread(target=self._build_all, name="rdfpub-dumps", daemon=True)
        self._building.start()

    def _build_all(self) -> None:
        while True:
            for name in DUMPS:
                try:
                    self.get(name)
                except Exception:  # noqa: BLE001 - a download then builds it, and says why
                    logger.exception("making the dump %s failed", name)
                    return
            with self._lock:
                if not self._build_again:
                    return
                self._build_again = False

    def _make(self, folder: Path, format_name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        plain_name = next(n for n, (f, _, gz) in DUMPS.items() if f == format_name and not gz)
        partial_plain, partial_gz = folder / f".{plain_name}.part", folder / f".{plain_name}.gz.part"
        results = write_dump(self.store.dump(format_name, prefixes=self.prefixes), partial_plain, partial_gz)
        # Files first, then their sidecars: a sidecar present means its file is complete.
        for partial, final in ((partial_plain, plain_name), (partial_gz, plain_name + ".gz")):
            os.replace(partial, folder / final)
            (folder / f"{final}.json").write_text(json.dumps(results[partial.name]))
