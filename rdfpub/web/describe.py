"""What the document of one resource holds: its triples, those of the nodes it owns, the labels of what
it links to, and one page of the links that point at it. Runs on one thread (pyoxigraph iterators)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, RDFS

from rdfpub.store import Store
from rdfpub.vocab import DATACITE, FABIO, FRAPO, FRBR, PRISM, PRO

PAGE_SIZE = 100
# Ownership goes at most this deep (article -> role -> agent -> ORCID identifier) and this wide,
# so one request costs a bounded number of bounded queries whatever the store holds.
_MAX_DEPTH = 4
_MAX_NODES = 5000
_VALUES_CHUNK = 500
# Links to nodes a resource owns beside those minted below its own IRI.
_OWNING = {str(p) for p in (DATACITE.hasIdentifier, PRO.isHeldBy, PRO.relatesToOrganization, FRBR.embodiment,
                            FRAPO.hasFundingAgency)}
# What is fetched of a linked resource to name it on a page: titles, labels, ids, and its container.
_LABELS = " ".join(f"<{p}>" for p in (DCTERMS.title, RDFS.label, FOAF.name, FABIO.hasPubMedId, PRISM.doi,
                                      FABIO.hasNLMJournalTitleAbbreviation,
                                      DCTERMS.bibliographicCitation, FRBR.partOf, PRISM.volume,
                                      PRISM.issueIdentifier, FABIO.hasPublicationYear))
# Links from a whole to a part: an incoming link from a part is shown with its whole (a role's article).
_PARTS = f"<{PRO.isDocumentContextFor}> <{FRBR.part}>"


@dataclass(frozen=True)
class Description:
    """The triples of one page of a resource's document, and where the incoming links stand."""

    iri: str
    triples: list[ox.Triple]
    incoming: list[tuple[str, str]]  # (predicate, subject) of this page's incoming links
    incoming_total: int
    has_next: bool


def exists(store: Store, iri: str) -> bool:
    """True when the store says anything about `iri` (a valid IRI)."""
    return bool(store.query(f"ASK {{ {ox.NamedNode(iri)} ?p ?o }}"))


def _rows(store: Store, query: str, names: tuple[str, ...]) -> list[tuple]:
    return [tuple(row[name] for name in names) for row in store.query(query)]


def _per_node(nodes: list, pattern: str) -> str:
    """One UNION branch per node, `pattern` with `$node` in it: a node named as a constant is an
    index lookup for Oxigraph, where `VALUES ?s` beside another VALUES made it scan the store
    (30 s against a fraction of a second for a page of a much-cited article at 10,000 records).
    Within a branch the predicates come from VALUES, so each is a lookup on (node, predicate)
    rather than a read of all the node's triples, filtered: a much-cited work states its own in
    every citing record's graph (labels of 40 such works: 48 ms against 120)."""
    return " UNION ".join("{ " + pattern.replace("$node", str(node)) + " }" for node in nodes)


def _chunks(nodes: list[ox.NamedNode]):
    for start in range(0, len(nodes), _VALUES_CHUNK):
        yield " ".join(str(node) for node in nodes[start:start + _VALUES_CHUNK])


def _owns(iri: str, predicate: ox.NamedNode, target) -> bool:
    return isinstance(target, ox.NamedNode) and (
        target.value.startswith(iri + "/") or predicate.value in _OWNING)


def _own_triples(store: Store, node: ox.NamedNode, triples: dict, linked: set) -> None:
    """The resource's triples and, level by level, those of the nodes it owns."""
    owned, frontier = {node}, [node]
    for _ in range(_MAX_DEPTH):
        found = []
        for values in _chunks(frontier):
            for s, p, o in _rows(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}",
                                 ("s", "p", "o")):
                triples[ox.Triple(s, p, o)] = None
                if _owns(node.value, p, o) and o not in owned and len(owned) < _MAX_NODES:
                    owned.add(o)
                    found.append(o)
                elif isinstance(o, ox.NamedNode):
                    linked.add(o)
        frontier = found
        if not frontier:
            break
    linked.difference_update(owned)


def _labels(store: Store, nodes: set, triples: dict) -> None:
    """Names of linked resources, following frbr:partOf up a journal's issue -> volume -> journal chain."""
    pending, done = list(nodes)[:_MAX_NODES], set()
    for _ in range(3):
        done.update(pending)
        containers = []
        for start in range(0, len(pending), _VALUES_CHUNK):
            branches = _per_node(pending[start:start + _VALUES_CHUNK],
                                 f"BIND($node AS ?s) VALUES ?p {{ {_LABELS} }} $node ?p ?o")
            for s, p, o in _rows(store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {branches} }}", ("s", "p", "o")):
                triples[ox.Triple(s, p, o)] = None
                if p.value == str(FRBR.partOf) and o not in done:
                    containers.append(o)
        pending = containers
        if not pending:
            return


def _incoming(store: Store, node: ox.NamedNode, page: int, page_size: int, triples: dict) -> tuple:
    not_owned = f"FILTER(!STRSTARTS(STR(?s), {ox.Literal(node.value + '/')}))"
    rows = _rows(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} {not_owned} }} ORDER BY ?p ?s "
                        f"LIMIT {page_size + 1} OFFSET {(page - 1) * page_size}", ("s", "p"))
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    total = int(next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} {not_owned} }} }}")))["n"].value)
    subjects = set()
    for s, p in rows:
        triples[ox.Triple(s, p, node)] = None
        if isinstance(s, ox.NamedNode):
            subjects.add(s)
    # A part that links here (a role held by this agent) is shown with its whole (the article).
    ordered = sorted(subjects, key=str)
    for start in range(0, len(ordered), _VALUES_CHUNK):
        branches = _per_node(ordered[start:start + _VALUES_CHUNK],
                             f"BIND($node AS ?s) VALUES ?l {{ {_PARTS} }} ?w ?l $node")
        for whole, link, part in _rows(store, f"SELECT DISTINCT ?w ?l ?s WHERE {{ {branches} }}", ("w", "l", "s")):
            triples[ox.Triple(whole, link, part)] = None
            subjects.add(whole)
    incoming = [(p.value, s.value if isinstance(s, ox.NamedNode) else str(s)) for s, p in rows]
    return incoming, total, has_next, subjects


def describe(store: Store, iri: str, page: int = 1, page_size: int | None = None) -> Description:
    """Page 1 holds the resource with what it owns and the first incoming links; later pages hold
    only further incoming links (Link: rel="next" leads from one to the next)."""
    page_size = page_size or PAGE_SIZE
    node = ox.NamedNode(iri)
    triples: dict[ox.Triple, None] = {}
    linked: set = set()
    if page == 1:
        _own_triples(store, node, triples, linked)
    incoming, total, has_next, subjects = _incoming(store, node, page, page_size, triples)
    _labels(store, linked | subjects, triples)
    return Description(iri, list(triples), incoming, total, has_next)
