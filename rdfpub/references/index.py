"""The reference index beside the store: stored articles' match keys and text-only references, linked or waiting."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from rdfpub.references.matching import ArticleKey, ReferenceKey

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (graph TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article_terms (graph TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS article_terms_value ON article_terms (kind, value);
CREATE INDEX IF NOT EXISTS article_terms_graph ON article_terms (graph);
CREATE TABLE IF NOT EXISTS refs (ref TEXT PRIMARY KEY, graph TEXT NOT NULL, article TEXT NOT NULL, key TEXT NOT NULL,
                                 target_graph TEXT, target TEXT);
CREATE INDEX IF NOT EXISTS refs_graph ON refs (graph);
CREATE INDEX IF NOT EXISTS refs_target ON refs (target_graph);
CREATE TABLE IF NOT EXISTS ref_terms (ref TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ref_terms_value ON ref_terms (kind, value);
CREATE INDEX IF NOT EXISTS ref_terms_ref ON ref_terms (ref);
"""


@dataclass(frozen=True)
class StoredReference:
    """A text-only reference of a stored record: its IRI, its record's graph and article, its key,
    and the article it is linked to (None: waiting)."""

    ref: str
    graph: str
    article: str
    key: ReferenceKey
    target: str | None = None


# Lookup terms: what an article and a reference that may cite it share. First author with year
# (a reference's years one either way), not the name alone: at PubMed's size 'wang' alone would
# bring back a hundred thousand candidates; the name alone only for a reference that gives no year.
def _article_terms(key: ArticleKey) -> list[tuple[str, str]]:
    terms = [("family", key.family), ("fy", f"{key.family}|{key.year}" if key.family and key.year else ""),
             ("vp", f"{key.volume}|{key.first_page}" if key.volume and key.first_page else ""),
             ("doi", key.doi or ""), ("pmid", key.pmid or ""), ("pmcid", key.pmcid or "")]
    return [(kind, value) for kind, value in terms if value]


def _reference_terms(key: ReferenceKey) -> list[tuple[str, str]]:
    terms = [("fy", f"{key.family}|{year + step}") for year in key.years for step in (-1, 0, 1)] if key.family else []
    terms += [("family", key.family)] if key.family and not key.years else []
    terms += [("vp", f"{volume}|{page}") for volume, page in key.volume_pages]
    terms += [("doi", v) for v in key.dois] + [("pmid", v) for v in key.pmids] + [("pmcid", v) for v in key.pmcids]
    return list(dict.fromkeys((kind, value) for kind, value in terms if value))


def _dump(key) -> str:
    return json.dumps(asdict(key), default=sorted)


def _article(text: str) -> ArticleKey:
    data = json.loads(text)
    return ArticleKey(**{**data, "title": frozenset(data["title"]), "journals": tuple(data["journals"])})


def _reference(text: str) -> ReferenceKey:
    data = json.loads(text)
    return ReferenceKey(**{**data, "words": frozenset(data["words"]),
                           **{name: tuple(data[name]) for name in ("dois", "pmids", "pmcids", "years")},
                           "volume_pages": tuple(tuple(pair) for pair in data["volume_pages"])})


class ReferenceIndex:
    """An SQLite file; changes are one transaction, committed once the store holds what they describe."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def begin(self) -> None:
        self._db.execute("BEGIN")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def clear(self) -> None:
        # One statement at a time: executescript would commit the transaction under way.
        for table in ("articles", "article_terms", "refs", "ref_terms"):
            self._db.execute(f"DELETE FROM {table}")

    def remove_graph(self, graph: str) -> list[StoredReference]:
        """Forgets a record graph's article and references; the references of other records that
        were linked to its article, now waiting again (their link triples must go)."""
        db = self._db
        db.execute("DELETE FROM articles WHERE graph = ?", (graph,))
        db.execute("DELETE FROM article_terms WHERE graph = ?", (graph,))
        db.execute("DELETE FROM ref_terms WHERE ref IN (SELECT ref FROM refs WHERE graph = ?)", (graph,))
        db.execute("DELETE FROM refs WHERE graph = ?", (graph,))
        unlinked = [self._row(row) for row in db.execute(
            "SELECT ref, graph, article, key, target FROM refs WHERE target_graph = ?", (graph,))]
        db.execute("UPDATE refs SET target_graph = NULL, target = NULL WHERE target_graph = ?", (graph,))
        return unlinked

    def add_article(self, key: ArticleKey) -> None:
        self._db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?)", (key.graph_iri, _dump(key)))
        self._db.executemany("INSERT INTO article_terms VALUES (?, ?, ?)",
                             [(key.graph_iri, kind, value) for kind, value in _article_terms(key)])

    def add_reference(self, ref: str, graph: str, article: str, key: ReferenceKey) -> None:
        self._db.execute("INSERT OR REPLACE INTO refs VALUES (?, ?, ?, ?, NULL, NULL)", (ref, graph, article, _dump(key)))
        self._db.executemany("INSERT INTO ref_terms VALUES (?, ?, ?)",
                             [(ref, kind, value) for kind, value in _reference_terms(key)])

    def link(self, ref: str, target_graph: str, target: str) -> None:
        self._db.execute("UPDATE refs SET target_graph = ?, target = ? WHERE ref = ?", (target_graph, target, ref))

    def candidates(self, key: ReferenceKey) -> list[ArticleKey]:
        """The stored articles sharing a first author and year, a volume and first page, or an
        identifier with the reference."""
        rows = self._sharing("SELECT key FROM articles WHERE graph IN (SELECT graph FROM article_terms WHERE {})",
                             _reference_terms(key))
        return [_article(row[0]) for row in rows]

    def waiting_for(self, key: ArticleKey) -> list[StoredReference]:
        """The waiting references that share a first author and year, a volume and first page, or an
        identifier with the article."""
        rows = self._sharing("SELECT ref, graph, article, key, target FROM refs WHERE target IS NULL AND ref IN "
                             "(SELECT ref FROM ref_terms WHERE {})", _article_terms(key))
        return [self._row(row) for row in rows]

    def _sharing(self, query: str, terms: list[tuple[str, str]]) -> list:
        """The rows of `query` whose terms table (its {} condition) holds one of `terms`."""
        if not terms:
            return []
        where = " OR ".join("(kind = ? AND value = ?)" for _ in terms)
        return self._db.execute(query.format(where), [v for t in terms for v in t]).fetchall()

    @staticmethod
    def _row(row) -> StoredReference:
        return StoredReference(row[0], row[1], row[2], _reference(row[3]), row[4])
