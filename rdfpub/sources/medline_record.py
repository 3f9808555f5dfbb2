"""Building one Record from the (tag, value) fields of a MEDLINE record, tag by tag."""

from __future__ import annotations

from dataclasses import replace

from rdfpub.model import (AbstractSection, Affiliation, Article, Author, Book, CommentCorrection, Concept, Journal,
                          Keyword, PublicationType, Record, SourceRef)
from rdfpub.sources import medline_values as values
from rdfpub.sources.abstract_labels import split_inline
from rdfpub.sources.dates import parse_pubmed_date
from rdfpub.sources.pagination import parse_pages

# Comment/correction tags and the CommentsCorrections RefType each stands for in PubMed XML.
COMMENT_TAGS = {
    "CIN": "CommentIn", "CON": "CommentOn", "EIN": "ErratumIn", "EFR": "ErratumFor",
    "RIN": "RetractionIn", "ROF": "RetractionOf", "UIN": "UpdateIn", "UOF": "UpdateOf",
    "RPI": "RepublishedIn", "RPF": "RepublishedFrom", "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom", "SPIN": "SummaryForPatientsIn", "ORI": "OriginalReportIn",
    "ECI": "ExpressionOfConcernIn", "ECF": "ExpressionOfConcernFor",
    "RRI": "RetractionAndRepublicationIn", "RRF": "RetractionAndRepublicationFrom",
}
# Tags whose value is one article field; a repeat goes to the notes rather than overwrite it.
ARTICLE_TEXT = {"TI": "title", "AB": "abstract", "CI": "copyright", "VI": "volume", "IP": "issue",
                "TT": "vernacular_title", "SO": "citation_text"}
RECORD_TEXT = {"STAT": "status", "OWN": "owner", "PST": "publication_status"}
# DRDT is a Bookshelf record's revision date, where a journal article's is LR.
RECORD_DATES = {"DCOM": "completed", "LR": "revised", "DRDT": "revised", "DA": "created"}
# Record dates that PHST lines also give, under the PubStatus each one is.
HISTORY_DATES = {"CRDT": "entrez", "EDAT": "pubmed", "MHDA": "medline", "PMCR": "pmc-release"}
JOURNAL_TEXT = {"TA": "medline_ta", "JT": "title", "JID": "nlm_id"}
ISSN_KINDS = {"Print": "issn_print", "Electronic": "issn_electronic", "Linking": "issn_linking"}
BOOK_TEXT = {"BTI": "title", "PB": "publisher", "EN": "edition", "CTI": "collection_title"}
# People tags: (full-name tag, short-name tag) per role. Investigators have no model field.
AUTHOR_TAGS, EDITOR_TAGS, INVESTIGATOR_TAGS = {"FAU", "AU", "CN"}, {"FED", "ED"}, {"FIR", "IR", "IRAD"}


class RecordBuilder:
    """Collects one record's fields in the order they come, then freezes them into a Record."""

    def __init__(self, pmid: str):
        self.pmid = pmid
        self.article: dict = {}
        self.record: dict = {}
        self.journal: dict = {}
        self.book: dict = {}
        self.lists: dict[str, list] = {key: [] for key in (
            "notes", "languages", "publication_types", "mesh_headings", "chemicals", "supplementary_concepts",
            "keywords", "grants", "comments_corrections", "elocations", "other_ids", "other_abstracts",
            "history", "record_dates", "isbns")}
        self.people: dict[str, list[dict]] = {"authors": [], "editors": []}
        self.last_people: str | None = None  # which list AUID and AD lines attach to
        self.keyword_owner: str | None = None
        self.book_location: str | None = None
        self.investigators_seen = False
        self.early_affiliations: list[Affiliation] = []

    def note(self, tag: str, value: str) -> None:
        self.lists["notes"].append(f"{tag}: {value}")

    def add(self, tag: str, value: str) -> None:
        if tag in ARTICLE_TEXT:
            self._set(self.article, ARTICLE_TEXT[tag], tag, value)
        elif tag in RECORD_TEXT:
            self._set(self.record, RECORD_TEXT[tag], tag, value)
        elif tag in RECORD_DATES:
            self._set(self.record, RECORD_DATES[tag], tag, values.compact_date(value), value)
        elif tag == "CTDT":  # a Bookshelf chapter's contribution date
            self._set(self.article, "contributed", tag, values.compact_date(value), value)
        elif tag in HISTORY_DATES:
            if tag == "CRDT":
                self.record.setdefault("entrez", values.compact_date(value))
            if date := values.compact_date(value):
                self.lists["record_dates"].append((HISTORY_DATES[tag], date))
        elif tag == "PHST" and (entry := values.history_entry(value)):
            self.lists["history"].append(entry)
        elif tag in JOURNAL_TEXT:
            self._set(self.journal, JOURNAL_TEXT[tag], tag, value)
        elif tag == "IS":
            self._issn(value)
        elif tag in BOOK_TEXT:
            self._set(self.book, BOOK_TEXT[tag], tag, value)
        elif tag in COMMENT_TAGS:
            self.lists["comments_corrections"].append(
                CommentCorrection(kind=COMMENT_TAGS[tag], source_text=value, pmid=values.pmid_in(value)))
        elif tag in AUTHOR_TAGS | EDITOR_TAGS:
            self._person(tag, value)
        elif tag in {"AUID", "AD"} and self.last_people:
            self._attach(tag, value)
        elif tag == "AD" and not self.people["authors"] and not self.investigators_seen:
            # Records before 2014 give one AD, ahead of the authors: the first author's affiliation.
            self.early_affiliations.append(Affiliation(text=value))
        else:
            self._other(tag, value)

    def _other(self, tag: str, value: str) -> None:
        lists = self.lists
        if tag == "DP":
            self._set(self.article, "published", tag, parse_pubmed_date(value), value)
        elif tag == "DEP":
            self._set(self.article, "epublished", tag, values.compact_date(value), value)
        elif tag == "PG":
            self._set(self.article, "pages", tag, parse_pages(value), value)
        elif tag == "PMC":
            self._set(self.article, "pmcid", tag, value)
        elif tag in {"LID", "AID"}:
            identifier = values.identifier(value, "elocation" if tag == "LID" else "unlabelled")
            if identifier.scheme == "doi":
                self.article.setdefault("doi", identifier.value)
            if tag == "LID":
                lists["elocations"].append(identifier)
            elif identifier.scheme != "doi":
                lists["other_ids"].append(identifier)
        elif tag == "MID":
            lists["other_ids"].append(values.identifier(value, "mid"))
        elif tag == "OID":
            lists["other_ids"].append(values.labelled(value))
        elif tag == "LA":
            lists["languages"].append(value)
        elif tag == "PT":
            lists["publication_types"].append(PublicationType(value))
        elif tag == "MH":
            lists["mesh_headings"].append(values.mesh_heading(value))
        elif tag == "RN":
            lists["chemicals"].append(values.chemical(value))
        elif tag == "NM":
            # MEDLINE text does not say which kind of supplementary concept a name is.
            lists["supplementary_concepts"].append(Concept(name=value, kind="supplementary"))
        elif tag == "OTO":
            self.keyword_owner = value
        elif tag == "OT":
            lists["keywords"].append(Keyword(value.lstrip("*").strip(), value.startswith("*"), self.keyword_owner))
        elif tag == "GR":
            lists["grants"].append(values.grant(value))
        elif tag == "OAB":
            lists["other_abstracts"].append(AbstractSection(text=value))
        elif tag == "ISBN":
            lists["isbns"].append(value)
        elif tag == "PL" and self.book_location is None:
            self.book_location = value  # the journal's country, or a book's place of publication
        else:
            if tag in INVESTIGATOR_TAGS:
                self.last_people, self.investigators_seen = None, True  # their AUID/AD go to the notes too
            self.note(tag, value)

    def _set(self, target: dict, key: str, tag: str, parsed, text: str | None = None) -> None:
        """Set a single-valued field once; keep a repeat or a value that cannot be read as a note."""
        if parsed is None or key in target:
            self.note(tag, text if text is not None else str(parsed))
        else:
            target[key] = parsed

    def _issn(self, value: str) -> None:
        number, _, kind = value.partition(" (")
        key = ISSN_KINDS.get(kind.rstrip(")").strip())
        if key is None:
            self.note("IS", value)
        else:
            self._set(self.journal, key, "IS", number.strip(), value)

    def _person(self, tag: str, value: str) -> None:
        role = "editors" if tag in EDITOR_TAGS else "authors"
        people = self.people[role]
        self.last_people = role
        if tag == "CN":
            people.append({"collective": value})
        elif tag in {"FAU", "FED"}:
            people.append({"full": value})
        elif people and "full" in people[-1] and "short" not in people[-1]:
            people[-1]["short"] = value  # AU right after its FAU
        else:
            people.append({"short": value})  # old records have AU without FAU

    def _attach(self, tag: str, value: str) -> None:
        person = self.people[self.last_people][-1]
        key = "ids" if tag == "AUID" else "affiliations"
        person.setdefault(key, []).append(
            values.labelled(value) if tag == "AUID" else Affiliation(text=value))

    def build(self, source: SourceRef, raw: str) -> Record:
        article, lists = dict(self.article), self.lists
        editors = tuple(_freeze(entry) for entry in self.people["editors"])
        if self.book:
            article["kind"] = "book-chapter" if article.get("title") else "book"
            article.setdefault("title", self.book.get("title"))
            article["book"] = Book(publisher_location=self.book_location, isbns=tuple(lists["isbns"]),
                                   editors=editors, volume=article.get("volume"),
                                   published=article.get("published"), **self.book)
        else:
            if self.book_location is not None:  # an article's PL is its journal's country
                self.journal.setdefault("country", self.book_location)
            lists["notes"] += [f"ISBN: {isbn}" for isbn in lists["isbns"]]
            lists["notes"] += [f"FED: {editor.name}" for editor in editors]
        authors = [_freeze(entry) for entry in self.people["authors"]]
        if authors and self.early_affiliations:
            authors[0] = replace(authors[0], affiliations=tuple(self.early_affiliations) + authors[0].affiliations)
        else:
            lists["notes"] += [f"AD: {affiliation.text}" for affiliation in self.early_affiliations]
        if self.journal:
            article["journal"] = Journal(**self.journal)
        if article.get("abstract"):
            article["abstract_sections"] = split_inline(article["abstract"])
        for key in ("languages", "publication_types", "mesh_headings", "chemicals", "supplementary_concepts",
                    "keywords", "grants", "comments_corrections", "elocations", "other_ids", "other_abstracts",
                    "notes"):
            article[key] = tuple(lists[key])
        record = dict(self.record)
        record.setdefault("created", record.pop("entrez", None))
        record.pop("entrez", None)
        return Record(article=Article(pmid=self.pmid, authors=tuple(authors), **article), source=source,
                      raw=raw, history=_history(lists["history"], lists["record_dates"]), **record)


def _freeze(entry: dict) -> Author:
    author = Author(collective_name=entry["collective"]) if "collective" in entry else values.person(
        entry.get("full"), entry.get("short"))
    return replace(author, identifiers=tuple(entry.get("ids", ())),
                   affiliations=tuple(entry.get("affiliations", ())))


def _history(history: list, record_dates: list) -> tuple:
    """The PHST dates, then those of CRDT, EDAT, MHDA and PMCR that no PHST line already gives."""
    statuses = {status for status, _ in history}
    return tuple(history + [(status, date) for status, date in record_dates if status not in statuses])
