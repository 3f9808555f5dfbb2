"""Precision and recall of resolving references without identifiers: `python bench/resolve_references.py`.

The articles of the development data (shared/data/pubmed, all three formats) are indexed as the
store's reference index holds them, but a fifth of them, held out: citations of those are in no
store, so any link made for one is wrong. The references evaluated are:

- real: the development data's own references that name a PMID, with the PMID, DOI and PMCID
  taken out of the text (the identifiers the resolver would otherwise find), whose target is
  indexed (a link to it is right, any other wrong) or not (any link is wrong); and, apart ("real,
  ids"), those whose text names an identifier, resolved with it left in;
- generated: for every article, a citation of it written in one of the styles real reference lists
  use (NLM/Vancouver, author-year as PubMed pages print it, and a journal style with full stops in
  the abbreviation), with the usual variations ("et al." after three or six authors, abbreviated
  last page, no issue, a title in other case, a year off by one for e-publication, the title left
  out), each resolved with the identifier taken out; held-out articles make the negatives.

Each reference is resolved as rdfpub/references/resolution.py does: candidates from the index, then
rdfpub.references.matching.best. Prints a table; exits 0.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdfpub.references.matching import THRESHOLD, article_key, best, reference_key  # noqa: E402
from rdfpub.identifiers import normalize_pmid  # noqa: E402
from rdfpub.model import Record  # noqa: E402
from rdfpub.references.index import ReferenceIndex  # noqa: E402
from rdfpub.sources import read_records  # noqa: E402

DEV_DATA = ROOT.parent / "shared" / "data" / "pubmed"
HELD_OUT = 0.2
_IDS = __import__("re").compile(r"(doi:?\s*)?\b10\.\d{4,9}/\S+|PMID:?\s*\d+|PMCID:?\s*PMC\d+|\bPMC\d+", 2)


def records() -> dict[str, Record]:
    """Every record with a PMID, the first copy read of each."""
    found: dict[str, Record] = {}
    for folder in ("xml", "medline", "abstract-text"):
        for path in sorted((DEV_DATA / folder).glob("*")):
            if "Scicopia" in path.name:  # a parser test suite of broken copies of one record
                continue
            try:
                for item in read_records(path):
                    if isinstance(item, Record) and item.article.pmid and (pmid := normalize_pmid(item.article.pmid)):
                        found.setdefault(pmid, item)
            except Exception:  # an unreadable input is the ingest tests' business, not this bench's
                continue
    return found


def _names(record: Record, rng: random.Random, style: str) -> str:
    names = []
    for author in record.article.authors:
        if author.collective_name:
            names.append(author.collective_name)
        elif author.last_name:
            initials = author.initials or "".join(p[0] for p in (author.fore_name or "").split())
            names.append(f"{author.last_name}, {'. '.join(initials)}." if style == "journal"
                         else f"{author.last_name} {initials}".strip())
    cut = rng.choice((3, 6, 99))
    return ", ".join(names[:cut]) + (", et al." if len(names) > cut else "")


def citation(record: Record, rng: random.Random) -> str | None:
    """A realistic citation of the record's article, in one style picked at random; None when the
    record lacks what any citation gives (an author and a year)."""
    article = record.article
    if not article.authors or not article.published:
        return None
    style = rng.choice(("nlm", "author-year", "journal"))
    year = article.published.year + (1 if rng.random() < 0.05 else 0)
    title = (article.title or "").rstrip(".")
    if rng.random() < 0.1:
        title = title.upper() if rng.random() < 0.5 else title.lower()
    if rng.random() < 0.05:
        title = ""
    journal = (article.journal.medline_ta or article.journal.iso_abbreviation or article.journal.title or "") \
        if article.journal else ""
    pages = article.pages.text if article.pages else ""
    if article.pages and article.pages.first and article.pages.last and rng.random() < 0.5:
        pages = f"{article.pages.first}-{article.pages.last}"
    volume = article.volume or ""
    issue = f"({article.issue})" if article.issue and rng.random() < 0.6 else ""
    names = _names(record, rng, style)
    if style == "nlm":
        return f"{names}. {title}. {journal}. {year};{volume}{issue}:{pages}."
    if style == "author-year":
        return f"{names}({year}){title}. {journal} {volume}:{pages}."
    dotted = ". ".join(journal.split()) + ("." if journal else "")
    return f"{names} {year}. {title}. {dotted} {volume}:{pages}."


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rdfpub-resolve-bench-") as folder:  # removed however the run ends
        return run(Path(folder))


def run(folder: Path) -> int:
    started = time.perf_counter()
    rng = random.Random(18)
    found = records()
    pmids = sorted(found)
    held_out = set(rng.sample(pmids, int(len(pmids) * HELD_OUT)))
    index = ReferenceIndex(folder / "references.sqlite")
    index.begin()
    for pmid in pmids:
        if pmid not in held_out:
            iri = f"urn:pubmed:{pmid}"
            index.add_article(article_key(found[pmid].article, iri, iri + "#graph"))
    index.commit()
    cases: dict[str, list[tuple[str, str, str | None, str]]] = {"real": [], "real, ids": [], "generated": []}
    for pmid in pmids:
        for reference in found[pmid].references:
            target = normalize_pmid(reference.pmid) if reference.pmid else None
            if target and target != pmid:
                text = " ".join(_IDS.sub(" ", reference.text).split())
                expected = target if target in found and target not in held_out else None
                cases["real"].append((pmid, text, expected, target))
                if text != " ".join(reference.text.split()):  # the text names an identifier: kept
                    cases["real, ids"].append((pmid, reference.text, expected, target))
        text = citation(found[pmid], rng)
        if text:
            citing = rng.choice(pmids)
            cases["generated"].append((citing, text, None if pmid in held_out else pmid, pmid))
    rows = []
    for name, items in cases.items():
        positives = links = right = 0
        for citing, text, expected, _ in items:
            positives += expected is not None
            key = reference_key(text)
            match = best(key, index.candidates(key), exclude=f"urn:pubmed:{citing}")
            if match is None:
                continue
            links += 1
            right += expected is not None and match[0].pmid == expected
        rows.append((name, len(items), positives, links, right))
    total = tuple(sum(row[i] for row in rows if row[0] != "real, ids") for i in range(1, 5))
    print(f"threshold {THRESHOLD}; {len(pmids) - len(held_out)} articles indexed, {len(held_out)} held out")
    print(f"{'references':<12}{'cases':>8}{'in store':>10}{'linked':>8}{'right':>8}{'precision':>11}{'recall':>9}")
    for name, cases_count, positives, links, right in rows + [("all", *total)]:
        if name == "all":
            print("(all: real and generated; 'real, ids' are the real references that name an identifier, "
                  "resolved with it left in their text, not counted in all)")
        precision = 100 * right / links if links else 100.0
        recall = 100 * right / positives if positives else 0.0
        print(f"{name:<12}{cases_count:>8}{positives:>10}{links:>8}{right:>8}{precision:>10.2f}%{recall:>8.2f}%")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
