"""PubMed XML citations (PubmedArticle, MedlineCitation, DeleteCitation) read into the model."""

from __future__ import annotations

from dataclasses import replace
from xml.etree.ElementTree import Element

from rdfpub.model import AbstractSection, Affiliation, Article, Deletion, Identifier, Journal, Record, SourceRef
from rdfpub.sources import pubmed_xml_fields as f
from rdfpub.sources.pagination import parse_pages


class Unreadable(ValueError):
    """A record element that cannot become a Record; the message says why."""


def read_deletion(element: Element, source: SourceRef) -> Deletion:
    return Deletion(tuple(pmid for p in element.findall("PMID") if (pmid := f.text(p))), source)


def read_article(element: Element, source: SourceRef, raw: str | None) -> Record:
    """A PubmedArticle (MedlineCitation + PubmedData) or a bare MedlineCitation."""
    citation = element if element.tag == "MedlineCitation" else element.find("MedlineCitation")
    if citation is None:
        raise Unreadable(f"<{element.tag}> holds no <MedlineCitation>")
    notes: list[str] = []
    fields, facts = _citation(citation, notes)
    data = element.find("PubmedData")
    if data is not None:
        facts.update(read_pubmed_data(data, fields, notes))
    if element is not citation:
        note_other_children(element, {"MedlineCitation", "PubmedData"}, notes)
    return Record(article=Article(notes=tuple(notes), **fields), source=source, raw=raw, **facts)


def read_pmid(parent: Element, fields: dict) -> None:
    pmid = parent.find("PMID")
    fields["pmid"] = f.text(pmid)
    if not fields["pmid"]:
        raise Unreadable(f"<{parent.tag}> has no PMID")
    version = (pmid.get("Version") or "").strip()
    fields["pmid_version"] = int(version) if version.isdigit() else None


def _citation(citation: Element, notes: list[str]) -> tuple[dict, dict]:
    """Article fields and record facts from a MedlineCitation; children without a field become notes."""
    fields: dict = {}
    read_pmid(citation, fields)
    facts = {"status": citation.get("Status"), "owner": citation.get("Owner")}
    notes.extend(f"MedlineCitation {key}: {value}" for key, value in citation.attrib.items()
                 if key not in ("Status", "Owner"))
    mesh, keywords, journal_info = [], [], {}
    for child in citation:
        tag = child.tag
        if tag in ("PMID",):
            continue
        if tag in _RECORD_DATES:
            facts[_RECORD_DATES[tag]] = f.element_date(child)
        elif tag == "Article":
            _article(child, fields, notes)
        elif tag == "MedlineJournalInfo":
            journal_info = _journal_info(child, notes)
        elif tag == "MeshHeadingList":
            mesh.extend(f.mesh_headings(child, notes))
        elif tag == "ChemicalList":
            fields["chemicals"] = f.chemicals(child)
        elif tag == "SupplMeshList":
            fields["supplementary_concepts"] = f.supplementary_concepts(child)
        elif tag == "KeywordList":
            keywords.extend(f.keywords(child))
        elif tag == "CommentsCorrectionsList":
            fields["comments_corrections"] = f.comments_corrections(child, notes)
        elif tag == "OtherAbstract":
            _other_abstract(child, fields, notes)
        elif tag == "InvestigatorList":
            read_investigators(child, notes)
        elif tag in _LISTS:
            notes.extend(f.note(item.tag, item) for item in child)
        else:
            notes.append(f.note(tag, child))
    fields["mesh_headings"], fields["keywords"] = tuple(mesh), tuple(keywords)
    if journal_info:
        fields["journal"] = _with_journal(fields, journal_info)
    return fields, facts


_RECORD_DATES = {"DateCompleted": "completed", "DateRevised": "revised", "DateCreated": "created"}
# Lists with no field in the model: each item becomes one note.
_LISTS = {"GeneSymbolList", "PersonalNameSubjectList", "ObjectList", "ItemList"}


def _with_journal(fields: dict, parts: dict) -> Journal:
    journal = fields.get("journal")
    return replace(journal, **parts) if journal is not None else Journal(**parts)


def _article(article: Element, fields: dict, notes: list[str]) -> None:
    if article.get("PubModel"):
        notes.append(f"PubModel: {article.get('PubModel')}")
    authors: tuple = ()
    old_affiliation = None
    for child in article:
        tag = child.tag
        if tag == "Journal":
            _journal(child, fields, notes)
        elif tag == "ArticleTitle":
            fields["title"] = f.text(child)
        elif tag == "VernacularTitle":
            fields["vernacular_title"] = f.text(child)
        elif tag == "AuthorList":
            authors = f.author_list(child, notes)
        elif tag == "Affiliation":
            old_affiliation = f.text(child)
        elif tag == "ArticleDate":
            _article_date(child, fields, notes)
        elif not read_shared_part(tag, child, fields, notes):
            notes.append(f.note(tag, child))
    if old_affiliation:
        authors = _first_author_affiliation(authors, old_affiliation, notes)
    fields["authors"] = authors


def read_shared_part(tag: str, child: Element, fields: dict, notes: list[str]) -> bool:
    """Parts an Article and a BookDocument both have; False when `tag` is not one of them."""
    if tag == "Pagination":
        written = f.child_text(child, "MedlinePgn")
        if not written and (start := f.child_text(child, "StartPage")):
            end = f.child_text(child, "EndPage")
            written = f"{start}-{end}" if end else start
        fields["pages"] = parse_pages(written or "")
    elif tag == "ELocationID":
        if value := f.text(child):
            fields["elocations"] = fields.get("elocations", ()) + (Identifier(child.get("EIdType") or "unknown", value),)
        if child.get("ValidYN", "Y") != "Y":
            notes.append(f"ELocationID not valid (ValidYN=N): {value}")
    elif tag == "Abstract":
        fields["abstract_sections"] = f.abstract_sections(child)
        fields["abstract"] = f.joined_abstract(fields["abstract_sections"])
        fields["copyright"] = f.child_text(child, "CopyrightInformation")
    elif tag == "Language":
        if value := f.text(child):
            fields["languages"] = fields.get("languages", ()) + (value,)
    elif tag == "GrantList":
        fields["grants"] = f.grants(child, notes)
    elif tag in ("PublicationTypeList", "PublicationType"):
        found = f.publication_types(child.findall("PublicationType") if tag.endswith("List") else [child])
        fields["publication_types"] = fields.get("publication_types", ()) + found
    elif tag == "DataBankList":
        for bank in child.findall("DataBank"):
            numbers = ", ".join(n for n in map(f.text, bank.iter("AccessionNumber")) if n)
            notes.append(f"DataBank {f.child_text(bank, 'DataBankName')}: {numbers}")
    else:
        return False
    return True


def _first_author_affiliation(authors: tuple, affiliation: str, notes: list[str]) -> tuple:
    """Before 2014 MEDLINE gave one affiliation, the first author's, at Article level (MEDLINE
    element description for <Affiliation>); it is put back on that author."""
    if authors and not authors[0].affiliations:
        return (replace(authors[0], affiliations=(Affiliation(affiliation),)),) + authors[1:]
    notes.append(f"Affiliation: {affiliation}")
    return authors


def _journal(journal: Element, fields: dict, notes: list[str]) -> None:
    parts: dict = {}
    for child in journal:
        tag = child.tag
        if tag == "ISSN":
            kind = "issn_electronic" if child.get("IssnType") == "Electronic" else "issn_print"
            parts[kind] = f.text(child)
        elif tag == "Title":
            parts["title"] = f.text(child)
        elif tag == "ISOAbbreviation":
            parts["iso_abbreviation"] = f.text(child)
        elif tag == "JournalIssue":
            if child.get("CitedMedium"):
                notes.append(f"CitedMedium: {child.get('CitedMedium')}")
            fields["volume"] = f.child_text(child, "Volume")
            fields["issue"] = f.child_text(child, "Issue")
            fields["published"] = f.element_date(child.find("PubDate"))
        else:
            notes.append(f.note(f"Journal {tag}", child))
    fields["journal"] = _with_journal(fields, parts)


def _journal_info(info: Element, notes: list[str]) -> dict:
    parts: dict = {}
    for child in info:
        tag = child.tag
        if tag == "ISSNLinking":
            parts["issn_linking"] = f.text(child)
        elif tag.lower() == "nlmuniqueid":  # one edited file spells it NLMUniqueID
            parts["nlm_id"] = f.text(child)
        elif tag in ("MedlineTA", "Country") and f.text(child):
            parts["medline_ta" if tag == "MedlineTA" else "country"] = f.text(child)
        else:
            notes.append(f.note(tag, child))
    return parts


def _article_date(child: Element, fields: dict, notes: list[str]) -> None:
    date = f.element_date(child)
    if child.get("DateType", "Electronic") == "Electronic" and "epublished" not in fields:
        fields["epublished"] = date
    else:
        notes.append(f"ArticleDate ({child.get('DateType')}): {date.isoformat() if date else f.text(child)}")


def _other_abstract(child: Element, fields: dict, notes: list[str]) -> None:
    sections = f.abstract_sections(child)
    kind = child.get("Type") or None
    if sections:
        fields["other_abstracts"] = fields.get("other_abstracts", ()) + (
            AbstractSection(f.joined_abstract(sections), kind),)
    if child.get("Language"):
        notes.append(f"OtherAbstract ({kind}) language: {child.get('Language')}")
    if (rights := f.child_text(child, "CopyrightInformation")) is not None:
        notes.append(f"OtherAbstract ({kind}) copyright: {rights}")


def read_investigators(child: Element, notes: list[str]) -> None:
    for person in child.findall("Investigator"):
        found = f.author(person, notes)
        where = "; ".join(a.text for a in found.affiliations)
        ids = ", ".join(f"{i.scheme} {i.value}" for i in found.identifiers)
        notes.append("Investigator: " + found.name + "".join(f" ({extra})" for extra in (ids, where) if extra))


def read_pubmed_data(data: Element, fields: dict, notes: list[str]) -> dict:
    """Record facts from PubmedData or PubmedBookData; ArticleIdList fills the article's identifiers."""
    facts: dict = {}
    for child in data:
        tag = child.tag
        if tag == "History":
            facts["history"] = tuple((p.get("PubStatus") or "unknown", date) for p in child.findall("PubMedPubDate")
                                     if (date := f.element_date(p)) is not None)
        elif tag == "PublicationStatus":
            facts["publication_status"] = f.text(child)
        elif tag == "ArticleIdList":
            read_article_ids(f.article_ids(child), fields, notes)
        elif tag == "ReferenceList":
            continue
        elif tag in _LISTS:
            notes.extend(f.note(item.tag, item) for item in child)
        else:
            notes.append(f.note(tag, child))
    facts["references"] = f.references(data.findall("ReferenceList"), notes)
    return facts


def read_article_ids(ids: list[Identifier], fields: dict, notes: list[str]) -> None:
    """pubmed, doi and pmc ids fill their fields (first one wins); the rest go to other_ids."""
    others = list(fields.get("other_ids", ()))
    for ident in ids:
        if ident.scheme == "pubmed" and ident.value == fields.get("pmid"):
            continue
        key = {"doi": "doi", "pmc": "pmcid"}.get(ident.scheme)
        if key and not fields.get(key):
            fields[key] = ident.value
        else:
            others.append(ident)
    fields["other_ids"] = tuple(others)
    if not fields.get("doi"):
        # The MedlineCitationSet format has no ArticleIdList: its DOI is only an ELocationID.
        fields["doi"] = next((e.value for e in fields.get("elocations", ()) if e.scheme == "doi"), None)


def note_other_children(element: Element, known: set[str], notes: list[str]) -> None:
    notes.extend(f.note(child.tag, child) for child in element if child.tag not in known)
