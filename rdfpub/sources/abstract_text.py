"""Parser for the legacy PubMed "Abstract (text)" export: numbered citations, each a few blank-line-separated blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rdfpub.model import Record, SourceRef, Unreadable
from rdfpub.sources.abstract_text_record import read_record
from rdfpub.sources.text_lines import numbered_lines

NAME = "abstract-text"

_NUMBERED = re.compile(r"^(?P<number>\d{1,7})\. \S")
_CITATION = re.compile(r"^\d{1,7}\. .*?\b(?:1[6-9]|20)\d\d\b")
_PMID_LINE = re.compile(r"^PMID: *\d+")


def sniff(head: str) -> bool:
    """True when the file starts with a numbered citation ('1. J Affect Disord. 2014 Mar;...') and
    shows the export's own lines ('PMID: 123', 'Author information:') or a second numbered entry."""
    lines = [line.rstrip() for line in head.lstrip("\ufeff").splitlines()]
    filled = [line for line in lines if line.strip()]
    if not filled or not _CITATION.match(filled[0]) or any(line.startswith(("- PMID:", "PMID- ")) for line in lines):
        return False
    return any(_PMID_LINE.match(line) or line.startswith("Author information:") for line in lines) or (
        sum(1 for line in filled if _NUMBERED.match(line)) > 1)


def parse(stream: BinaryIO, name: str) -> Iterator[Record | Unreadable]:
    """Every citation in the export, one at a time; one that cannot be read is yielded as Unreadable
    and the file goes on."""
    for position, lines in enumerate(_record_lines(numbered_lines(stream, name)), start=1):
        yield read_record(lines, SourceRef(name, position, lines[0][0]))


def _record_lines(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Groups of lines, one per citation. A citation starts with 'N. ' after a blank line when N is
    the next number, or after two blank lines (the gap the export leaves between citations) whatever
    N is; so an abstract or a title that starts with '2. ' does not start one."""
    current: list[tuple[int, str]] = []
    blanks, expected = 2, None
    for number, text in lines:
        if not text.strip():
            blanks += 1
            if current:
                current.append((number, text))
            continue
        match = _NUMBERED.match(text)
        if match and blanks and (blanks >= 2 or int(match.group("number")) == expected):
            if current:
                yield _trim(current)
            current = []
            expected = int(match.group("number")) + 1
        if current or text.strip():
            current.append((number, text))
        blanks = 0
    if current:
        yield _trim(current)


def _trim(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    while lines and not lines[-1][1].strip():
        lines.pop()
    return lines
