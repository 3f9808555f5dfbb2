"""Reading single MEDLINE field values: names, MeSH headings, chemicals, grants, ids and dates."""

from __future__ import annotations

import re

from rdfpub.model import Author, Concept, Grant, Identifier, MeshHeading, MeshQualifier, PartialDate
from rdfpub.mesh import mesh_ui
from rdfpub.sources.dates import checked

SUFFIXES = {"Jr", "Sr", "2nd", "3rd", "4th", "II", "III", "IV", "V"}
# The countries NLM writes last in a GR value ("id/acronym/agency/country"); a non-NIH grant may
# omit the country ("id/agency"), so the last part counts as a country only when it is one of these.
GRANT_COUNTRIES = {
    "United States", "United Kingdom", "Canada", "International", "Ireland", "Netherlands", "Germany",
    "France", "Italy", "Spain", "Switzerland", "Sweden", "Denmark", "Norway", "Finland", "Belgium",
    "Austria", "Australia", "New Zealand", "Japan", "China", "Korea", "Taiwan", "India", "Brazil",
    "Israel", "Portugal", "Poland", "Singapore", "South Africa", "Mexico", "Argentina", "Chile",
}
_ACRONYM = re.compile(r"[A-Z][A-Z_0-9]{1,5}")
_COMPACT_DATE = re.compile(r"(?P<year>\d{4})/?(?P<month>\d{2})/?(?P<day>\d{2})(?:\s+\d{2}:\d{2})?")
_SLASH_MONTH = re.compile(r"(?P<year>\d{4})/(?P<month>\d{2})")
_BRACKETED = re.compile(r"^(?P<value>.*?)\s*\[(?P<scheme>[^\]]+)\]$")
_PMID_IN_TEXT = re.compile(r"PMID:\s*(\d+)")


def person(full: str | None, short: str | None) -> Author:
    """An author or editor from FAU ('Last, Fore') and AU ('Last FI'), either of which may be missing.
    AU gives the initials and any suffix; FAU, when present, the exact split of last and fore name."""
    last = fore = initials = suffix = None
    if short:
        words = short.split()
        if len(words) > 1 and words[-1] in SUFFIXES:
            suffix = words.pop()
        if len(words) > 1 and words[-1].isupper() and words[-1].isalpha():
            initials = words.pop()
        last = " ".join(words) or None
    if full:
        last, _, fore = (part.strip() for part in full.partition(","))
        if suffix and fore.endswith(" " + suffix):
            fore = fore[: -len(suffix) - 1]
        fore = fore or None
    return Author(last_name=last, fore_name=fore, initials=initials, suffix=suffix)


def mesh_heading(value: str) -> MeshHeading:
    """'Depressive Disorder, Major/*drug therapy/therapy': a '*' marks a major topic. MEDLINE names
    headings without their unique ids: they are found in NLM's MeSH table (rdfpub/mesh/)."""
    descriptor, *qualifiers = value.split("/")
    name = descriptor.lstrip("*").strip()
    return MeshHeading(
        descriptor=name, ui=mesh_ui(name), major=descriptor.lstrip().startswith("*"),
        qualifiers=tuple(MeshQualifier(name=q.lstrip("*").strip(), ui=mesh_ui(q.lstrip("*"), "Q"),
                                       major=q.lstrip().startswith("*")) for q in qualifiers if q.strip()))


def chemical(value: str) -> Concept:
    """'690G0D6V8H (Ketamine)' or '0 (Antidepressive Agents)': NLM writes 0 when there is no number."""
    number, separator, name = value.partition(" (")
    if not separator or not name.endswith(")"):
        return Concept(name=value.strip(), ui=mesh_ui(value))
    number = number.strip()
    return Concept(name=name[:-1].strip(), ui=mesh_ui(name[:-1]), registry_number=None if number == "0" else number)


def grant(value: str) -> Grant:
    """'R01 MH000/MH/NIMH NIH HHS/United States'; other funders write 'id/agency[/country]' or just
    'agency', and ids may hold '/' themselves ('AL 1887/1-1/Deutsche Forschungsgemeinschaft')."""
    parts = [part.strip() for part in value.split("/")]
    country = parts.pop() if len(parts) > 1 and (parts[-1] in GRANT_COUNTRIES or not parts[-1]) else None
    agency = parts.pop() if parts else None
    acronym = parts.pop() if len(parts) > 1 and _ACRONYM.fullmatch(parts[-1]) else None
    grant_id = "/".join(parts) or None
    return Grant(grant_id=grant_id, acronym=acronym, agency=agency or None, country=country or None)


def identifier(value: str, default_scheme: str) -> Identifier:
    """'10.1093/x [doi]' or 'S0165-0327(13)00813-3 [pii]'; an unlabelled value gets `default_scheme`."""
    match = _BRACKETED.match(value.strip())
    if match:
        return Identifier(match.group("scheme"), match.group("value"))
    return Identifier(default_scheme, value.strip())


def labelled(value: str) -> Identifier:
    """'ORCID: 0000-...' or 'NLM: PMC4321837' as (label, value)."""
    scheme, separator, rest = value.partition(":")
    return Identifier(scheme.strip(), rest.strip()) if separator else Identifier("", value.strip())


def compact_date(value: str) -> PartialDate | None:
    """MEDLINE's record dates: '20140317', '2013/12/24 06:00', '2022/06/24' or '2019/05'."""
    text = value.strip()
    if match := _COMPACT_DATE.match(text):
        year, month, day = (int(match.group(key)) for key in ("year", "month", "day"))
        return checked(year, month if 1 <= month <= 12 else None, day, text)
    if match := _SLASH_MONTH.match(text):
        month = int(match.group("month"))
        return PartialDate(int(match.group("year")), month, text=text) if 1 <= month <= 12 else \
            PartialDate(int(match.group("year")), text=text, valid=False)
    if text[:4].isdigit():
        return PartialDate(int(text[:4]), text=text)
    return None


def history_entry(value: str) -> tuple[str, PartialDate] | None:
    """PHST '2018/07/12 00:00 [received]' as ('received', date)."""
    match = _BRACKETED.match(value.strip())
    date = compact_date(match.group("value")) if match else None
    return (match.group("scheme"), date) if match and date else None


def pmid_in(text: str) -> str | None:
    """The PMID a comment/correction line cites ('Lancet. 2010 Nov 6;376(9752):1524-5. PMID: 21036391')."""
    match = _PMID_IN_TEXT.search(text)
    return match.group(1) if match else None
