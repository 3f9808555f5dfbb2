"""The vocabularies rdfpub writes, as closed namespaces (a misspelt term raises), plus the project's own terms."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, VOID, XSD, DefinedNamespace


class FABIO(DefinedNamespace):
    """FRBR-aligned Bibliographic Ontology (the terms rdfpub uses)."""

    _NS = Namespace("http://purl.org/spar/fabio/")
    _fail = True

    Expression: URIRef
    JournalArticle: URIRef
    ReviewArticle: URIRef
    ClinicalTrialReport: URIRef
    CaseReport: URIRef
    Editorial: URIRef
    Letter: URIRef
    Comment: URIRef
    SystematicReview: URIRef
    Erratum: URIRef
    Retraction: URIRef
    Preprint: URIRef
    ClinicalGuideline: URIRef
    JournalNewsItem: URIRef
    Book: URIRef
    BookChapter: URIRef
    Abstract: URIRef
    Journal: URIRef
    JournalVolume: URIRef
    JournalIssue: URIRef
    Manifestation: URIRef
    hasPubMedId: URIRef
    hasPubMedCentralId: URIRef
    hasPublicationYear: URIRef
    hasShortTitle: URIRef
    hasNLMJournalTitleAbbreviation: URIRef
    hasNationalLibraryOfMedicineJournalId: URIRef
    hasIssnL: URIRef
    hasPII: URIRef
    hasRetractionDate: URIRef
    hasTranslatedTitle: URIRef
    hasSubjectTerm: URIRef
    hasPrimarySubjectTerm: URIRef
    hasSequenceIdentifier: URIRef


class CITO(DefinedNamespace):
    """Citation Typing Ontology."""

    _NS = Namespace("http://purl.org/spar/cito/")
    _fail = True

    cites: URIRef
    isCitedBy: URIRef
    corrects: URIRef
    isCorrectedBy: URIRef
    retracts: URIRef
    isRetractedBy: URIRef
    updates: URIRef
    isUpdatedBy: URIRef
    discusses: URIRef
    isDiscussedBy: URIRef


class DATACITE(DefinedNamespace):
    """DataCite Ontology: identifiers and their schemes."""

    _NS = Namespace("http://purl.org/spar/datacite/")
    _fail = True

    Identifier: URIRef
    hasIdentifier: URIRef
    usesIdentifierScheme: URIRef
    pmid: URIRef
    pmcid: URIRef
    doi: URIRef
    issn: URIRef
    eissn: URIRef
    lissn: URIRef
    pii: URIRef
    orcid: URIRef
    nihmsid: URIRef
    isbn: URIRef
    ror: URIRef
    isni: URIRef
    _extras = ["local-resource-identifier-scheme", "local-personal-identifier-scheme",
               "local-organization-identifier-scheme"]


class LITERAL(DefinedNamespace):
    """Literal Reification: an identifier's value."""

    _NS = Namespace("http://www.essepuntato.it/2010/06/literalreification/")
    _fail = True

    hasLiteralValue: URIRef


class PRO(DefinedNamespace):
    """Publishing Roles Ontology."""

    _NS = Namespace("http://purl.org/spar/pro/")
    _fail = True

    RoleInTime: URIRef
    isDocumentContextFor: URIRef
    isHeldBy: URIRef
    withRole: URIRef
    author: URIRef
    editor: URIRef
    relatesToOrganization: URIRef


class OCO(DefinedNamespace):
    """OpenCitations Ontology: list order."""

    _NS = Namespace("https://w3id.org/oc/ontology/")
    _fail = True

    hasNext: URIRef


class FRBR(DefinedNamespace):
    """FRBR core: part-whole and work-manifestation links."""

    _NS = Namespace("http://purl.org/vocab/frbr/core#")
    _fail = True

    partOf: URIRef
    part: URIRef
    embodiment: URIRef


class PRISM(DefinedNamespace):
    """PRISM basic 2.0: identifiers, pages, dates."""

    _NS = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
    _fail = True

    doi: URIRef
    issn: URIRef
    eIssn: URIRef
    volume: URIRef
    issueIdentifier: URIRef
    startingPage: URIRef
    endingPage: URIRef
    pageRange: URIRef
    publicationDate: URIRef
    coverDisplayDate: URIRef
    creationDate: URIRef
    keyword: URIRef
    isbn: URIRef
    edition: URIRef


class FRAPO(DefinedNamespace):
    """Funding, Research Administration and Projects Ontology: grants and their funders."""

    _NS = Namespace("http://purl.org/cerif/frapo/")
    _fail = True

    Grant: URIRef
    FundingAgency: URIRef
    hasGrantNumber: URIRef
    hasFundingAgency: URIRef
    isSupportedBy: URIRef


class BIRO(DefinedNamespace):
    """Bibliographic Reference Ontology."""

    _NS = Namespace("http://purl.org/spar/biro/")
    _fail = True

    BibliographicReference: URIRef
    references: URIRef


class C4O(DefinedNamespace):
    """Citation Counting and Context Characterisation Ontology: a reference's text."""

    _NS = Namespace("http://purl.org/spar/c4o/")
    _fail = True

    hasContent: URIRef


# PubMed publication types that FaBiO has a class for; the others are kept by name only.
PUBLICATION_TYPE_CLASSES: dict[str, URIRef] = {
    "Review": FABIO.ReviewArticle,
    "Systematic Review": FABIO.SystematicReview,
    "Clinical Trial": FABIO.ClinicalTrialReport,
    "Randomized Controlled Trial": FABIO.ClinicalTrialReport,
    "Case Reports": FABIO.CaseReport,
    "Editorial": FABIO.Editorial,
    "Letter": FABIO.Letter,
    "Comment": FABIO.Comment,
    "Published Erratum": FABIO.Erratum,
    "Retraction of Publication": FABIO.Retraction,
    "Preprint": FABIO.Preprint,
    "Practice Guideline": FABIO.ClinicalGuideline,
    "News": FABIO.JournalNewsItem,
}

PREFIXES: dict[str, str] = {
    "fabio": str(FABIO._NS), "cito": str(CITO._NS), "datacite": str(DATACITE._NS),
    "literal": str(LITERAL._NS), "pro": str(PRO._NS), "oco": str(OCO._NS), "frbr": str(FRBR._NS),
    "prism": str(PRISM._NS), "biro": str(BIRO._NS), "frapo": str(FRAPO._NS), "c4o": str(C4O._NS), "dcterms": str(DCTERMS),
    "foaf": str(FOAF), "prov": str(PROV), "void": str(VOID), "dcat": str(DCAT), "owl": str(OWL),
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "sh": str(SH),
}
