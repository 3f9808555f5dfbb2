"""Every IRI rdfpub mints, built here and only here, from the configured base."""

from __future__ import annotations

from urllib.parse import quote

from rdfpub.model import Article, Journal

# Characters kept as they are in one path segment; everything else is percent-encoded, so any
# identifier (DOIs hold '/', '<', ';' and worse) yields a valid IRI that maps back to its value.
_SEGMENT_SAFE = "-._~!$&'()*+,=:@"

PUBMED_PAGE = "https://pubmed.ncbi.nlm.nih.gov/{}/"
PMC_PAGE = "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"
DOI_RESOLVER = "https://doi.org/{}"


def segment(value: str) -> str:
    """`value` percent-encoded to stand as one path segment."""
    return quote(value, safe=_SEGMENT_SAFE)


def doi_iri(doi: str) -> str:
    """The doi.org IRI of a DOI; '/' stays, as DOI resolvers expect it."""
    return DOI_RESOLVER.format(quote(doi, safe=_SEGMENT_SAFE + "/"))


class Iris:
    """The IRIs of one deployment, all under `base` (no trailing slash)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.vocab = f"{self.base}/vocab#"

    def article(self, article: Article, pmid: str | None) -> str:
        """An article by its (valid) PMID, else by a hash of its content: never a blank node."""
        if pmid:
            return f"{self.base}/pubmed/{pmid}"
        return f"{self.base}/article/{article.content_key()}"

    def record_graph(self, article_iri: str) -> str:
        """The named graph that holds one record, derived from its article's IRI."""
        return f"{self.base}/graph/{article_iri[len(self.base) + 1:]}"

    def identifier(self, scheme: str, value: str) -> str:
        return f"{self.base}/identifier/{scheme}/{segment(value)}"

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
        if journal.iso_abbreviation:
            # ISO abbreviations hold spaces but never '_', so '_' keeps the segment readable.
            return f"{self.base}/journal/abbrev/{segment(journal.iso_abbreviation.replace(' ', '_'))}"
        return None

    def volume(self, journal_iri: str, volume: str) -> str:
        return f"{journal_iri}/volume/{segment(volume)}"

    def issue(self, container_iri: str, issue: str) -> str:
        return f"{container_iri}/issue/{segment(issue)}"

    def term(self, name: str) -> str:
        """A term of the project's own vocabulary."""
        return f"{self.vocab}{name}"

    def dataset(self) -> str:
        return f"{self.base}/dataset"
