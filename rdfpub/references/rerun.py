"""Resolution of every text-only reference over a whole store: the reference index made anew from the store, links added and taken away to match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.iris import Iris
from rdfpub.references.index import StoredReference
from rdfpub.references.matching import ArticleKey, best, family_key, fold, page_key, reference_key, title_words
from rdfpub.references.resolution import Resolver, cached_resolver
from rdfpub.vocab import PREFIXES

_PREFIXES = "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n"
                    for name in ("foaf", "dcterms", "fabio", "prism", "frbr", "pro", "biro", "c4o"))
# Identifiers, journals and volumes are shared things: read over the union of the graphs, outside GRAPH.
_ARTICLES = _PREFIXES + """SELECT ?g ?a ?title ?year ?pmid ?doi ?pmcid ?page ?family ?name ?volume ?ta ?iso ?jt WHERE {
  GRAPH ?g { ?g foaf:primaryTopic ?a .
    OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a fabio:hasPublicationYear ?year }
    OPTIONAL { ?a frbr:embodiment ?m . ?m prism:startingPage ?page } }
  # An agent known by ORCID is a shared thing: its name is in the shared graph.
  OPTIONAL { ?a pro:isDocumentContextFor ?role . ?role <VOCABposition> 1 ; pro:withRole pro:author ; pro:isHeldBy ?agent .
             OPTIONAL { ?agent foaf:familyName ?family } OPTIONAL { ?agent foaf:name ?name } }
  OPTIONAL { ?a fabio:hasPubMedId ?pmid } OPTIONAL { ?a prism:doi ?doi } OPTIONAL { ?a fabio:hasPubMedCentralId ?pmcid }
  OPTIONAL { ?a frbr:partOf ?container . ?container frbr:partOf* ?v . ?v prism:volume ?volume }
  OPTIONAL { ?a frbr:partOf ?c . ?c frbr:partOf* ?j . ?j a fabio:Journal .
             OPTIONAL { ?j fabio:hasNLMJournalTitleAbbreviation ?ta } OPTIONAL { ?j <VOCABisoAbbreviation> ?iso }
             OPTIONAL { ?j dcterms:title ?jt } } }"""
# A reference with a biro:references but no rdfpub:resolvedBy came with its identifier: not ours.
_REFERENCES = _PREFIXES + """SELECT ?g ?a ?ref ?text ?target ?how WHERE { GRAPH ?g { ?g foaf:primaryTopic ?a .
  ?a frbr:part ?ref . ?ref c4o:hasContent ?text .
  OPTIONAL { ?ref biro:references ?target } OPTIONAL { ?ref <VOCABresolvedBy> ?how } }
  FILTER (!BOUND(?target) || BOUND(?how)) }"""
_CHUNK = 500


@dataclass
class RerunSummary:
    articles: int = 0
    references: int = 0
    linked: int = 0
    added: int = 0
    removed: int = 0


def _value(row, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def stored_articles(store, iris: Iris) -> list[ArticleKey]:
    """Every record's article key, read from the store."""
    rows: dict[str, dict] = {}
    for row in store.query(_ARTICLES.replace("<VOCAB", f"<{iris.vocab}")):
        found = rows.setdefault(_value(row, "g"), {"journals": {}})
        for name in ("a", "title", "year", "pmid", "doi", "pmcid", "page", "family", "name", "volume"):
            if found.get(name) is None:
                found[name] = _value(row, name)
        for name in ("ta", "iso", "jt"):
            if (value := _value(row, name)) is not None:
                found["journals"][fold(value)] = None
    keys = []
    for graph, found in rows.items():
        year = (found["year"] or "")[:4]
        keys.append(ArticleKey(
            found["a"], graph, normalize_pmid(found["pmid"]) if found["pmid"] else None,
            normalize_doi(found["doi"]) if found["doi"] else None,
            normalize_pmcid(found["pmcid"]) if found["pmcid"] else None,
            family_key(found["family"] or found["name"]), int(year) if year.isdigit() else None,
            title_words(found["title"]), tuple(found["journals"]), (found["volume"] or "").strip().lower(),
            page_key(found["page"])))
    return keys


def rerun(store, iris: Iris, progress: Callable[[int, int], None] | None = None) -> RerunSummary:
    """Makes the store's reference index anew and resolves every text-only reference again: links
    that no longer hold are taken out first, then the new ones are added (never a wrong one in between)."""
    resolver: Resolver | None = cached_resolver(store, iris)  # not resolver_of: it would run this
    if resolver is None:
        raise ValueError("resolving references needs the embedded store (a store server is not resolved yet)")
    index, summary = resolver.index, RerunSummary()
    articles = stored_articles(store, iris)
    references = [(_value(r, "g"), _value(r, "a"), _value(r, "ref"), _value(r, "text"), _value(r, "target"))
                  for r in store.query(_REFERENCES.replace("<VOCAB", f"<{iris.vocab}"))]
    summary.articles, summary.references = len(articles), len(references)
    resolver.pending.touch()  # stopped half way, the next run does it again
    index.begin()
    try:
        index.clear()
        for key in articles:
            index.add_article(key)
        removals, additions = [], {}
        for done, (graph, article, ref, text, old) in enumerate(references, start=1):
            key = reference_key(text)
            index.add_reference(ref, graph, article, key)
            found = best(key, index.candidates(key), exclude=article)
            target = found[0] if found else None
            if target is not None:
                index.link(ref, target.graph_iri, target.article_iri)
                summary.linked += 1
            if old is not None and (target is None or target.article_iri != old):
                removals.append(resolver.unlink_update(StoredReference(ref, graph, article, key, old)))
                summary.removed += 1
            if target is not None and target.article_iri != old:
                additions.setdefault(graph, []).extend(
                    resolver.link_lines(StoredReference(ref, graph, article, key), target.article_iri,
                                        found[2], found[1]))
                summary.added += 1
            if progress is not None and (done % 1000 == 0 or done == len(references)):
                progress(done, len(references))
        for start in range(0, len(removals), _CHUNK):
            store.update(" ;\n".join(removals[start:start + _CHUNK]))
        graphs = list(additions)
        for start in range(0, len(graphs), _CHUNK):
            store.update(resolver.insert_update({g: additions[g] for g in graphs[start:start + _CHUNK]}))
        index.commit()
    except BaseException:
        index.rollback()
        raise
    resolver.pending.unlink(missing_ok=True)
    return summary
