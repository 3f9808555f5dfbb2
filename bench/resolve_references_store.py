"""Resolution through real ingest runs, in both orders: `python bench/resolve_references_store.py [TARGETS]`.

TARGETS (default 800) real PubMed XML records of the development data are the cited articles; a
fifth of them are held out of the store. Generated citing records (real records from the same
data, with new PMIDs and DOIs, none of them a target) carry reference lists of text alone: a
citation of a target in one of the styles bench/resolve_references.py writes, no ArticleIdList.
Each order is ingested into a fresh store (citing records first, then the targets; targets first,
then the citing records) and the links the store then holds are compared with the truth: a link to
the cited target is right, any other link (or any link for a held-out target) wrong. Prints a
table; exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import HEADER, _REFERENCES, templates  # noqa: E402
from resolve_references import citation, records  # noqa: E402

from rdfpub.pipeline import ingest  # noqa: E402
from rdfpub.settings import Settings  # noqa: E402
from rdfpub.store.opening import open_store  # noqa: E402

BASE = "http://localhost:8000"
FIRST_PMID = 91_000_000
PER_RECORD = 20


def citing_record(raw: str, pmid: str, doi: str | None, index: int, texts: list[str]) -> str:
    new = str(FIRST_PMID + index)
    text = raw.replace(f">{pmid}</PMID>", f">{new}</PMID>", 1)
    text = text.replace(f'<ArticleId IdType="pubmed">{pmid}</ArticleId>', f'<ArticleId IdType="pubmed">{new}</ArticleId>')
    if doi:
        text = re.sub(r'(<ArticleId IdType="doi">|<ELocationID EIdType="doi"[^>]*>)' + re.escape(doi) + "<",
                      lambda m: f"{m.group(1)}10.5555/rdfpub.resolve.{index}<", text)
    references = "".join(f"<Reference><Citation>{escape(t, quote=False)}</Citation></Reference>" for t in texts)
    text = _REFERENCES.sub("", text)
    return text.replace("</PubmedData>", f"<ReferenceList>{references}</ReferenceList></PubmedData>", 1)


def write(path: Path, articles: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(HEADER + "\n".join(articles) + "\n</PubmedArticleSet>\n")
    return path


def links(store) -> dict[str, str]:
    rows = store.query(f"""SELECT ?ref ?target WHERE {{ ?ref <{BASE}/vocab#resolvedBy> ?how ;
                                 <http://purl.org/spar/biro/references> ?target }}""")
    return {row["ref"].value: row["target"].value.rsplit("/", 1)[-1] for row in rows}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rdfpub-resolve-store-") as folder:  # removed however the run ends
        return run(Path(folder))


def run(folder: Path) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", type=int, nargs="?", default=800, help="how many cited articles (default 800)")
    args = parser.parse_args()
    rng = random.Random(18)
    found = records()
    pool = [t for t in templates() if t[1] in found and found[t[1]].article.authors and found[t[1]].article.published]
    rng.shuffle(pool)
    targets, rest = pool[:args.targets], pool[args.targets:]
    held_out = {pmid for _, pmid, _ in rng.sample(targets, len(targets) // 5)}
    truth: dict[str, str | None] = {}
    citing = []
    for index in range(max(1, len(targets) // 10)):
        raw, pmid, doi = rest[index % len(rest)]
        texts = []
        for _, cited, _ in rng.sample(targets, PER_RECORD):
            if (text := citation(found[cited], rng)) is not None:
                texts.append(text)
                truth[f"{BASE}/pubmed/{FIRST_PMID + index}/reference/{len(texts)}"] = \
                    None if cited in held_out else cited
        citing.append(citing_record(raw, pmid, doi, index, texts))
    target_file = write(folder / "targets.xml.gz", [raw for raw, pmid, _ in targets if pmid not in held_out])
    citing_file = write(folder / "citing.xml.gz", citing)
    positives = sum(1 for value in truth.values() if value is not None)
    print(f"{len(targets) - len(held_out)} targets stored, {len(held_out)} held out; {len(citing)} citing records, "
          f"{len(truth)} references ({positives} of stored targets)")
    print(f"{'order':<24}{'linked':>8}{'right':>8}{'precision':>11}{'recall':>9}{'seconds':>9}")
    for name, order in (("citing, then targets", [citing_file, target_file]),
                        ("targets, then citing", [target_file, citing_file])):
        settings = Settings.load(environ={}, store=folder / name.replace(", ", "-") / "store", base_iri=BASE)
        store = open_store(settings)
        started = time.perf_counter()
        for path in order:
            ingest.run([path], settings, store, workers=1)
        seconds = time.perf_counter() - started
        made = links(store)
        right = sum(1 for ref, target in made.items() if truth.get(ref) == target)
        precision = 100 * right / len(made) if made else 100.0
        print(f"{name:<24}{len(made):>8}{right:>8}{precision:>10.2f}%{100 * right / positives:>8.2f}%{seconds:>9.1f}")
        del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
