"""Every IRI rdfpub mints, built here and only here, from the configured base."""

from __future__ import annotations

from urllib.parse import quote

from rdfpub.model import Article, Journal
from rdfpub.own_vocabulary import TERM_NAMES

# Characters kept as they are in one path segment; everything else is percent-encoded, so any
# identifier (DOIs hold '/', '<', ';' and worse) yields a valid IRI that maps back to its value.
_SEGMENT_SAFE = "-._~!$&'()*+,=:@"

# IRIs of other datasets and services that records link out to.
PUBMED_PAGE = "https://pubmed.ncbi.nlm.nih.gov/{}/"
PMC_PAGE = "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"
DOI_RESOLVER = "https://doi.org/{}"
IDENTIFIERS_ORG = "https://identifiers.org/{}:{}"
BIO2RDF_PUBMED = "http://bio2rdf.org/pubmed:{}"
MESH = "http://id.nlm.nih.gov/mesh/{}"
LANGUAGE = "http://id.loc.gov/vocabulary/iso639-2/{}"
ORCID = "https://orcid.org/{}"
ROR = "https://ror.org/{}"
NLM_CATALOG = "https://www.ncbi.nlm.nih.gov/nlmcatalog/{}"
ISSN_PORTAL = "https://portal.issn.org/resource/ISSN/{}"


# What the path of a record's article starts with under the base (Iris.article, Iris.article_by_doi).
ARTICLE_ROOTS = ("/pubmed/", "/doi/", "/article/")


def segment(value: str) -> str:
    """`value` percent-encoded to stand as one path segment."""
    return quote(value, safe=_SEGMENT_SAFE)


def doi_iri(doi: str) -> str:
    """The doi.org IRI of a DOI; '/' stays, as DOI resolvers expect it."""
    return DOI_RESOLVER.format(quote(doi, safe=_SEGMENT_SAFE + "/"))


def identifiers_org(prefix: str, value: str) -> str:
    """The identifiers.org compact-identifier IRI, e.g. https://identifiers.org/pubmed:123."""
    return IDENTIFIERS_ORG.format(prefix, quote(value, safe=_SEGMENT_SAFE + "/"))


def mesh_iri(ui: str, qualifier_ui: str | None = None) -> str:
    """NLM's IRI of a MeSH descriptor, concept or qualifier; with a qualifier, the pair's IRI
    (MeSH RDF names a descriptor-qualifier pair by the two UIs side by side)."""
    return MESH.format(segment(ui + (qualifier_ui or "")))


def vocabulary_term(vocab: str, name: str) -> str:
    """A term of the project's own vocabulary, whose namespace is `vocab`; a name it does not define raises."""
    if name not in TERM_NAMES:
        raise KeyError(f"'{name}' is not a term of the rdfpub vocabulary (see rdfpub/own_vocabulary.py)")
    return f"{vocab}{name}"


def external(template: str, value: str) -> str:
    """One of the link-out templates above filled with a percent-encoded value."""
    return template.format(segment(value))


class Iris:
    """The IRIs of one deployment, all under `base` (no trailing slash)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.vocab = f"{self.base}/vocab#"

    def article(self, article: Article, pmid: str | None) -> str:
        """An article by its (valid) PMID, else by a hash of its content: never a blank node."""
        if pmid:
            return self.pubmed_article(pmid)
        return f"{self.base}/article/{article.content_key()}"

    def pubmed_article(self, pmid: str) -> str:
        return f"{self.base}/pubmed/{pmid}"

    def record_graph(self, article_iri: str) -> str:
        """The named graph that holds one record, derived from its article's IRI."""
        return f"{self.record_graphs()}{article_iri[len(self.base) + 1:]}"

    def record_graphs(self) -> str:
        """What the IRI of every graph of the dataset (the record graphs and the shared graph), and
        of nothing else, starts with."""
        return f"{self.base}/graph/"

    def withdrawn_graph(self) -> str:
        """The graph that says which records PubMed withdrew, and in which file (a DeleteCitation)."""
        return f"{self.base}/graph/withdrawn"

    def shared_graph(self) -> str:
        """The graph of the things many records mention, each stated once (rdfpub/store/shared_graph.py);
        no record graph has this IRI, since article paths start with pubmed/, doi/ or article/."""
        return f"{self.base}/graph/shared"

    def identifier(self, scheme: str, value: str) -> str:
        return f"{self.base}/identifier/{scheme}/{segment(value)}"

    def article_by_doi(self, doi: str) -> str:
        """A cited work known only by its DOI (no PMID in the reference)."""
        return f"{self.base}/doi/{quote(doi, safe=_SEGMENT_SAFE + '/')}"

    def role(self, article_iri: str, kind: str, position: int) -> str:
        """An author or editor role (pro:RoleInTime) of one document, by its place in the list."""
        return f"{article_iri}/{kind}/{position}"

    def agent(self, role_iri: str, orcid: str | None) -> str:
        """A person by ORCID, shared by all their records; without one, the agent of one role."""
        return f"{self.base}/agent/orcid/{orcid}" if orcid else f"{role_iri}/agent"

    def affiliation(self, role_iri: str, position: int) -> str:
        return f"{role_iri}/affiliation/{position}"

    def abstract_section(self, article_iri: str, position: int) -> str:
        return f"{article_iri}/abstract/{position}"

    def grant(self, article_iri: str, position: int) -> str:
        return f"{article_iri}/grant/{position}"

    def funding_agency(self, grant_iri: str) -> str:
        return f"{grant_iri}/agency"

    def book(self, article_iri: str, isbn: str | None) -> str:
        return f"{self.base}/book/isbn/{segment(isbn)}" if isbn else f"{article_iri}/book"

    def publisher(self, book_iri: str) -> str:
        return f"{book_iri}/publisher"

    def manifestation(self, article_iri: str) -> str:
        return f"{article_iri}/manifestation"

    def reference(self, article_iri: str, position: int) -> str:
        return f"{article_iri}/reference/{position}"

    def journal(self, journal: Journal) -> str | None:
        """A journal by its strongest key: NLM id, then an ISSN, then its ISO abbreviation."""
        for kind, value in (("nlm", journal.nlm_id), ("issn", journal.issn_linking),
                            ("issn", journal.issn_print), ("issn", journal.issn_electronic)):
            if value:
                return f"{self.base}/journal/{kind}/{segment(value)}"
        abbreviation = journal.medline_ta or journal.iso_abbreviation
        if abbreviation:
            # Title abbreviations hold spaces but never '_', so '_' keeps the segment readable.
            return f"{self.base}/journal/abbrev/{segment(abbreviation.replace(' ', '_'))}"
        return None

    def journal_of(self, container_iri: str) -> str | None:
        """The journal an article's container (the journal itself, a volume or an issue) belongs to:
        volumes and issues are minted below their journal's IRI, `{base}/journal/{kind}/{key}`."""
        prefix = f"{self.base}/journal/"
        if not container_iri.startswith(prefix):
            return None
        parts = container_iri[len(prefix):].split("/")
        return f"{prefix}{parts[0]}/{parts[1]}" if len(parts) >= 2 and parts[0] and parts[1] else None

    def volume(self, journal_iri: str, volume: str) -> str:
        return f"{journal_iri}/volume/{segment(volume)}"

    def issue(self, container_iri: str, issue: str) -> str:
        return f"{container_iri}/issue/{segment(issue)}"

    def term(self, name: str) -> str:
        """A term of the project's own vocabulary; a name it does not define raises."""
        return vocabulary_term(self.vocab, name)

    def dataset(self) -> str:
        return f"{self.base}/dataset"

    # Documents and service URLs of the Linked Data front (thing IRI -> document, Cool URIs section 4.3).

    def local(self, path: str) -> str:
        """The IRI a request path names under the base (`path` starts with '/', still percent-encoded)."""
        return f"{self.base}{path}"

    def document(self, thing_iri: str, extension: str | None = None) -> str:
        """The document that describes a thing minted under the base: `{base}/doc/...`, negotiated,
        or in one format with an extension (`.ttl`, `.html`, ...)."""
        suffix = f".{extension}" if extension else ""
        return f"{self.base}/doc{thing_iri[len(self.base):]}{suffix}"

    def vocabulary(self, extension: str | None = None) -> str:
        """The vocabulary's own IRI (its terms are hash IRIs below it), or one format of it."""
        return f"{self.base}/vocab" + (f".{extension}" if extension else "")

    def void(self, extension: str | None = None) -> str:
        """The dataset description (VoID section 7.2's well-known location)."""
        return f"{self.base}/.well-known/void" + (f".{extension}" if extension else "")

    def linkset(self, name: str) -> str:
        return f"{self.dataset()}#linkset-{name}"

    def dump(self, file_name: str) -> str:
        return f"{self.base}/{file_name}"

    def sparql(self) -> str:
        return f"{self.base}/sparql"
