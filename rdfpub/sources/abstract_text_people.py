"""Authors of the PubMed "Abstract (text)" export: the author line and its numbered affiliations."""

from __future__ import annotations

import re

from rdfpub.model import Affiliation, Author

_SUFFIXES = r"Jr|Sr|2nd|3rd|4th|II|III|IV"
_PERSON = re.compile(rf"^(?P<last>[^\d(),;:.]+?) (?P<initials>[^\W\d_]{{1,4}})(?: (?P<suffix>{_SUFFIXES}))?$")
# '(1)(2)' point to affiliations; '(#)' marks authors who contributed equally.
_MARKS = re.compile(r"(?:\((?:\d+|#)\))+$")
_NUMBERED = re.compile(r"^\((?P<number>\d+|#)\)\s*(?P<text>.*)$")
# Particles a person's last name may hold in lower case ('van der Berg', 'Ruiz de la Torre').
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "la", "le", "dos",
              "das", "do", "te", "ten", "ter", "bin", "ibn", "al", "el", "y", "zu", "af", "av"}
# Words of a group's name, not a person's ('Italian National Task Force on Hepatitis A').
_GROUP_WORDS = {"group", "groups", "consortium", "collaboration", "collaborative", "collaborators", "network",
                "committee", "task", "force", "study", "studies", "investigators", "team", "society",
                "association", "trial", "trials", "program", "programme", "initiative", "council", "working",
                "alliance", "foundation", "board", "panel", "registry", "project", "organization",
                "organisation", "staff", "members", "writing", "steering", "national", "international"}
# Lower-case words a group's name may hold; any other lower-case word makes the text a sentence.
_NAME_WORDS = {"of", "for", "the", "and", "on", "in", "de", "der", "van", "von", "del", "della", "di", "da",
               "la", "le", "du", "des", "und", "y", "e", "et", "&", "with", "to", "at", "an", "a"}


def _person(token: str) -> tuple[str, str | None, str | None] | None:
    """(last name, initials, suffix) of 'Last FI'. Initials are capitals ('ÅV'), or a capital and
    small letters as some names have ('SLj', 'Md'), but 'Staff' or 'Team' is no one's initials.
    A lone word that is not in capitals is a person known by one name ('Navgeet')."""
    if " " not in token and token[:1].isupper() and not token.isupper() and token.isalpha():
        return token, None, None
    match = _PERSON.match(token)
    if not match or _group_name(match.group("last")):
        return None
    initials = match.group("initials")
    upper = sum(1 for char in initials if char.isupper())
    if initials[0].isupper() and (upper == len(initials) or (len(initials) <= 3 and upper >= len(initials) - 1)):
        return match.group("last"), initials, match.group("suffix")
    return None


def _group_name(last: str) -> bool:
    """True when what stands before the 'initials' is a group's name, not a person's last name:
    a group's word, a lower-case word no surname holds, or more capitalised words than surnames have."""
    words = last.split()
    capitalised = [word for word in words if word[:1].isupper()]
    return (any(word.lower() in _GROUP_WORDS for word in words) or len(capitalised) > 3
            or any(word.isalpha() and word.islower() and word not in _PARTICLES for word in words))


def _looks_collective(token: str) -> bool:
    words = token.replace("(", " ").replace(")", " ").split()
    return bool(words) and len(token) <= 150 and ". " not in token and all(
        not word[0].islower() or word in _NAME_WORDS for word in words)


def _tokens(line: str) -> list[list[str]]:
    """The author line as segments split at ';' (a collective name follows one), each split at ','."""
    line = line.strip().removesuffix(".")
    return [[token.strip() for token in segment.split(", ") if token.strip()] for segment in line.split("; ")]


def is_author_line(text: str) -> bool:
    """True when `text` reads as a list of names ('Smith J(1), Doe A(2); Some Study Group.'), not a
    sentence: an abstract has lower-case words a name list cannot have."""
    text = " ".join(text.split())
    if not text.endswith(".") or ":" in text:
        return False
    tokens = [_MARKS.sub("", token) for segment in _tokens(text) for token in segment]
    return bool(tokens) and all(_person(token) or _looks_collective(token) for token in tokens)


def parse_authors(text: str, affiliations: dict[str, str]) -> tuple[Author, ...]:
    """Authors in order, each with the affiliations its '(n)' marks point to. A name that is not
    'Last FI' is a group's: the export puts one after '; ', and its name may hold commas."""
    authors: list[Author] = []
    for segment in _tokens(" ".join(text.split())):
        pending: list[str] = []  # parts of a collective name not yet closed
        marks: list[str] = []
        for token in segment:
            found = re.findall(r"\d+|#", match.group(0)) if (match := _MARKS.search(token)) else []
            name = _MARKS.sub("", token).strip().rstrip(",").strip()
            person = _person(name)
            if person and pending:  # a personal name closes the collective name before it
                authors.append(_collective(pending, marks, affiliations))
                pending, marks = [], []
            if person:
                last, initials, suffix = person
                authors.append(Author(last_name=last, initials=initials, suffix=suffix, equal_contribution="#" in found,
                                      affiliations=_affiliations(found, affiliations)))
                continue
            pending.append(name)
            marks += found
            if found:  # marks end a name
                authors.append(_collective(pending, marks, affiliations))
                pending, marks = [], []
        if pending:
            authors.append(_collective(pending, marks, affiliations))
    return tuple(authors)


def _collective(parts: list[str], marks: list[str], affiliations: dict[str, str]) -> Author:
    return Author(collective_name=", ".join(parts), equal_contribution="#" in marks,
                  affiliations=_affiliations(marks, affiliations))


def _affiliations(numbers: list[str], affiliations: dict[str, str]) -> tuple[Affiliation, ...]:
    return tuple(Affiliation(text=affiliations[number]) for number in numbers
                 if number != "#" and number in affiliations)


def parse_affiliations(lines: list[str]) -> dict[str, str]:
    """'(1)Dept ...' entries of the 'Author information:' block by number; an entry may run over
    several lines. Unnumbered text (older records: the first author's) is filed under ''."""
    entries: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        match = _NUMBERED.match(line.strip())
        if match:
            current = match.group("number")
            entries[current] = [match.group("text")]
        elif line.strip():
            entries.setdefault(current, []).append(line.strip())
    return {number: " ".join(parts).strip() for number, parts in entries.items() if " ".join(parts).strip()}
