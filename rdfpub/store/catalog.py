"""The store's side index, an SQLite file: every record's article, title (word-searchable with FTS5),
date, journal, people and MeSH terms, so that word search and newest-first listings read an index
instead of scanning the store. It is kept in step with the store by the writes themselves (Store.apply)
and checked against the store when opened (see `ensure`)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdfpub.store.catalog_entries import Entry, JournalOf

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, graph TEXT NOT NULL UNIQUE,
    article TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_date ON records (date, id);
CREATE TABLE IF NOT EXISTS links (target TEXT NOT NULL, date TEXT NOT NULL, record INTEGER NOT NULL,
    kind TEXT NOT NULL, PRIMARY KEY (target, date, record)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_by_record ON links (record);
CREATE TABLE IF NOT EXISTS counts (kind TEXT NOT NULL, target TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, target)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counts_by_size ON counts (kind, n, target);
CREATE TABLE IF NOT EXISTS pending (graph TEXT PRIMARY KEY);
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5 (title, content='records', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
"""
# Kinds of link whose targets are counted, for listings of journals and MeSH terms by size (people are
# too many to be worth it: each is listed from their own page).
COUNTED = ("journal", "mesh")
# Words of a search, each kept whole or (ending in '*') as a prefix; more are ignored.
_WORD = re.compile(r"(\w+)(\*?)")
MAX_WORDS = 12


class SearchTimeout(Exception):
    """A search or listing ran past its deadline and was stopped."""


@dataclass(frozen=True)
class Hit:
    article: str
    title: str
    date: str


def fts_query(text: str) -> str | None:
    """The words of `text` as an FTS5 query: every word must be in the title (a word ending in '*'
    as a prefix); each is quoted, so nothing the user types is read as FTS5 syntax."""
    words = [f'"{word}"' + ("*" if star else "") for word, star in _WORD.findall(text)[:MAX_WORDS]]
    return " ".join(words) or None


class Catalog:
    """The index in the SQLite file `path` (created when missing); `journal_of` finds an article's
    journal from its container's IRI (Iris.journal_of)."""

    def __init__(self, path: Path, journal_of: JournalOf):
        self.path = Path(path)
        self.journal_of = journal_of
        # One writer (the process that holds the store); it may write from ingest's writer thread.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # State, kept in the file itself.

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def record_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM records").fetchone()[0]

    def pending(self) -> list[str]:
        """The record graphs a write had started on when it was cut off: the store may or may not hold them."""
        return [row[0] for row in self._db.execute("SELECT graph FROM pending")]

    def is_current(self, records_in_store: int) -> bool:
        """True when the index was made by this schema, no write was cut off, and it holds as many
        records as the store (a store written without the index, by an older rdfpub, does not)."""
        return (self.meta("schema") == SCHEMA_VERSION and not self.pending()
                and self.record_count() == records_in_store)

    def sync(self, read: Callable[[str], Entry | None], record_graphs: Callable[[], Iterable[str]],
             records_in_store: Callable[[], int]) -> int:
        """Brings the index up to date with the store: the records a cut-off write had started on are
        `read` again, and an index that does not match the store (missing, made by another schema,
        another record count) is made anew from every record graph. The number of records indexed anew."""
        pending = self.pending()
        if pending and self.meta("schema") == SCHEMA_VERSION:
            self.finish({graph: read(graph) for graph in pending})
        if self.is_current(records_in_store()):
            return 0
        return self.rebuild(entry for graph in record_graphs() if (entry := read(graph)) is not None)

    # Writes: begin() before the store changes, finish() after, so a cut-off write is known.

    def begin(self, graphs: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(g,) for g in graphs])

    def finish(self, entries: dict[str, Entry | None]) -> None:
        """Each graph's new entry, or None for a graph the store no longer holds; clears them from pending."""
        with self._transaction():
            for graph, entry in entries.items():
                self._remove(graph)
                if entry is not None:
                    self._add(entry)
            self._db.executemany("DELETE FROM pending WHERE graph = ?", [(g,) for g in entries])

    def rebuild(self, entries: Iterable[Entry]) -> int:
        """Empties the index and fills it with `entries`; the number of records it then holds."""
        with self._transaction():
            self._db.execute("DELETE FROM links")
            self._db.execute("DELETE FROM counts")
            self._db.execute("DELETE FROM records")
            self._db.execute("INSERT INTO titles(titles) VALUES ('delete-all')")
            self._db.execute("DELETE FROM pending")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            count = 0
            for entry in entries:
                self._add(entry)
                count += 1
        self._db.execute("INSERT INTO titles(titles) VALUES ('optimize')")
        return count

    def _transaction(self):
        db = self._db

        class Transaction:
            def __enter__(self):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, error, trace):
                db.execute("COMMIT" if kind is None else "ROLLBACK")

        return Transaction()

    def _remove(self, graph: str) -> None:
        row = self._db.execute("SELECT id, title FROM records WHERE graph = ?", (graph,)).fetchone()
        if row is None:
            return
        record, title = row
        self._db.execute("INSERT INTO titles(titles, rowid, title) VALUES ('delete', ?, ?)", (record, title))
        counted = self._db.execute(f"SELECT kind, target FROM links WHERE record = ? AND kind IN {COUNTED}",
                                   (record,)).fetchall()
        self._db.executemany("UPDATE counts SET n = n - 1 WHERE kind = ? AND target = ?", counted)
        self._db.executemany("DELETE FROM counts WHERE kind = ? AND target = ? AND n <= 0", counted)
        self._db.execute("DELETE FROM links WHERE record = ?", (record,))
        self._db.execute("DELETE FROM records WHERE id = ?", (record,))

    def _add(self, entry: Entry) -> None:
        record = self._db.execute("INSERT INTO records (graph, article, title, date) VALUES (?, ?, ?, ?)",
                                  (entry.graph, entry.article, entry.title, entry.date)).lastrowid
        self._db.execute("INSERT INTO titles(rowid, title) VALUES (?, ?)", (record, entry.title))
        self._db.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?)",
                             [(target, entry.date, record, kind) for kind, target in entry.links])
        self._db.executemany("INSERT INTO counts VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1",
                             [(kind, target) for kind, target in entry.links if kind in COUNTED])


class CatalogReader:
    """Read-only queries on an index file, each on a connection of its own (any thread may ask)
    and stopped at a deadline."""

    def __init__(self, path: Path, timeout: float):
        self.path = Path(path)
        self.timeout = timeout

    def _ask(self, sql: str, parameters: tuple) -> list[tuple]:
        deadline = time.monotonic() + self.timeout
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            # SQLite calls this every 10,000 steps; a non-zero answer stops the statement.
            db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            return db.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise SearchTimeout(f"stopped after {self.timeout:g} s") from None
            raise
        finally:
            db.close()

    def search(self, text: str, page: int, size: int) -> tuple[int, list[Hit]]:
        """Records whose title holds every word of `text`, best first (BM25), one page of them; and how many."""
        query = fts_query(text)
        if query is None:
            return 0, []
        total = self._ask("SELECT count(*) FROM titles WHERE titles MATCH ?", (query,))[0][0]
        rows = self._ask("SELECT r.article, r.title, r.date FROM titles JOIN records r ON r.id = titles.rowid "
                         "WHERE titles MATCH ? ORDER BY titles.rank LIMIT ? OFFSET ?",
                         (query, size, (page - 1) * size))
        return total, [Hit(*row) for row in rows]

    def newest(self, page: int, size: int, target: str | None = None) -> tuple[int, list[Hit]]:
        """One page of the records, newest first, of all or of those linking to `target` (a journal,
        a person, a MeSH term); and how many there are. Both read an index in its order."""
        if target is None:
            total = self._ask("SELECT count(*) FROM records", ())[0][0]
            rows = self._ask("SELECT article, title, date FROM records ORDER BY date DESC, id DESC "
                             "LIMIT ? OFFSET ?", (size, (page - 1) * size))
        else:
            total = self._ask("SELECT count(*) FROM links WHERE target = ?", (target,))[0][0]
            rows = self._ask("SELECT r.article, r.title, r.date FROM links l JOIN records r ON r.id = l.record "
                             "WHERE l.target = ? ORDER BY l.date DESC, l.record DESC LIMIT ? OFFSET ?",
                             (target, size, (page - 1) * size))
        return total, [Hit(*row) for row in rows]

    def count(self, target: str) -> int:
        """How many records link to `target` (a journal, a person, a MeSH term)."""
        return self._ask("SELECT count(*) FROM links WHERE target = ?", (target,))[0][0]

    def targets(self, kind: str, page: int, size: int) -> tuple[int, list[tuple[str, int]]]:
        """One page of the journals or MeSH terms (COUNTED) the records link to, by how many records
        link to each, most first; and how many there are."""
        total = self._ask("SELECT count(*) FROM counts WHERE kind = ?", (kind,))[0][0]
        rows = self._ask("SELECT target, n FROM counts WHERE kind = ? ORDER BY n DESC, target DESC "
                         "LIMIT ? OFFSET ?", (kind, size, (page - 1) * size))
        return total, rows
