"""Makes N PubMed-XML records in baseline-style gzipped files from the real development records.

Each generated record is a real PubmedArticle with a new PMID (90,000,000 + i), a new DOI
(10.5555/rdfpub.bench.i) and a reference list that cites earlier generated records, chosen with a
strong skew so that a few articles gather many citations (realistic fan-in). Output goes to
bench/data/ (ignored by git): `python bench/generate.py 100000`.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdfpub.model import Record  # noqa: E402
from rdfpub.sources import read_records  # noqa: E402

DEV_DATA = ROOT.parent / "shared" / "data" / "pubmed" / "xml"
RECORDS_PER_FILE = 30_000
FIRST_PMID = 90_000_000
HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
          '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
_REFERENCES = re.compile(r"<ReferenceList>.*?</ReferenceList>\s*", re.DOTALL)


def templates() -> list[str]:
    """The raw XML of every real PubmedArticle in the development data."""
    found = []
    # The Scicopia file is a parser test suite of deliberately broken copies of one record.
    for path in sorted(p for p in DEV_DATA.glob("*.xml*") if "Scicopia" not in p.name):
        for item in read_records(path):
            if isinstance(item, Record) and item.raw and item.raw.lstrip().startswith("<PubmedArticle>") \
                    and item.article.pmid and item.article.pmid.isdigit():
                found.append((item.raw, item.article.pmid, item.article.doi))
    return found


def generate_record(template: tuple, index: int, rng: random.Random) -> str:
    raw, old_pmid, old_doi = template
    pmid = str(FIRST_PMID + index)
    text = raw.replace(f">{old_pmid}</PMID>", f">{pmid}</PMID>", 1)
    text = text.replace(f'<ArticleId IdType="pubmed">{old_pmid}</ArticleId>',
                        f'<ArticleId IdType="pubmed">{pmid}</ArticleId>', 1)
    if old_doi:
        text = re.sub(r'(<ArticleId IdType="doi">|<ELocationID EIdType="doi"[^>]*>)' + re.escape(old_doi) + "<",
                      lambda m: f"{m.group(1)}10.5555/rdfpub.bench.{index}<", text)
    text = _REFERENCES.sub("", text)
    if index:
        cited = sorted({int(index * rng.random() ** 3) for _ in range(rng.randint(3, 25))})
        references = "".join(
            f'<Reference><Citation>Benchmark citation of record {j}.</Citation><ArticleIdList>'
            f'<ArticleId IdType="pubmed">{FIRST_PMID + j}</ArticleId></ArticleIdList></Reference>'
            for j in cited)
        text = text.replace("</PubmedData>", f"<ReferenceList>{references}</ReferenceList></PubmedData>", 1)
    return text


def generate(count: int, out: Path, seed: int = 7, per_file: int = RECORDS_PER_FILE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    existing = sorted(out.glob("*.xml.gz"))
    if existing and (out / ".complete").exists():
        return existing
    pool = templates()
    rng = random.Random(seed)
    files = []
    for start in range(0, count, per_file):
        path = out / f"pubmedbench{start // per_file + 1:04d}.xml.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=5) as stream:
            stream.write(HEADER)
            for index in range(start, min(count, start + per_file)):
                stream.write(generate_record(pool[index % len(pool)], index, rng))
                stream.write("\n")
            stream.write("</PubmedArticleSet>\n")
        files.append(path)
    (out / ".complete").write_text(f"{count}\n")
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many records")
    parser.add_argument("--out", type=Path, help="folder (default bench/data/gen-COUNT)")
    args = parser.parse_args()
    files = generate(args.count, args.out or ROOT / "bench" / "data" / f"gen-{args.count}")
    print(f"{args.count:,} records in {len(files)} file(s): {files[0].parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
