"""Small readers for PubMed XML elements: text, dates, authors, identifiers, abstracts, subjects, references."""

from __future__ import annotations

import functools
from xml.etree.ElementTree import Element

from rdfpub.model import (
    AbstractSection, Affiliation, Author, CommentCorrection, Concept, Grant, Identifier, Keyword,
    MeshHeading, MeshQualifier, PartialDate, PublicationType, Reference)
from rdfpub.sources.dates import checked, month_number, parse_pubmed_date

_AUTHOR_PARTS = {"LastName", "ForeName", "Initials", "Suffix", "CollectiveName", "Identifier", "AffiliationInfo",
                 "Affiliation"}


def text(element: Element | None) -> str | None:
    """All the text inside `element`, inner markup (<i>, <sup>, MathML) kept as its text, whitespace
    collapsed; None when there is none."""
    if element is None:
        return None
    written = element.text if len(element) == 0 else "".join(element.itertext())
    return " ".join(written.split()) or None if written else None


def child_text(parent: Element, tag: str) -> str | None:
    return text(parent.find(tag))


def is_yes(value: str | None) -> bool:
    return (value or "").strip().upper() == "Y"


def note(tag: str, element: Element) -> str:
    """A note for an element that has no field: its name, its attributes, its text."""
    attributes = ", ".join(f"{key}={value}" for key, value in element.attrib.items())
    label = f"{tag} ({attributes})" if attributes else tag
    body = text(element)
    return f"{label}: {body}" if body else label


def element_date(element: Element | None) -> PartialDate | None:
    """A date from Year/Month/Day (with Season, MedlineDate, Hour and Minute when present) to the
    precision the source gives; `text` keeps what the source wrote."""
    if element is None:
        return None
    # The same few dates recur in thousands of records (history, revision dates): read each once.
    return _date_from(tuple((child.tag, child.text) for child in element))


@functools.lru_cache(maxsize=8192)
def _date_from(children: tuple[tuple[str, str | None], ...]) -> PartialDate | None:
    parts = {tag: " ".join(value.split()) for tag, value in children if value and value.strip()}
    if medline := parts.get("MedlineDate"):
        return parse_pubmed_date(medline)
    year, month, day = parts.get("Year"), parts.get("Month"), parts.get("Day")
    season, hour, minute = parts.get("Season"), parts.get("Hour"), parts.get("Minute")
    written = " ".join(part for part in (year, month, day, season) if part)
    if hour is not None:
        written += f" {hour}:{(minute or '0').zfill(2)}"
    if not year or not year.isdigit() or len(year) != 4:
        return PartialDate(int(year), text=written, valid=False) if year and year.isdigit() else None
    if season:
        return PartialDate(int(year), text=written, period=True)
    number = None
    if month:
        number = (int(month) if 1 <= int(month) <= 12 else None) if month.isdigit() else month_number(month)
        if number is None:
            return PartialDate(int(year), text=written, valid=False)
    if day and not day.isdigit():
        return PartialDate(int(year), text=written, valid=False)
    return checked(int(year), number, int(day) if day else None, written)


def identifiers(parent: Element) -> tuple[Identifier, ...]:
    """The <Identifier Source="..."> children (ORCID, ROR, GRID, ISNI), values stripped."""
    found = []
    for element in parent.findall("Identifier"):
        value = text(element)
        if value:
            found.append(Identifier(element.get("Source", "").strip() or "unknown", value))
    return tuple(found)


def author(element: Element, notes: list[str]) -> Author:
    """One Author or Investigator; parts the model has no field for become notes."""
    names: dict[str, str | None] = {}
    affiliations, others = [], []
    for child in element:
        tag = child.tag
        if tag == "AffiliationInfo":
            affiliations.append(Affiliation(text(child.find("Affiliation")) or "", identifiers(child)))
        elif tag == "Affiliation":  # before 2013 the DTD had no AffiliationInfo
            affiliations.append(Affiliation(text(child) or ""))
        elif tag in _AUTHOR_PARTS:
            names[tag] = text(child)
        else:
            others.append(child)
    found = Author(
        last_name=names.get("LastName"), fore_name=names.get("ForeName"), initials=names.get("Initials"),
        suffix=names.get("Suffix"), collective_name=names.get("CollectiveName"),
        identifiers=identifiers(element) if "Identifier" in names else (),
        affiliations=tuple(a for a in affiliations if a.text or a.identifiers),
        equal_contribution=is_yes(element.get("EqualContrib")))
    if element.get("ValidYN", "Y") != "Y":
        notes.append(f"Author marked not valid (ValidYN=N): {found.name}")
    notes.extend(f"Author {found.name}: {note(child.tag, child)}" for child in others)
    return found


def author_list(element: Element | None, notes: list[str]) -> tuple[Author, ...]:
    if element is None:
        return ()
    if element.get("CompleteYN", "Y") != "Y":
        notes.append("AuthorList incomplete (CompleteYN=N): the source lists only some authors")
    return tuple(author(child, notes) for child in element.findall("Author"))


def abstract_sections(element: Element | None) -> tuple[AbstractSection, ...]:
    if element is None:
        return ()
    sections = []
    for part in element.findall("AbstractText"):
        body = text(part)
        if body:
            sections.append(AbstractSection(body, part.get("Label") or None, part.get("NlmCategory") or None))
    return tuple(sections)


def joined_abstract(sections: tuple[AbstractSection, ...]) -> str | None:
    """Sections as 'LABEL: text' paragraphs, one a line (unlabelled ones as their text)."""
    text_ = "\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)
    return text_ or None


def publication_types(elements) -> tuple[PublicationType, ...]:
    return tuple(PublicationType(name, element.get("UI") or None)
                 for element in elements if (name := text(element)))


def mesh_headings(element: Element | None, notes: list[str]) -> tuple[MeshHeading, ...]:
    if element is None:
        return ()
    headings = []
    for heading in element.findall("MeshHeading"):
        descriptor = heading.find("DescriptorName")
        qualifiers = tuple(MeshQualifier(name, q.get("UI") or None, is_yes(q.get("MajorTopicYN")))
                           for q in heading.findall("QualifierName") if (name := text(q)))
        name = text(descriptor)
        if not name:
            notes.append(f"MeshHeading without a descriptor: {text(heading) or 'empty'}")
            continue
        if descriptor.get("Type"):
            notes.append(f"MeSH descriptor type {descriptor.get('Type')}: {name}")
        headings.append(MeshHeading(name, descriptor.get("UI") or None, is_yes(descriptor.get("MajorTopicYN")),
                                    qualifiers))
    return tuple(headings)


def chemicals(element: Element | None) -> tuple[Concept, ...]:
    if element is None:
        return ()
    found = []
    for chemical in element.findall("Chemical"):
        substance = chemical.find("NameOfSubstance")
        registry = child_text(chemical, "RegistryNumber")
        name = text(substance)
        if name:
            found.append(Concept(name, substance.get("UI") or None, "chemical",
                                 registry if registry and registry != "0" else None))
    return tuple(found)


def supplementary_concepts(element: Element | None) -> tuple[Concept, ...]:
    if element is None:
        return ()
    return tuple(Concept(name, c.get("UI") or None, c.get("Type") or "supplementary")
                 for c in element.findall("SupplMeshName") if (name := text(c)))


def keywords(element: Element) -> tuple[Keyword, ...]:
    owner = element.get("Owner") or None
    return tuple(Keyword(word, is_yes(k.get("MajorTopicYN")), owner)
                 for k in element.findall("Keyword") if (word := text(k)))


def grants(element: Element | None, notes: list[str]) -> tuple[Grant, ...]:
    if element is None:
        return ()
    if element.get("CompleteYN", "Y") != "Y":
        notes.append("GrantList incomplete (CompleteYN=N)")
    return tuple(Grant(child_text(g, "GrantID"), child_text(g, "Acronym"), child_text(g, "Agency"),
                       child_text(g, "Country")) for g in element.findall("Grant"))


def comments_corrections(element: Element | None, notes: list[str]) -> tuple[CommentCorrection, ...]:
    if element is None:
        return ()
    found = []
    for link in element.findall("CommentsCorrections"):
        item = CommentCorrection(link.get("RefType") or "unknown", child_text(link, "RefSource"),
                                 child_text(link, "PMID"))
        if (remark := child_text(link, "Note")) is not None:
            notes.append(f"{item.kind} {item.source_text or ''} note: {remark}")
        found.append(item)
    return tuple(found)


def article_ids(element: Element | None) -> list[Identifier]:
    if element is None:
        return []
    return [Identifier(i.get("IdType") or "unknown", value)
            for i in element.findall("ArticleId") if (value := text(i))]


def references(lists, notes: list[str]) -> tuple[Reference, ...]:
    """Every Reference of every ReferenceList (nested ones too), numbered 1..n across them all;
    pubmed, doi and pmc ids fill their fields (the first of each), the rest go to other_ids."""
    found = []
    for sublist in (sub for top in lists for sub in top.iter("ReferenceList")):
        if (title := child_text(sublist, "Title")) is not None:
            notes.append(f"ReferenceList title: {title}")
        for reference in sublist.findall("Reference"):
            ids: dict[str, str] = {}
            others = []
            for ident in reference.iterfind("ArticleIdList/ArticleId"):
                scheme, value = ident.get("IdType") or "unknown", text(ident)
                if value and scheme in _REFERENCE_IDS and scheme not in ids:
                    ids[scheme] = value
                elif value:
                    others.append(Identifier(scheme, value))
            found.append(Reference(len(found) + 1, child_text(reference, "Citation") or "", pmid=ids.get("pubmed"),
                                   doi=ids.get("doi"), pmcid=ids.get("pmc"), other_ids=tuple(others)))
    return tuple(found)


_REFERENCE_IDS = {"pubmed", "doi", "pmc"}
