"""Parser for text copies of PubMed article pages: title, identifiers, abstract, similar, cited-by, references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from rdfpub.errors import ParseError
from rdfpub.model import Article, Journal, PublicationType, Record, Reference, SourceRef
from rdfpub.sources.dates import parse_pubmed_date
from rdfpub.sources.pagination import parse_pages

NAME = "pubmed-page"

# The section headings a PubMed page shows, in the words the page uses.
ABSTRACT, FIGURES, SIMILAR, CITED_BY, REFERENCES = (
    "Abstract", "Figures", "Similar articles", "Cited by", "References")
KNOWN_SECTIONS = {ABSTRACT, FIGURES, SIMILAR, CITED_BY, REFERENCES}
OTHER_SECTIONS = {
    "Comment in", "Comment on", "Erratum in", "Update of", "Update in", "Retraction in",
    "Publication types", "MeSH terms", "Substances", "Grants and funding", "Related information",
    "LinkOut - more resources", "Supplementary info", "Full text links", "Keywords",
    "Conflict of interest statement", "Associated data", "Expression of concern in",
}
# Tags on a summary entry that say where to read it, not what kind of publication it is.
AVAILABILITY_TAGS = {"Free PMC article", "Free article", "Free full text"}

_HEADER_ID = re.compile(r"^-\s*(PMID|PMCID|DOI):\s*(.*?)\s*$")
_ENTRY_PMID = re.compile(r"\bPMID:\s*(?P<pmid>\S+?)\.?(?=\s|$)(?P<tags>.*)$")
_SHORT_CITE = re.compile(r"\.\s+(?P<year>\d{4})\.$")
_CITE_HEAD = re.compile(
    r"^(?P<date>[^;:]+?)"
    r"(?:;(?P<volume>[^(:]*)(?:\((?P<issue>[^)]*)\))?)?"
    r"(?::(?P<pages>.+))?$")
_LINK_LABELS = re.compile(r"(?:\s+-\s+(?:PubMed|DOI|PMC|Free PMC article|Google Scholar|Free article))+\s*$")
_LINK_LABEL = re.compile(r"PubMed|DOI|PMC|Free PMC article|Google Scholar|Free article")
_REF_AUTHOR_YEAR = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>\d{4}[a-z]?)\)\s*(?P<rest>.+)$")
_REF_JOURNAL = re.compile(
    r"^(?P<journal>.+?)\s+(?P<volume>[0-9A-Za-z]+)(?:\s*\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>[^\s.]+)\.?$")


def sniff(head: str) -> bool:
    """True when the first lines look like a PubMed page copy: identifier lines such as '- PMID: 123'."""
    lines = head.splitlines()[:12]
    return any(line.startswith("- PMID:") for line in lines) and not any(
        line.startswith("PMID- ") for line in lines)


def parse(stream: BinaryIO, name: str) -> Iterator[Record]:
    """The one record a page copy holds."""
    text = stream.read().decode("utf-8").lstrip("\ufeff")
    lines = text.splitlines()
    yield replace(_parse_page(lines, SourceRef(name, 1, 1)), raw=text)


def _parse_page(lines: list[str], source: SourceRef) -> Record:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ParseError("the file is empty", source=source.name, hint="expected a PubMed page copy")
    title = lines[first].strip()
    ids: dict[str, str] = {}
    index = first + 1
    while index < len(lines) and (match := _HEADER_ID.match(lines[index])):
        ids[match.group(1)] = match.group(2)
        index += 1
    if "PMID" not in ids:
        raise ParseError("no '- PMID:' line under the title", source=source.name, line=first + 2,
                         hint="a PubMed page copy starts with the title, then '- PMID: <digits>'")
    sections = _split_sections(lines[index:], title)
    abstract = "\n".join(sections.pop(ABSTRACT, [])).strip() or None
    sections.pop(FIGURES, None)
    article = Article(pmid=ids.get("PMID"), pmcid=ids.get("PMCID") or None, doi=ids.get("DOI") or None,
                      title=title, abstract=abstract)
    return Record(
        article=article,
        source=source,
        similar=tuple(parse_summary_entry(text) for text in _entries(sections.pop(SIMILAR, []))),
        cited_by=tuple(parse_summary_entry(text) for text in _entries(sections.pop(CITED_BY, []))),
        references=tuple(parse_reference(position, text) for position, text in
                         enumerate(_reference_lines(sections.pop(REFERENCES, [])), start=1)),
        other_sections=tuple((heading, "\n".join(body).strip()) for heading, body in sections.items()
                             if "\n".join(body).strip()),
    )


def _split_sections(lines: list[str], title: str) -> dict[str, list[str]]:
    """Lines grouped under the section heading above them; text before any heading that is not
    the repeated title is kept under the heading ''."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        stripped = line.strip()
        if stripped in KNOWN_SECTIONS or stripped in OTHER_SECTIONS:
            current = stripped
            sections.setdefault(current, [])
        elif current == "" and stripped == title:
            continue
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _entries(lines: list[str]) -> list[str]:
    """Summary entries, which the page separates with lines holding a lone '-'."""
    entries, current = [], []
    for line in lines:
        if line.strip() == "-":
            entries.append(" ".join(current))
            current = []
        elif line.strip():
            current.append(line.strip())
    entries.append(" ".join(current))
    return [entry for entry in entries if entry]


def _reference_lines(lines: list[str]) -> list[str]:
    """Reference texts: each starts with '- '; a line without it continues the one before."""
    references: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped == "-":
            continue
        if stripped.startswith("- "):
            references.append(stripped[2:].strip())
        elif references:
            references[-1] += " " + stripped
        else:
            references.append(stripped)
    return references


def parse_summary_entry(text: str) -> Article:
    """A 'Similar articles' or 'Cited by' entry: title, citation, DOI, PMID and tags.

    The entry is `{title}{journal}. {date};{volume}({issue}):{pages}. doi: ... {journal}. {year}.
    PMID: {pmid} {tags}`: the journal abbreviation stands twice, and the short citation before the
    PMID tells where the title ends. Whatever does not fit that shape stays as `citation_text`.
    """
    text = " ".join(text.split())
    pmid_match = _ENTRY_PMID.search(text)
    if not pmid_match:
        return Article(citation_text=text)
    pmid = pmid_match.group("pmid")
    tags = tuple(tag.strip() for tag in pmid_match.group("tags").split(".") if tag.strip())
    head = text[: pmid_match.start()].rstrip()
    publication_types = tuple(PublicationType(tag) for tag in tags if tag not in AVAILABILITY_TAGS)
    notes = tuple(tag for tag in tags if tag in AVAILABILITY_TAGS)
    short = _SHORT_CITE.search(head)
    located = _locate_journal(head[: short.start()], short.group("year")) if short else None
    if located is None:
        return Article(pmid=pmid, citation_text=head, publication_types=publication_types, notes=notes)
    title, journal, citation = located
    fields = _citation_fields(citation)
    return Article(
        pmid=pmid,
        doi=fields.pop("doi", None),
        title=title or None,
        journal=Journal(medline_ta=journal),
        publication_types=publication_types,
        notes=notes + tuple(fields.pop("notes", ())),
        citation_text=head,
        **fields,
    )


def _locate_journal(before_short: str, year: str) -> tuple[str, str, str] | None:
    """(title, journal, citation after the journal) from the text before the short citation.

    The journal is the longest tail of that text which also stands earlier followed by '. {year}';
    what precedes that earlier place is the title.
    """
    starts = [0] + [i + 1 for i, char in enumerate(before_short) if char == " "]
    for start in starts:
        journal = before_short[start:].strip()
        if not journal:
            continue
        earlier = before_short[:start]
        match = re.search(re.escape(journal) + r"\.\s+(?=" + year + r"\b)", earlier)
        if match:
            return earlier[: match.start()].strip(), journal, earlier[match.end():].strip()
    return None


def _citation_fields(citation: str) -> dict:
    """Date, volume, issue, pages, DOI, e-publication date and leftovers from the citation."""
    fields: dict = {}
    notes: list[str] = []
    parts = [part.strip() for part in re.split(r"\.\s+", citation.rstrip(".")) if part.strip()]
    if parts and (head := _CITE_HEAD.match(parts[0])) and parse_pubmed_date(head.group("date")):
        fields["published"] = parse_pubmed_date(head.group("date"))
        fields["volume"] = (head.group("volume") or "").strip() or None
        fields["issue"] = (head.group("issue") or "").strip() or None
        fields["pages"] = parse_pages(head.group("pages") or "")
        parts = parts[1:]
    for part in parts:
        lower = part.lower()
        if lower.startswith("doi:"):
            fields["doi"] = part[4:].strip()
        elif lower.startswith("epub ") and (date := parse_pubmed_date(part[5:])):
            fields["epublished"] = date
        else:
            notes.append(part)
    fields["notes"] = notes
    return fields


def parse_reference(position: int, text: str) -> Reference:
    """A free-text reference: authors, year, title, journal, volume, pages where they can be read;
    the text itself always. Trailing link labels ('- PubMed', '- DOI') are kept apart."""
    text = " ".join(text.split())
    labels: tuple[str, ...] = ()
    if link_match := _LINK_LABELS.search(text):
        labels = tuple(_LINK_LABEL.findall(link_match.group(0)))
        text = text[: link_match.start()].rstrip()
    reference = Reference(position=position, text=text, link_labels=labels)
    match = _REF_AUTHOR_YEAR.match(text)
    if not match:
        return reference
    authors = tuple(name.strip() for name in match.group("authors").split(",") if name.strip())
    title, _, venue = match.group("rest").partition(". ")
    fields = {"authors": authors, "year": match.group("year"), "title": title.strip() or None}
    if venue_match := _REF_JOURNAL.match(venue.strip()):
        fields.update(journal=venue_match.group("journal"), volume=venue_match.group("volume"),
                      issue=venue_match.group("issue"), pages=venue_match.group("pages"))
    return Reference(position=position, text=text, link_labels=labels, **fields)
