"""Splitting a structured abstract written as plain text ("BACKGROUND: ... METHODS: ...") into sections."""

from __future__ import annotations

import re

from rdfpub.model import AbstractSection

# A label is a few words, the first capitalised ('BACKGROUND AND AIMS', 'Areas covered'), then ': '.
_FIRST = r"[A-Z][A-Za-z0-9'’()\-]*"
_WORD = r"[A-Za-z0-9][A-Za-z0-9'’()\-]*"
_LABEL = rf"{_FIRST}(?:(?: |/| ?& ?){_WORD})*?"
# Capitals make a label plain; a mixed-case one is kept short so that a sentence is not taken for one.
_MAX_WORDS, _MAX_MIXED_WORDS = 8, 4
# MEDLINE (AB) writes every section on one line: a label starts the text or follows a sentence end.
_INLINE = re.compile(rf"(?:^|(?<=[.?!)\]] ))(?P<label>{_LABEL}): ")
# The Abstract (text) export starts each section on a new line.
_LINE_START = re.compile(rf"^(?P<label>{_LABEL}): ")
_MAX_LABEL = 60  # characters


# Words that start sentences, not section labels ('The aim: ...', 'These results: ...').
_SENTENCE_STARTS = {"A", "An", "The", "This", "These", "That", "Those", "Their", "Its", "It", "We", "Our",
                    "In", "On", "Of", "For", "To", "With", "As", "At", "By", "From", "There", "Here"}


def _plausible(label: str) -> bool:
    if label.split()[0] in _SENTENCE_STARTS:
        return False
    limit = _MAX_WORDS if label.upper() == label else _MAX_MIXED_WORDS
    return len(label) <= _MAX_LABEL and len(label.split()) <= limit


def _same_style(first: str, label: str) -> bool:
    """Labels of one abstract share a style: all upper case, or not. Requiring it keeps a sentence
    such as '... in two groups. Group A: ...' from splitting an abstract whose labels are capitals."""
    return (first.upper() == first) == (label.upper() == label)


def split_inline(text: str) -> tuple[AbstractSection, ...]:
    """Sections of a MEDLINE abstract, or () when it does not start with a label or has only one.

    Labels are read only where they are clear: the first at the very start, each at a sentence end.
    """
    matches = [m for m in _INLINE.finditer(text) if _plausible(m.group("label"))]
    if not matches or matches[0].start() != 0:
        return ()
    first = matches[0].group("label")
    matches = [m for m in matches if _same_style(first, m.group("label"))]
    if len(matches) < 2:
        return ()
    sections = []
    for match, following in zip(matches, matches[1:] + [None]):
        end = following.start() if following else len(text)
        sections.append(AbstractSection(text=text[match.end():end].strip(), label=match.group("label")))
    return tuple(sections)


def split_lines(lines: list[str]) -> tuple[str, tuple[AbstractSection, ...]]:
    """The abstract as one string (lines joined as MEDLINE joins them) and its sections, read from
    labels that start a line; () when there are fewer than two such labels or text precedes the first."""
    text = " ".join(line.strip() for line in lines if line.strip())
    # A wrapped line may start with 'CI: 1.06-2.00' too; a label's line follows a sentence end.
    starts = [(i, m.group("label")) for i, line in enumerate(lines)
              if (m := _LINE_START.match(line.strip())) and _plausible(m.group("label"))
              and (i == 0 or lines[i - 1].rstrip().endswith((".", "?", "!", ")", "]")))]
    if not starts or starts[0][0] != 0:
        return text, ()
    starts = [(i, label) for i, label in starts if _same_style(starts[0][1], label)]
    if len(starts) < 2:
        return text, ()
    sections = []
    for (index, label), following in zip(starts, starts[1:] + [(len(lines), "")]):
        body = " ".join(line.strip() for line in lines[index:following[0]] if line.strip())
        sections.append(AbstractSection(text=body[len(label) + 1:].strip(), label=label))
    return text, tuple(sections)
