"""Which copy of a record the store keeps, whatever order the copies and PubMed's deletions come in.

PubMed publishes its baseline and daily update files in the order of their names, and each file's
DeleteCitations withdraw the records of files published before it; a later file may publish the
record again. So the store keeps, for each PMID, what the latest source says:
- between two copies: the newer PMID version, then the later DateRevised, then the richer format
  (XML over MEDLINE over text), then the later file name; an exact tie keeps the copy read first,
  so reading the same files again changes nothing;
- against a deletion in file F: a copy from F or an earlier file is withdrawn (a DeleteCitation
  follows the records of its own file), a copy from a later file stays. The store remembers the
  latest file that withdrew each PMID (the withdrawn graph), so an earlier file read afterwards
  cannot publish it again.
"""

from __future__ import annotations

from rdfpub.pipeline.preparation import Prepared
from rdfpub.store.embedded import RecordState

# How much of a record each format carries: PubMed XML all of it, MEDLINE nearly, text exports less.
RICHNESS = {"pubmed-xml": 3, "medline": 2, "pubmed-page": 1, "abstract-text": 1}


def decide(prepared: Prepared, state: RecordState | None, withdrawn_in: str | None) -> str:
    """What a prepared record does to the store: published, replaced, unchanged, older, or withdrawn."""
    if withdrawn_in is not None and prepared.source_file <= withdrawn_in:
        return "withdrawn"
    if state is None:
        return "published"
    if state.digest == prepared.digest:
        return "unchanged"
    new = (prepared.version, prepared.revised, RICHNESS.get(prepared.source_format, 0), prepared.source_file)
    old = (state.version, state.revised, RICHNESS.get(state.source_format, 0), state.source_file)
    return "replaced" if new > old else "older"


def decide_deletion(deleting_file: str, state: RecordState | None) -> str:
    """What a DeleteCitation in `deleting_file` does to the stored copy: deleted, absent (nothing is
    stored), or superseded (the stored copy comes from a later file, which published it again)."""
    if state is None:
        return "absent"
    return "deleted" if state.source_file <= deleting_file else "superseded"


def later_withdrawal(deleting_file: str, withdrawn_in: str | None) -> bool:
    """True when this deletion's file is later than the one the store remembers for the PMID."""
    return withdrawn_in is None or deleting_file > withdrawn_in
