"""The search and listing index at size: an index of N synthetic records (titles drawn from a word list with a
Zipf-like skew, 5,000 journals, 20,000 MeSH terms of which the first is on 60% of records, as "Humans" is,
four authors each), then the time of each kind of page's queries (word search, newest first over all, a big
and a small MeSH term, a journal, deep pages) and the index's size. Prints a table; exits 0.

    python bench/browse.py [--records 1000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdfpub.store.catalog import Catalog, CatalogReader  # noqa: E402
from rdfpub.store.catalog_entries import Entry  # noqa: E402

WORDS = ("cell cancer patients study treatment analysis protein expression clinical disease risk human gene "
         "effect model therapy response brain tumor receptor mice infection blood acute chronic children "
         "outcomes surgery trial review case report association cohort factor signaling pathway mutation "
         "resistance inflammation diabetes heart liver kidney lung bone immune virus vaccine dose").split()


def _entries(count: int, seed: int = 1):
    rng = random.Random(seed)
    rare = [f"rareword{n}" for n in range(50_000)]
    for n in range(count):
        words = [WORDS[min(int(rng.paretovariate(1.2)) - 1, len(WORDS) - 1)] for _ in range(8)]
        words.append(rng.choice(rare))
        rng.shuffle(words)
        year = 1970 + int(55 * rng.random() ** 0.5)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        links = [("journal", f"https://x.org/journal/nlm/{min(int(rng.paretovariate(1.1)), 5000)}")]
        links += [("agent", f"https://x.org/pubmed/{n}/author/{a}/agent") for a in range(1, 5)]
        terms = {f"http://id.nlm.nih.gov/mesh/D{min(int(rng.paretovariate(0.8)), 20000):06d}" for _ in range(10)}
        if rng.random() < 0.6:
            terms.add("http://id.nlm.nih.gov/mesh/D006801")
        links += [("mesh", term) for term in sorted(terms)]
        yield Entry(f"https://x.org/graph/pubmed/{n}", f"https://x.org/pubmed/{n}", " ".join(words).capitalize(),
                    date, links)


def _time(call, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rdfpub-bench-index-") as name:  # an index of 1M records: GBs
        _measure(Path(name), args.records)


def _measure(folder: Path, records: int) -> None:
    catalog = Catalog(folder / "index.sqlite", lambda iri: None)
    started = time.perf_counter()
    catalog.rebuild(_entries(records))
    built = time.perf_counter() - started
    catalog.close()
    size = sum(path.stat().st_size for path in folder.iterdir())
    reader = CatalogReader(folder / "index.sqlite", timeout=30)
    big_journal = "https://x.org/journal/nlm/1"
    cases = [
        ("search: one common word (cancer)", lambda: reader.search("cancer", 1, 20)),
        ("search: two common words", lambda: reader.search("cell cancer", 1, 20)),
        ("search: a rare word", lambda: reader.search("rareword123", 1, 20)),
        ("search: a prefix (thera*)", lambda: reader.search("thera*", 1, 20)),
        ("search: common word, page 50", lambda: reader.search("cancer", 50, 20)),
        ("all articles, newest first, page 1", lambda: reader.newest(1, 20)),
        ("all articles, page 5,000", lambda: reader.newest(5000, 20)),
        ("MeSH term on 60% of records, page 1", lambda: reader.newest(1, 20, "http://id.nlm.nih.gov/mesh/D006801")),
        ("MeSH term on 60% of records, page 5,000",
         lambda: reader.newest(5000, 20, "http://id.nlm.nih.gov/mesh/D006801")),
        ("a rare MeSH term, page 1", lambda: reader.newest(1, 20, "http://id.nlm.nih.gov/mesh/D019999")),
        ("the biggest journal, page 1", lambda: reader.newest(1, 20, big_journal)),
        ("a person, page 1", lambda: reader.newest(1, 20, "https://x.org/pubmed/7/author/1/agent")),
        ("journals by size, page 1", lambda: reader.targets("journal", 1, 20)),
        ("MeSH terms by size, page 100", lambda: reader.targets("mesh", 100, 20)),
    ]
    print(f"index of {records:,} records: built in {built:,.0f} s ({records / built:,.0f} records/s), "
          f"{size / 1e6:,.0f} MB on disk ({size / records:,.0f} bytes a record)")
    print(f"{'query (each with its count)':<45} {'ms (best of 5)':>15}")
    for name, call in cases:
        print(f"{name:<45} {_time(call):>15,.1f}")


if __name__ == "__main__":
    main()
