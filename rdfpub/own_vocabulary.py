"""The project's own terms, used only where no community term fits, each with its definition."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDFS, XSD

from rdfpub.vocab import BIRO, DATACITE, FABIO, PRO


@dataclass(frozen=True)
class Term:
    """A class or property of the project vocabulary, published at {base}/vocab#{name}."""

    name: str
    kind: URIRef
    label: str
    comment: str
    domain: URIRef | None = None
    range: URIRef | None = None
    parent: URIRef | None = None


_OBJECT, _DATA, _CLASS = OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class

TERMS: tuple[Term, ...] = (
    Term("hasSimilarArticle", _OBJECT, "has similar article",
         "An article PubMed lists among the 'Similar articles' of this one (computed by PubMed from "
         "shared words and MeSH terms).", FABIO.Expression, FABIO.Expression, DCTERMS.relation),
    Term("position", _DATA, "position",
         "The 1-based place of an item (an author or editor role, a reference, an abstract section) "
         "in its ordered list; written beside oco:hasNext so order can be read without walking a chain.",
         None, XSD.integer),
    Term("publicationTypeName", _DATA, "publication type name",
         "A PubMed publication type as PubMed names it (e.g. 'Clinical Trial'), kept whether or not "
         "FaBiO has a class for it.", FABIO.Expression, XSD.string),
    Term("electronicPublicationDate", _DATA, "electronic publication date",
         "The date the article was first published online ('Epub' in PubMed).", FABIO.Expression, None,
         DCTERMS.date),
    Term("initials", _DATA, "initials", "An author's initials as the source gives them.", FOAF.Agent,
         XSD.string),
    Term("equalContribution", _DATA, "equal contribution",
         "True when the source marks this author as having contributed equally.", PRO.RoleInTime,
         XSD.boolean),
    Term("AbstractSection", _CLASS, "abstract section",
         "One labelled section of a structured abstract (Background, Methods, ...)."),
    Term("hasAbstractSection", _OBJECT, "has abstract section",
         "A section of this article's structured abstract.", FABIO.Expression, None, DCTERMS.hasPart),
    Term("nlmCategory", _DATA, "NLM category",
         "The NLM category of an abstract section: BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS "
         "or UNASSIGNED.", None, XSD.string),
    Term("otherAbstract", _DATA, "other abstract",
         "An abstract beyond the main one, such as the publisher's or one in another language.",
         FABIO.Expression, None, DCTERMS.abstract),
    Term("registryNumber", _DATA, "registry number",
         "The registry number of a chemical substance as a MEDLINE record gives it (CAS, UNII or EC).",
         None, XSD.string),
    Term("majorSubject", _DATA, "major subject",
         "The name of a MeSH heading the source marks as a major topic, where the source gives no "
         "MeSH identifier to link to.", FABIO.Expression, XSD.string, DCTERMS.subject),
    Term("unmatchedMeshHeading", _DATA, "unmatched MeSH heading",
         "A MeSH heading (or heading/qualifier) the source names without its unique id (MEDLINE text "
         "does) that is not in the MeSH table rdfpub reads ids from, such as an older name of a "
         "renamed descriptor: kept as text (dcterms:subject), not linked to a MeSH IRI.",
         FABIO.Expression, XSD.string),
    Term("relatedRecordNote", _DATA, "related record note",
         "A link to another record (errata, comments, updates) as the source writes it: the kind of "
         "link, then the citation. Beside the CiTO link when the citation names a PMID.",
         FABIO.Expression, XSD.string, RDFS.comment),
    Term("referencedWorkIdentifier", _OBJECT, "referenced work identifier",
         "An identifier a bibliographic reference gives for the work it references, beside the one "
         "that names that work (a DOI or PMCID next to a PMID).", BIRO.BibliographicReference,
         DATACITE.Identifier),
    Term("invalidDate", _DATA, "invalid date",
         "A date the source gives that is no calendar date (month 13, 30 February, a month named "
         "'Foo'): the property it would have been, then the date as written. The shapes refuse a "
         "record that has one.", None, XSD.string, RDFS.comment),
    Term("malformedIdentifier", _DATA, "malformed identifier",
         "An identifier the source gives that is not well formed (a DOI without the 10. prefix, an ORCID "
         "or ISSN failing its check digit): its kind and value as written, published as a note instead "
         "of as an identifier.", None, XSD.string, RDFS.comment),
    Term("acronym", _DATA, "acronym", "A funding agency's acronym as written in a grant.", None, XSD.string),
    Term("country", _DATA, "country",
         "A country as the source writes it: a funding agency's in a grant, or the one a journal is "
         "published in (NLM's Country).", None, XSD.string),
    Term("isoAbbreviation", _DATA, "ISO title abbreviation",
         "A journal's title abbreviated by the ISO 4 rules, as PubMed gives it (ISOAbbreviation); NLM's "
         "own abbreviation is fabio:hasNLMJournalTitleAbbreviation.", FABIO.Journal, XSD.string,
         FABIO.hasShortTitle),
    Term("pmidVersion", _DATA, "PMID version",
         "The version of the PubMed record a record graph was made from.", PROV.Entity, XSD.integer),
    Term("citationStatus", _DATA, "citation status",
         "The MEDLINE status of the source record (MEDLINE, PubMed-not-MEDLINE, In-Process, ...).",
         PROV.Entity, XSD.string),
    Term("citationOwner", _DATA, "citation owner", "The owner of the source record (NLM, NASA, PIP, ...).",
         PROV.Entity, XSD.string),
    Term("publicationStatus", _DATA, "publication status",
         "PubMed's publication status of the article: ppublish, epublish or aheadofprint.", PROV.Entity,
         XSD.string),
    Term("dateCompleted", _DATA, "date completed",
         "The date NLM completed indexing the source record.", PROV.Entity, XSD.date, DCTERMS.date),
    Term("sourceFormat", _DATA, "source format",
         "The format of the input a record graph was made from: pubmed-xml, medline, abstract-text or "
         "pubmed-page (the richer wins when two copies of a record tie on version and revision date).",
         PROV.Entity, XSD.string),
    Term("withdrawnIn", _DATA, "withdrawn in",
         "The input file (PubMed's daily update file, say) whose DeleteCitation withdrew the record this "
         "record graph held: no copy from that file or an earlier one is published again.",
         PROV.Entity, XSD.string),
    Term("generator", _DATA, "generator", "The software and version that made a record graph.",
         PROV.Entity, XSD.string),
    Term("contentDigest", _DATA, "content digest",
         "A SHA-256 digest of a record graph's triples, leaving out the time it was generated: equal "
         "digests mean equal content.", PROV.Entity, XSD.string),
    Term("resolvedBy", _DATA, "resolved by",
         "How rdfpub linked a reference that came without an identifier to a stored article (its "
         "biro:references, and the citing article's cito:cites): 'identifier-in-text' (a PMID, PMCID or "
         "DOI written in its text) or 'citation-match' (first author, year, title, journal, volume and "
         "page matched). Links without it came with the record.", BIRO.BibliographicReference, XSD.string),
    Term("resolutionScore", _DATA, "resolution score",
         "How surely such a resolved reference cites the article it is linked to, from 0 to 1 (1: its "
         "identifier is in the text); nothing below rdfpub's threshold is linked.",
         BIRO.BibliographicReference, XSD.decimal),
)

TERM_NAMES = frozenset(term.name for term in TERMS)
