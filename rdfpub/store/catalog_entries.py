"""What the search and listing index keeps of one record: its article, title, date, and the journal,
people and MeSH terms it links to, read from the record's graph (as written, or as stored)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF

from rdfpub.vocab import FABIO, FRBR, PRISM, PRO

TOPIC = str(FOAF.primaryTopic)
TITLE = str(DCTERMS.title)
DATE = str(PRISM.publicationDate)
YEAR = str(FABIO.hasPublicationYear)
PART_OF = str(FRBR.partOf)
SUBJECT = str(FABIO.hasSubjectTerm)
ROLE = str(PRO.isDocumentContextFor)
HELD_BY = str(PRO.isHeldBy)
# The predicates an entry is made of (of the article, but HELD_BY: of its roles).
PREDICATES = (TOPIC, TITLE, DATE, YEAR, PART_OF, SUBJECT, ROLE, HELD_BY)
# An N-Triples line holds one of them exactly when it holds one of these: a cheap filter before parsing.
_MARKS = tuple(f"> <{predicate}> " for predicate in PREDICATES)

JournalOf = Callable[[str], "str | None"]
# A record graph ?g in SPARQL, inside GRAPH ?g { }: each states its own provenance (?t) and names its
# article (?a) (rdfpub/mapping/__init__.py).
RECORD_PATTERN = ("?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a ; "
                  "<http://www.w3.org/ns/prov#generatedAtTime> ?t")


@dataclass
class Entry:
    """One record as the index keeps it. `date` sorts as text, newest last ("2019" < "2019-05" <
    "2019-05-01"); `links` are (kind, IRI): "journal", "agent" (an author or editor) and "mesh"."""

    graph: str
    article: str
    title: str = ""
    date: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


def entry_of(graph: str, triples: Iterable[ox.Triple], journal_of: JournalOf) -> Entry | None:
    """The entry of the record graph `graph` from its triples; None when the graph names no article
    (it is not a record graph)."""
    values: dict[tuple[str, str], list] = {}
    for triple in triples:
        values.setdefault((_key(triple.subject), triple.predicate.value), []).append(triple.object)
    topics = values.get((graph, TOPIC))
    if not topics or not isinstance(topics[0], ox.NamedNode):
        return None
    article = topics[0].value

    def first(predicate: str) -> str:
        found = values.get((article, predicate))
        return found[0].value if found else ""

    entry = Entry(graph, article, first(TITLE), first(DATE) or first(YEAR))
    container = first(PART_OF)
    journal = journal_of(container) if container else None
    if journal:
        entry.links.append(("journal", journal))
    for role in values.get((article, ROLE), []):
        for agent in values.get((_key(role), HELD_BY), []):
            if isinstance(agent, ox.NamedNode):
                entry.links.append(("agent", agent.value))
    entry.links += [("mesh", term.value) for term in values.get((article, SUBJECT), [])
                    if isinstance(term, ox.NamedNode)]
    entry.links = list(dict.fromkeys(entry.links))
    return entry


def entry_of_ntriples(graph: str, ntriples: str, journal_of: JournalOf) -> Entry | None:
    """The entry of a record graph about to be written, from its N-Triples: only the lines that
    carry an entry's predicates are parsed, so ingest pays little for the index."""
    lines = "\n".join(line for line in ntriples.split("\n") if any(mark in line for mark in _MARKS))
    triples = [quad.triple for quad in ox.parse(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)] if lines else []
    return entry_of(graph, triples, journal_of)


def entry_of_stored(store: ox.Store, graph: str, journal_of: JournalOf) -> Entry | None:
    """The entry of a record graph in an embedded store, by a few index lookups (graph, predicate)."""
    name = ox.NamedNode(graph)
    triples = []
    for predicate in PREDICATES:
        triples += [quad.triple for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, name)]
    return entry_of(graph, triples, journal_of)


def _key(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)
