"""Links references that came without identifiers to stored articles as batches are written, both ways round, and keeps those links true."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from weakref import WeakKeyDictionary

from rdfpub.identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from rdfpub.iris import Iris
from rdfpub.model import Record
from rdfpub.references.index import ReferenceIndex, StoredReference
from rdfpub.references.matching import ArticleKey, ReferenceKey, article_key, best, reference_key
from rdfpub.store.shared_graph import GraphWrite, Operation, last_operation_per_graph
from rdfpub.vocab import BIRO, CITO, FRBR, XSD

_REFERENCES, _CITES, _PART, _DECIMAL = str(BIRO.references), str(CITO.cites), str(FRBR.part), str(XSD.decimal)


@dataclass(frozen=True)
class RecordCitations:
    """What a record brings to resolution: its article's key, and its references that name no
    PMID or DOI (the mapping links the others itself), each with its IRI."""

    article: ArticleKey
    references: tuple[tuple[str, ReferenceKey], ...] = ()


def citations_of(record: Record, iris: Iris, article_iri: str, graph_iri: str) -> RecordCitations:
    """Computed where the record is mapped (a worker), so the writer only looks keys up."""
    references = []
    for reference in record.references:
        pmid = normalize_pmid(reference.pmid) if reference.pmid else None
        doi = normalize_doi(reference.doi) if reference.doi else None
        # As rdfpub/mapping/links.py does: an id naming the citing article itself links nothing.
        if (pmid or doi) and (iris.pubmed_article(pmid) if pmid else iris.article_by_doi(doi)) != article_iri:
            continue
        key = reference_key(reference.text)
        pmcid = normalize_pmcid(reference.pmcid) if reference.pmcid else None
        if pmcid and pmcid not in key.pmcids:
            key = replace(key, pmcids=key.pmcids + (pmcid,))
        references.append((iris.reference(article_iri, reference.position), key))
    return RecordCitations(article_key(record.article, article_iri, graph_iri), tuple(references))


class Resolver:
    """Resolves the references of each batch against the index (which holds the stored articles and
    the batch's own), and the waiting references of stored records against the batch's articles.

    The store stays true at every step, a wrong link never being made: links to articles a batch
    replaces or removes are deleted before the batch is written; new records are written with
    their links; the index commits; links of stored records to the batch's articles are added
    last. A marker file beside the index says a batch is under way: a run killed before its end
    leaves it, and the next run makes the index anew from the store first (rerun.py)."""

    def __init__(self, index: ReferenceIndex, iris: Iris):
        self.index = index
        self.iris = iris
        self.pending = index.path.with_name(index.path.name + ".pending")
        self._resolved_by, self._score = iris.term("resolvedBy"), iris.term("resolutionScore")

    def apply(self, operations: list[Operation], citations: dict[int, RecordCitations],
              write: Callable[[list[Operation]], None], update: Callable[[str], None]) -> None:
        """Writes the batch with `write` (the store's apply), running the link edits of stored
        records with `update` (a SPARQL update) before and after it. `citations` is keyed by the
        id() of each record's GraphWrite: of two copies of a record in one batch, the keys of the
        copy actually written are used."""
        final = last_operation_per_graph(operations)
        index = self.index
        index.begin()
        try:
            unlinked = [ref for graph in final for ref in index.remove_graph(graph)]
            todo: dict[str, StoredReference] = {}
            articles = []
            for graph, written in final.items():
                found = citations.get(id(written)) if written is not None else None
                if found is None:
                    continue
                index.add_article(found.article)
                articles.append(found.article)
                for ref, key in found.references:
                    index.add_reference(ref, graph, found.article.article_iri, key)
                    todo[ref] = StoredReference(ref, graph, found.article.article_iri, key)
            # References of records that stay, whose link the batch took away or may now make.
            todo.update({ref.ref: ref for ref in unlinked if ref.graph not in final})
            for article in articles:
                for ref in index.waiting_for(article):
                    todo.setdefault(ref.ref, ref)
            new_lines: dict[str, list[str]] = {}
            later: dict[str, list[str]] = {}
            for ref in todo.values():
                found = best(ref.key, index.candidates(ref.key), exclude=ref.article)
                if found is None:
                    continue
                target, score, how = found
                index.link(ref.ref, target.graph_iri, target.article_iri)
                (new_lines if ref.graph in final else later).setdefault(ref.graph, []).extend(
                    self.link_lines(ref, target.article_iri, how, score))
            removals = [self.unlink_update(ref) for ref in unlinked if ref.graph not in final]
            self.pending.touch()
            if removals:
                update(" ;\n".join(removals))
            write([self._with_links(op, new_lines) if isinstance(op, GraphWrite) and final.get(op.graph_iri) is op
                   else op for op in operations])
            index.commit()
        except BaseException:
            index.rollback()
            raise
        # After the commit: a link the index knows of but the store lacks is missing, not wrong.
        if later:
            update(self.insert_update(later))
        self.pending.unlink(missing_ok=True)

    def link_lines(self, ref: StoredReference, target: str, how: str, score: float) -> list[str]:
        """The triples of one resolved link: the shape the mapping gives a reference with an
        identifier, and on the reference how it was resolved and how surely."""
        return [f"<{ref.ref}> <{_REFERENCES}> <{target}> .", f"<{ref.article}> <{_CITES}> <{target}> .",
                f'<{ref.ref}> <{self._resolved_by}> "{how}" .',
                f'<{ref.ref}> <{self._score}> "{_decimal(score)}"^^<{_DECIMAL}> .']

    def unlink_update(self, ref: StoredReference) -> str:
        """Takes one resolved link out of its record graph; the citing article still cites the
        target while another of its references does."""
        g = ref.graph
        return (f"DELETE WHERE {{ GRAPH <{g}> {{ <{ref.ref}> <{_REFERENCES}> ?t }} }} ;\n"
                f"DELETE WHERE {{ GRAPH <{g}> {{ <{ref.ref}> <{self._resolved_by}> ?m }} }} ;\n"
                f"DELETE WHERE {{ GRAPH <{g}> {{ <{ref.ref}> <{self._score}> ?s }} }} ;\n"
                f"DELETE {{ GRAPH <{g}> {{ <{ref.article}> <{_CITES}> <{ref.target}> }} }} WHERE {{ GRAPH <{g}> {{ "
                f"<{ref.article}> <{_CITES}> <{ref.target}> FILTER NOT EXISTS {{ <{ref.article}> <{_PART}> ?r . "
                f"?r <{_REFERENCES}> <{ref.target}> }} }} }}")

    @staticmethod
    def insert_update(lines: dict[str, list[str]]) -> str:
        return "INSERT DATA { " + " ".join(
            f"GRAPH <{graph}> {{ {' '.join(dict.fromkeys(found))} }}" for graph, found in lines.items()) + " }"

    @staticmethod
    def _with_links(write: GraphWrite, new_lines: dict[str, list[str]]) -> GraphWrite:
        lines = new_lines.get(write.graph_iri)
        return replace(write, ntriples="\n".join([write.ntriples, *dict.fromkeys(lines)])) if lines else write


def _decimal(value: float) -> str:
    """A score as Oxigraph stores an xsd:decimal ('1', '0.95'), so what is written is what is read back."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


_resolvers: WeakKeyDictionary = WeakKeyDictionary()


def index_path(store_path: Path) -> Path:
    """Where a store's reference index lives: beside it, as its search index does."""
    return store_path.with_name(store_path.name + ".references.sqlite")


def resolves(store) -> bool:
    """Whether writes to `store` are resolved: the embedded store, directly or through the server
    holding it; not a store server (not resolved yet), nor no store (validation)."""
    return getattr(store, "path", None) is not None


def cached_resolver(store, iris: Iris) -> Resolver | None:
    """The store's resolver, made on first use; None when the store `resolves` not. Nothing more:
    rerun.py, which makes the index anew anyway, takes it from here."""
    if not resolves(store):
        return None
    if store not in _resolvers:
        _resolvers[store] = Resolver(ReferenceIndex(index_path(store.path)), iris)
    return _resolvers[store]


def resolver_of(store, iris: Iris) -> Resolver | None:
    """The store's resolver, made on first use; None for a store server (not resolved yet). Made
    while a marker says a run stopped mid-batch, the index may not match the store: made anew first."""
    made = resolves(store) and store not in _resolvers
    resolver = cached_resolver(store, iris)
    if made and resolver.pending.exists():
        from rdfpub.references.rerun import rerun  # it builds on this module
        rerun(store, iris)
    return resolver


def apply_resolving(store, iris: Iris, operations: list[Operation], results: list) -> None:
    """The store's apply of a batch (rdfpub/pipeline/ingest.py), with the batch's text-only references resolved."""
    shared, withdrawn = iris.shared_graph(), iris.withdrawn_graph()
    resolver = resolver_of(store, iris)
    if resolver is None:
        store.apply(operations, shared, withdrawn)
        return
    citations = {id(r.write): r.citations for r in results if getattr(r, "citations", None) is not None}
    resolver.apply(operations, citations, lambda ops: store.apply(ops, shared, withdrawn), store.update)
