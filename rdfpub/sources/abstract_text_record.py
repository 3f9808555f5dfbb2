"""One citation of the "Abstract (text)" export, block by block, read into a Record."""

from __future__ import annotations

import re
from dataclasses import replace

from rdfpub.identifiers import normalize_pmid
from rdfpub.model import (AbstractSection, Affiliation, Article, CommentCorrection, Identifier, Journal, PartialDate,
                          Record, SourceRef, Unreadable)
from rdfpub.sources.abstract_labels import split_lines
from rdfpub.sources.abstract_text_people import is_author_line, parse_affiliations, parse_authors
from rdfpub.sources.citation import parse_citation

# The export's headings for links to other records, and the CommentsCorrections RefType of each.
COMMENT_HEADINGS = {
    "Comment in": "CommentIn", "Comment on": "CommentOn", "Erratum in": "ErratumIn", "Erratum for": "ErratumFor",
    "Retraction in": "RetractionIn", "Retraction of": "RetractionOf", "Update in": "UpdateIn",
    "Update of": "UpdateOf", "Republished in": "RepublishedIn", "Republished from": "RepublishedFrom",
    "Expression of concern in": "ExpressionOfConcernIn", "Expression of concern for": "ExpressionOfConcernFor",
    "Summary for patients in": "SummaryForPatientsIn", "Original report in": "OriginalReportIn",
}
# '[Article in Chinese]' names languages in English; the model keeps MEDLINE's codes (LA).
LANGUAGES = {
    "English": "eng", "Chinese": "chi", "German": "ger", "French": "fre", "Japanese": "jpn", "Spanish": "spa",
    "Italian": "ita", "Russian": "rus", "Portuguese": "por", "Polish": "pol", "Czech": "cze", "Dutch": "dut",
    "Korean": "kor", "Hungarian": "hun", "Danish": "dan", "Swedish": "swe", "Norwegian": "nor", "Finnish": "fin",
    "Turkish": "tur", "Greek": "gre", "Hebrew": "heb", "Croatian": "hrv", "Serbian": "srp", "Slovak": "slo",
    "Slovenian": "slv", "Romanian": "rum", "Ukrainian": "ukr", "Bulgarian": "bul", "Lithuanian": "lit",
    "Persian": "per", "Arabic": "ara", "Icelandic": "ice", "Estonian": "est", "Latvian": "lav",
}
# What the export writes after the PMID and the citation status (MedlineCitation/@Status) it shows.
STATUSES = {"[Indexed for MEDLINE]": "MEDLINE", "[PubMed - indexed for MEDLINE]": "MEDLINE",
            "[PubMed - as supplied by publisher]": "Publisher", "[PubMed - in process]": "In-Process",
            "[PubMed]": "PubMed-not-MEDLINE"}
_ID_LINE = re.compile(r"^(?P<label>DOI|PMCID|PMID|NIHMSID): *(?P<value>\S*)\s*(?P<rest>.*?)\s*$")
_LANGUAGE = re.compile(r"^\[Article in (?P<names>[^;\]]+)(?:; (?P<more>[^\]]*))?\]$")
_AVAILABLE = re.compile(r"\[Available on (?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\]")
_COPYRIGHT = re.compile(r"^(?:Copyright|Crown Copyright|©|\(c\)|Published by)", re.IGNORECASE)
_HEADINGS = ("Author information:", "Collaborators:", "Conflict of interest statement:", "Publisher:")
_NUMBER = re.compile(r"^\d{1,7}\.\s+")


def _blocks(lines: list[tuple[int, str]]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for _, text in lines:
        if text.strip():
            blocks[-1].append(text.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [part for block in blocks if block for part in _split_ids(block)]


def _split_ids(block: list[str]) -> list[list[str]]:
    """A block and the identifier lines that end it, apart: after a 'Publisher:' abstract the export
    writes 'DOI:' and 'PMID:' lines with no blank line between."""
    start = len(block)
    while start > 1 and _ID_LINE.match(block[start - 1].strip()):
        start -= 1
    tail = block[start:]
    if tail and any(line.startswith("PMID:") for line in tail):
        return [block[:start], tail]
    return [block]


def _kind(block: list[str]) -> str:
    first = block[0].strip()
    if all(_ID_LINE.match(line.strip()) for line in block):
        return "ids"
    if first in COMMENT_HEADINGS:
        return "comments"
    if _LANGUAGE.match(" ".join(line.strip() for line in block)):
        return "language"
    return next((heading for heading in _HEADINGS if first.startswith(heading)), "free")


def _join(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def read_record(lines: list[tuple[int, str]], source: SourceRef) -> Record | Unreadable:
    """The citation in `lines`, or Unreadable when it has no citation line, no title or no PMID."""
    raw = "\n".join(text for _, text in lines)
    blocks = _blocks(lines)
    pmids = [m.group("value") for block in blocks if _kind(block) == "ids" for line in block
             if (m := _ID_LINE.match(line.strip())) and m.group("label") == "PMID"]
    pmid = normalize_pmid(pmids[0]) if pmids else None
    if not blocks or not _NUMBER.match(blocks[0][0]):
        return Unreadable(source, "no numbered citation line ('1. Journal. Year...') starts the record", pmid, raw)
    if not pmids:
        return Unreadable(source, "the record has no 'PMID:' line", None, raw)
    if pmid is None:
        return Unreadable(source, f"'{pmids[0]}' is not a PMID", None, raw)
    if len(blocks) < 2 or _kind(blocks[1]) != "free":
        return Unreadable(source, "no title block after the citation line", pmid, raw)
    return _Reader(pmid, source, raw).read(blocks)


class _Reader:
    def __init__(self, pmid: str, source: SourceRef, raw: str):
        self.pmid, self.source, self.raw = pmid, source, raw
        self.fields: dict = {}
        self.record: dict = {}
        self.notes: list[str] = []
        self.languages: list[str] = []
        self.comments: list[CommentCorrection] = []
        self.other_abstracts: list[AbstractSection] = []
        self.other_ids: list[Identifier] = []
        self.history: list[tuple[str, PartialDate]] = []

    def read(self, blocks: list[list[str]]) -> Record:
        citation = parse_citation(_NUMBER.sub("", _join(blocks[0])))
        self.notes += [f"Citation: {note}" for note in citation.notes]
        author_line, affiliations = None, {}
        rest = blocks[2:]
        for index, block in enumerate(rest):
            kind = _kind(block)
            following = next((_kind(b) for b in rest[index + 1:] if _kind(b) != "language"), None)
            if kind == "free" and author_line is None and "abstract" not in self.fields and (
                    following in {"Author information:", "Collaborators:"} or is_author_line(_join(block))):
                author_line = _join(block)
            elif kind == "free":
                self._free(block)
            elif kind == "Author information:":
                affiliations = parse_affiliations([block[0].strip()[len(kind):]] + block[1:])
            else:
                self._special(kind, block)
            if kind != "language" and author_line is None:
                author_line = ""  # names come right after the title (and language line) or not at all
        if "#" in affiliations:  # '(#)Contributed equally': said by the flag on each author
            self.notes.append(f"Author information: (#){affiliations.pop('#')}")
        authors = parse_authors(author_line or "", affiliations)
        if "" in affiliations and authors:  # an unnumbered affiliation is the first author's
            first = authors[0]
            authors = (replace(first, affiliations=first.affiliations + (Affiliation(affiliations[""]),)),
                       *authors[1:])
        elif "" in affiliations:
            self.notes.append(f"Author information: {affiliations['']}")
        fields = self.fields
        fields.setdefault("doi", citation.doi)
        elocations = [Identifier("pii", citation.pii)] if citation.pii else []
        elocations += [Identifier("doi", citation.doi)] if citation.doi else []
        if citation.ecollection:
            self.history.append(("ecollection", citation.ecollection))
        if citation.ahead_of_print:
            self.record["publication_status"] = "aheadofprint"
        article = Article(
            pmid=self.pmid, title=_join(blocks[1]), authors=authors, citation_text=citation.text,
            journal=Journal(medline_ta=citation.journal) if citation.journal else None,
            volume=citation.volume, issue=citation.issue, pages=citation.pages, published=citation.published,
            epublished=citation.epublished, languages=tuple(self.languages), notes=tuple(self.notes),
            comments_corrections=tuple(self.comments), other_abstracts=tuple(self.other_abstracts),
            other_ids=tuple(self.other_ids), elocations=tuple(elocations), **fields)
        return Record(article=article, source=self.source, raw=self.raw, history=tuple(self.history), **self.record)

    def _free(self, block: list[str]) -> None:
        """The first free block after the names is the abstract; the next, the copyright line."""
        text = _join(block)
        if "abstract" not in self.fields and not _COPYRIGHT.match(text):
            self.fields["abstract"], sections = split_lines(block)
            self.fields["abstract_sections"] = sections
        elif "copyright" not in self.fields:
            self.fields["copyright"] = text
        else:
            self.notes.append(text)

    def _special(self, kind: str, block: list[str]) -> None:
        text = _join(block)
        if kind == "ids":
            for line in block:
                self._id_line(_ID_LINE.match(line.strip()))
        elif kind == "comments":
            self._comments(COMMENT_HEADINGS[block[0].strip()], block[1:])
        elif kind == "language":
            match = _LANGUAGE.match(text)
            names = [name.strip() for name in match.group("names").split(",")]
            self.languages += [LANGUAGES.get(name, name) for name in names]
            if match.group("more"):
                self.notes.append(match.group("more"))
        elif kind == "Publisher:":
            self.other_abstracts.append(AbstractSection(text=text[len(kind):].strip(), label="Publisher"))
        else:  # Collaborators, conflict of interest statement: no field in the model
            self.notes.append(text)

    def _id_line(self, match: re.Match) -> None:
        label, value, rest = match.group("label", "value", "rest")
        if label == "DOI":
            self.fields["doi"] = value
        elif label == "PMCID" and value:
            self.fields["pmcid"] = value
            if available := _AVAILABLE.search(rest):
                date = PartialDate(*(int(available.group(k)) for k in "ymd"), text=available.group(0)[14:-1])
                self.history.append(("pmc-release", date))
                rest = _AVAILABLE.sub("", rest).strip()
        elif label == "NIHMSID":
            self.other_ids.append(Identifier("mid", value))
        elif label == "PMID" and rest in STATUSES:
            self.record["status"] = STATUSES[rest]
            rest = ""
        if rest:
            self.notes.append(f"{label}: {value} {rest}".strip())

    def _comments(self, kind: str, lines: list[str]) -> None:
        """One entry per indented line; a line that is not indented continues the entry above."""
        entries: list[str] = []
        for line in lines:
            if line.startswith(" ") or not entries:
                entries.append(line.strip())
            else:
                entries[-1] += " " + line.strip()
        self.comments += [CommentCorrection(kind=kind, source_text=entry) for entry in entries if entry]
