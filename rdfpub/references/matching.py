"""Matching a reference's text against an article: identifiers written in the text, then the citation's facts, scored."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.model import Article

# A link needs this score or more; below it nothing is linked (a wrong citation is worse than a
# missing one). bench/resolve_references.py measures precision and recall at this threshold.
THRESHOLD = 0.8
# Two candidates within this much of each other: the text does not say which one, so neither.
AMBIGUITY_MARGIN = 0.1
IDENTIFIER_IN_TEXT = "identifier-in-text"
CITATION_MATCH = "citation-match"

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\b(PMC\d{3,9})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/.:-])((?:1[89]|20)\d\d)(?![\d])")
# volume (issue)? : first page, as NLM ("2010;67(2):139-45") and author-year styles ("67:139–145") write it.
_VOLUME_PAGE = re.compile(r"(?<![\w.])(\d{1,5}[A-Za-z]?)\s*(?:\([^)]{0,20}\))?\s*:\s*([A-Za-z]{0,2}\d{1,6})")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERING = re.compile(r"^\s*\[?\d{1,4}[\].)]?\s+")  # '12. ', '[12] ': a list's numbering, no name
_INITIALS = re.compile(r"^[A-Z][A-Za-z]{0,3}\.?$")
# Words that say nothing about which article a title names.
_STOPWORDS = frozenset("a an and as at by for from in into is of on or the to with its their than via".split())


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, words kept apart by one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_WORD.findall(text))


def family_key(name: str | None) -> str:
    """A family name as a key: folded, its words run together ('Aan het Rot' -> 'aanhetrot')."""
    return fold(name or "").replace(" ", "")


def title_words(title: str | None) -> frozenset[str]:
    return frozenset(w for w in fold(title or "").split() if w not in _STOPWORDS and len(w) > 1)


def page_key(page: str | None) -> str:
    return (page or "").strip().lower().lstrip("0")


@dataclass(frozen=True)
class ArticleKey:
    """What a stored article offers to be matched on."""

    article_iri: str
    graph_iri: str
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    family: str = ""
    year: int | None = None
    title: frozenset[str] = frozenset()
    journals: tuple[str, ...] = ()  # folded abbreviations and title
    volume: str = ""
    first_page: str = ""


@dataclass(frozen=True)
class ReferenceKey:
    """What a reference's text offers: identifiers in it, its first author, years, volume:page pairs, words."""

    dois: tuple[str, ...] = ()
    pmids: tuple[str, ...] = ()
    pmcids: tuple[str, ...] = ()
    family: str = ""
    years: tuple[int, ...] = ()
    volume_pages: tuple[tuple[str, str], ...] = ()
    words: frozenset[str] = frozenset()
    folded: str = ""


def article_key(article: Article, article_iri: str, graph_iri: str) -> ArticleKey:
    """The article's match key, from the parsed record."""
    first = next(iter(article.authors), None)
    family = (first.last_name or first.collective_name) if first else None
    journal = article.journal
    journals = tuple(dict.fromkeys(fold(name) for name in (
        journal.medline_ta, journal.iso_abbreviation, journal.title) if name)) if journal else ()
    year = article.published.year if article.published else None
    return ArticleKey(article_iri, graph_iri, normalize_pmid(article.pmid) if article.pmid else None,
                      normalize_doi(article.doi) if article.doi else None,
                      normalize_pmcid(article.pmcid) if article.pmcid else None,
                      family_key(family), year, title_words(article.title), journals,
                      (article.volume or "").strip().lower(), page_key(article.pages.first if article.pages else None))


def reference_key(text: str) -> ReferenceKey:
    """The facts a reference's text gives, whatever its style (NLM, author-year, ...)."""
    text = " ".join(text.split())
    dois = tuple(dict.fromkeys(filter(None, (normalize_doi(m.rstrip(".,;)]")) for m in _DOI.findall(text)))))
    pmids = tuple(dict.fromkeys(filter(None, map(normalize_pmid, _PMID.findall(text)))))
    pmcids = tuple(dict.fromkeys(filter(None, map(normalize_pmcid, _PMCID.findall(text)))))
    # Identifiers are not words of the citation: a DOI's digits are no volume, page or year.
    rest = _PMCID.sub(" ", _PMID.sub(" ", _DOI.sub(" ", text)))
    years = tuple(dict.fromkeys(int(y) for y in _YEAR.findall(rest)))
    pairs = tuple(dict.fromkeys((v.lower(), page_key(p)) for v, p in _VOLUME_PAGE.findall(rest)))
    return ReferenceKey(dois, pmids, pmcids, _first_family(rest), years, pairs, title_words(rest), fold(rest))


def _first_family(text: str) -> str:
    """The first author's family name: the text before the first comma, full stop or bracket
    (after any numbering), less trailing initials ('Aan het Rot M' -> 'aanhetrot', 'Smith JA.' -> 'smith')."""
    text = _NUMBERING.sub("", text)
    head = re.split(r"[,(;]|\.\s|\bet al\b", text, maxsplit=1)[0].strip()
    words = head.split()
    while len(words) > 1 and _INITIALS.match(words[-1]) and words[-1][:1].isupper() and \
            (words[-1].isupper() or words[-1].endswith(".")):
        words.pop()
    return family_key(" ".join(words))


def identifier_match(reference: ReferenceKey, article: ArticleKey) -> bool:
    """The text names the article by one of its identifiers, and names no other first author
    (an identifier inside a title or a note may be another work's: 'Comment on ... doi:...')."""
    return bool((article.pmid and article.pmid in reference.pmids) or (article.doi and article.doi in reference.dois)
                or (article.pmcid and article.pmcid in reference.pmcids)) and \
        (not article.family or reference.family == article.family or _no_author(reference, article))


def _no_author(reference: ReferenceKey, article: ArticleKey) -> bool:
    """The text names no first author: it starts with the journal, or gives no name at all."""
    return not reference.family or any(name and reference.folded.startswith(name + " ") for name in article.journals)


def score(reference: ReferenceKey, article: ArticleKey) -> float:
    """How surely the reference cites the article, 0 to 1: 1.0 when its text names one of the
    article's identifiers; else the citation's facts weighed, 0 whenever one contradicts the article."""
    if identifier_match(reference, article):
        return 1.0
    if reference.dois and article.doi and article.doi not in reference.dois:
        return 0.0  # the text names another DOI
    # Contradictions first: a wrong link is worse than a missing one.
    if article.year and reference.years and all(abs(y - article.year) > 1 for y in reference.years):
        return 0.0
    pages = {page for _, page in reference.volume_pages}
    if article.first_page and pages and article.first_page not in pages:
        return 0.0
    if article.volume and article.first_page and reference.volume_pages and \
            (article.volume, article.first_page) not in reference.volume_pages:
        return 0.0
    overlap = len(article.title & reference.words) / len(article.title) if article.title else 0.0
    journal = any(name and f" {name} " in f" {reference.folded} " for name in article.journals)
    # Journal, year, volume and first page name one article as surely as an identifier does;
    # references often give nothing else ('J Infect. 2011 Jul;63(1):1-7').
    locator = bool(journal and article.year in reference.years and article.volume and article.first_page
                   and (article.volume, article.first_page) in reference.volume_pages)
    if len(article.title) >= 3 and overlap < 0.6 and not (locator and _bare(reference, article)):
        return 0.0  # another title
    family = bool(article.family) and article.family == reference.family
    if not family:
        # The first author is what a citation gets right most reliably; without it, the locator.
        return round(0.85 + 0.15 * overlap, 3) if locator and _no_author(reference, article) else 0.0
    total = 0.25
    if article.year and article.year in reference.years:
        total += 0.15
    elif article.year and reference.years:
        total += 0.05  # a year off by one: e-publication and print years differ
    total += 0.3 * overlap
    if journal:
        total += 0.1
    if article.first_page and article.first_page in pages:
        total += 0.1 + (0.1 if (article.volume, article.first_page) in reference.volume_pages else 0.0)
    return round(min(total, 1.0), 3)


def _bare(reference: ReferenceKey, article: ArticleKey) -> bool:
    """The reference gives no title to compare: fewer than three words beside the journal's."""
    journal_words = {word for name in article.journals for word in name.split()}
    return len({w for w in reference.words - journal_words if not w.isdigit()}) < 3


def best(reference: ReferenceKey, candidates: list[ArticleKey], exclude: str = "") -> tuple[ArticleKey, float, str] | None:
    """The one candidate the reference surely cites (score at least THRESHOLD, no rival close to
    it), with its score and how it was found; None when there is none. `exclude`: the citing article."""
    scored = sorted(((score(reference, c), c) for c in candidates if c.article_iri != exclude),
                    key=lambda pair: -pair[0])
    if not scored or scored[0][0] < THRESHOLD:
        return None
    top, article = scored[0]
    rivals = [s for s, other in scored[1:] if other.article_iri != article.article_iri]
    if rivals and rivals[0] >= top - AMBIGUITY_MARGIN:
        return None
    return article, top, IDENTIFIER_IN_TEXT if identifier_match(reference, article) else CITATION_MATCH
