"""Which graph holds each triple of a record: the record's own graph, or the graph of shared things.

Every triple lives in exactly one graph, so that the union the SPARQL endpoint queries states each
fact once. The record's graph holds what that record alone says: triples about the record graph
itself, about nodes minted below its article's IRI (roles, references, ...), and about its article,
except the article's identity triples. Everything else is about a thing other records mention too
(cited works, identifiers, journals, volumes, issues, MeSH terms, agents known by ORCID, books by
ISBN) and goes to the shared graph, where writing it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from rdfpub.mapping.builder import GraphBuilder


@dataclass(frozen=True)
class Placement:
    """A record's N-Triples lines by graph. `about_works` holds the shared lines about other works, by the
    graph the work's own record has (or would have): what is not its identity (a DOI a reference
    gives, a title a page lists, the pages of its manifestation). A work published with its own
    record says those itself, and the store then keeps its record's copy only."""

    own: frozenset
    shared: frozenset
    about_works: dict[str, frozenset]


def place(builder: GraphBuilder, article: URIRef, graph: URIRef) -> Placement:
    # Plain strs: a str never equals a URIRef (rdflib compares the types too).
    article, graph = str(article), str(graph)
    below = article + "/"
    own, shared, about_works = set(), set(), {}
    others = {str(work): builder.iris.record_graph(str(work)) for work in builder.described - {article}}
    for line in builder.lines:
        subject = line[1:line.index(">")] if line[0] == "<" else None
        if subject is None or subject == graph or subject.startswith(below):
            own.add(line)  # the record graph itself, a node below the article, or a blank node
        elif subject == article:
            (shared if line in builder.identity else own).add(line)
        elif line not in builder.identity and (work := _work_of(subject, others)) is not None:
            about_works.setdefault(others[work], set()).add(line)
        else:
            shared.add(line)
    return Placement(frozenset(own), frozenset(shared),
                     {iri: frozenset(lines) for iri, lines in about_works.items()})


def _work_of(subject: str, works: dict[str, str]) -> str | None:
    """The mentioned work that `subject` is, or is a node below (its manifestation, say)."""
    candidate = subject
    while candidate not in works:
        cut = candidate.rfind("/")
        if cut <= 0:
            return None
        candidate = candidate[:cut]
    return candidate
