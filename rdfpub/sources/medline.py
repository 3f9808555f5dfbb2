"""Parser for MEDLINE tagged text (.nbib, PubMed "Save > PubMed format", efetch rettype=medline)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rdfpub.identifiers import normalize_pmid
from rdfpub.model import Record, SourceRef, Unreadable
from rdfpub.sources.medline_record import RecordBuilder
from rdfpub.sources.text_lines import numbered_lines

NAME = "medline"

# 'TI  - value': a tag of up to four characters, padded with spaces, then '- ' (NLM MEDLINE/PubMed
# Data Element (Field) Descriptions); a line starting with spaces continues the field above.
_TAG_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]{1,3}) *-(?: (?P<value>.*))?$")


def sniff(head: str) -> bool:
    """True when the first non-blank line is a MEDLINE tag line and a 'PMID- ' line starts a record."""
    lines = [line for line in head.lstrip("\ufeff").splitlines() if line.strip()][:40]
    return bool(lines) and bool(_TAG_LINE.match(lines[0])) and any(
        line.startswith("PMID-") for line in lines)


def parse(stream: BinaryIO, name: str) -> Iterator[Record | Unreadable]:
    """Every record in a MEDLINE file, one at a time; a record that cannot be read is yielded as
    Unreadable and the file goes on."""
    for position, (first_line, lines) in enumerate(_record_lines(numbered_lines(stream, name)), start=1):
        yield read_record(lines, SourceRef(name, position, first_line))


def _record_lines(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Groups of lines, one per record: records are separated by blank lines, and a 'PMID- ' line
    starts a new record even where an exporter left out the blank line."""
    current: list[tuple[int, str]] = []
    for number, text in lines:
        if not text.strip() or (text.startswith("PMID-") and current):
            if current:
                yield current[0][0], current
            current = [] if not text.strip() else [(number, text)]
        else:
            current.append((number, text))
    if current:
        yield current[0][0], current


def read_record(lines: list[tuple[int, str]], source: SourceRef) -> Record | Unreadable:
    """One record from its numbered lines, or Unreadable saying which line or field is wrong."""
    raw = "\n".join(text for _, text in lines)
    fields: list[tuple[str, str]] = []
    bad_line = None
    for number, text in lines:
        if text[:1].isspace() and fields:
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value} {text.strip()}" if value else text.strip())
        elif match := _TAG_LINE.match(text):
            fields.append((match.group("tag"), (match.group("value") or "").strip()))
        elif bad_line is None:
            bad_line = number
    pmid_values = [value for tag, value in fields if tag == "PMID"]
    pmid = normalize_pmid(pmid_values[0]) if pmid_values else None
    if bad_line is not None:
        reason = f"line {bad_line} is neither a 'TAG - value' line nor an indented continuation"
        return Unreadable(source, reason, pmid, raw)
    if not pmid_values:
        return Unreadable(source, "the record has no 'PMID- ' line", None, raw)
    if pmid is None:
        return Unreadable(source, f"'{pmid_values[0]}' is not a PMID", None, raw)
    builder = RecordBuilder(pmid)
    for tag, value in fields:
        if tag != "PMID":
            builder.add(tag, value)
    return builder.build(source, raw)
