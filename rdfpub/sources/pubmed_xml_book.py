"""PubMed XML books and chapters (PubmedBookArticle: BookDocument and PubmedBookData) read into the model."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from rdfpub.model import Article, Book, Record, SourceRef
from rdfpub.sources import pubmed_xml_fields as f
from rdfpub.sources import pubmed_xml_records as r


def read_book(element: Element, source: SourceRef, raw: str | None) -> Record:
    """A PubmedBookArticle: a whole book, or a chapter (it has a title or location label of its own)."""
    document = element.find("BookDocument")
    if document is None:
        raise r.Unreadable("<PubmedBookArticle> holds no <BookDocument>")
    notes: list[str] = []
    fields, facts = _book_document(document, notes)
    data = element.find("PubmedBookData")
    if data is not None:
        facts.update(r.read_pubmed_data(data, fields, notes))
    r.note_other_children(element, {"BookDocument", "PubmedBookData"}, notes)
    return Record(article=Article(notes=tuple(notes), **fields), source=source, raw=raw, **facts)


def _book_document(document: Element, notes: list[str]) -> tuple[dict, dict]:
    fields: dict = {}
    r.read_pmid(document, fields)
    facts: dict = {}
    authors, book_authors, keywords = (), (), []
    chapter = False
    for child in document:
        tag = child.tag
        if tag == "PMID":
            continue
        if tag == "Book":
            fields["book"], book_authors = _book(child, notes)
        elif tag == "ArticleIdList":
            r.read_article_ids(f.article_ids(child), fields, notes)
        elif tag in ("ArticleTitle", "LocationLabel"):
            chapter = True
            if tag == "ArticleTitle":
                fields["title"] = f.text(child)
            else:
                notes.append(f.note(tag, child))
        elif tag == "VernacularTitle":
            fields["vernacular_title"] = f.text(child)
        elif tag == "AuthorList":
            authors = f.author_list(child, notes)
        elif tag == "InvestigatorList":
            r.read_investigators(child, notes)
        elif tag == "KeywordList":
            keywords.extend(f.keywords(child))
        elif tag == "DateRevised":
            facts["revised"] = f.element_date(child)
        elif tag == "ContributionDate":
            fields["contributed"] = f.element_date(child)
        elif tag == "Sections":
            notes.extend(_section_notes(child))
        elif tag == "ReferenceList":
            facts["references"] = f.references([child], notes)
        elif not r.read_shared_part(tag, child, fields, notes):
            notes.append(f.note(tag, child))  # CitationString, ...
    book = fields.get("book")
    fields["kind"] = "book-chapter" if chapter else "book"
    if not chapter and book is not None:
        fields["title"], fields["published"] = book.title, book.published
    if authors:
        notes.extend(f"Book author: {a.name}" for a in book_authors)
    fields["authors"], fields["keywords"] = authors or book_authors, tuple(keywords)
    return fields, facts


def _book(book: Element, notes: list[str]) -> tuple[Book, tuple]:
    """The Book element; its authors come back apart (they are the record's authors for a whole book)."""
    parts: dict = {"isbns": ()}
    authors: tuple = ()
    for child in book:
        tag = child.tag
        if tag == "Publisher":
            parts["publisher"] = f.child_text(child, "PublisherName")
            parts["publisher_location"] = f.child_text(child, "PublisherLocation")
        elif tag in _BOOK_TEXT:
            parts[_BOOK_TEXT[tag]] = f.text(child)
            if child.attrib:  # NCBI Bookshelf ids of the book or collection: book="nicecg79"
                notes.append(f"{tag} ids: " + ", ".join(f"{k}={v}" for k, v in child.attrib.items()))
        elif tag == "Isbn":
            parts["isbns"] += (f.text(child),) if f.text(child) else ()
        elif tag == "PubDate":
            parts["published"] = f.element_date(child)
        elif tag == "AuthorList":
            if child.get("Type") == "editors":
                parts["editors"] = f.author_list(child, notes)
            else:
                authors = f.author_list(child, notes)
        elif tag == "InvestigatorList":
            r.read_investigators(child, notes)
        else:
            notes.append(f.note(f"Book {tag}", child))  # VolumeTitle, BeginningDate, ReportNumber, ...
    return Book(**parts), authors


_BOOK_TEXT = {"BookTitle": "title", "Edition": "edition", "CollectionTitle": "collection_title",
              "Volume": "volume", "Medium": "medium"}


def _section_notes(sections: Element) -> list[str]:
    """A book's table of contents, one note per section: 'Section: [chapter 1] Introduction'."""
    found = []
    for section in sections.iter("Section"):
        label = section.find("LocationLabel")
        where = f"[{label.get('Type') or 'label'} {f.text(label)}] " if label is not None else ""
        found.append(f"Section: {where}{f.child_text(section, 'SectionTitle') or ''}".rstrip())
    return found
