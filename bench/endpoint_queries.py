"""The six query kinds of the endpoint benchmark: templates, the store values that fill them, and result comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.compare import isomorphic

PREFIXES = """PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX pro: <http://purl.org/spar/pro/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
SELECT_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Kind:
    """One query kind: a template filled with one value, the sampling query whose first column gives
    the values (in a stable order), and the media type its answers are asked for in."""

    name: str
    template: Callable[[str], str]
    values: str
    accept: str = SELECT_RESULTS
    most_requests: int = 0  # a cap on requests a cell for a query that reads the whole store (0: none)


def _document(article: str) -> str:
    # The article's own triples, then those of the nodes it owns (roles, abstract sections, grants,
    # references, manifestation: IRIs under the article's) and of the nodes these own in turn
    # (agents and affiliations of the roles).
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ <{article}> ?p ?o BIND(<{article}> AS ?s) }}
  UNION {{ <{article}> ?link ?s . ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{article}/")) }}
  UNION {{ <{article}> ?link ?owned . ?owned ?link2 ?s . ?s ?p ?o
          FILTER(STRSTARTS(STR(?owned), "{article}/") && STRSTARTS(STR(?s), "{article}/")) }}
}}"""


KINDS = [
    Kind("point lookup",
         lambda pmid: PREFIXES + f'SELECT ?a ?t {{ ?a fabio:hasPubMedId "{pmid}" ; dcterms:title ?t }}',
         # Published records only: a cited article's stub has a PMID but no title.
         "SELECT DISTINCT ?p { ?g foaf:primaryTopic ?a . ?a fabio:hasPubMedId ?p } ORDER BY ?p"),
    Kind("article document", _document,
         "SELECT DISTINCT ?a { ?g foaf:primaryTopic ?a } ORDER BY ?a", N_TRIPLES),
    Kind("cited-by count",
         lambda article: PREFIXES + f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ ?c cito:cites <{article}> }}",
         "SELECT DISTINCT ?a { ?c cito:cites ?a } ORDER BY ?a"),
    Kind("top-cited",
         # The ten articles most cited by the articles of one year: a grouped aggregate over the
         # citations, filled from the years that citing articles have.
         lambda year: PREFIXES + "SELECT ?a (COUNT(DISTINCT ?c) AS ?n) { "
                                 f'?c fabio:hasPublicationYear "{year}"^^xsd:gYear ; cito:cites ?a }} '
                                 "GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 10",
         "SELECT DISTINCT ?y { ?c cito:cites ?a ; fabio:hasPublicationYear ?y } ORDER BY ?y"),
    Kind("top-cited, all",
         # The issue's own aggregate: the ten most cited articles of the whole store (one query).
         lambda _: PREFIXES + "SELECT ?a (COUNT(DISTINCT ?c) AS ?n) { ?c cito:cites ?a } "
                              "GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 10",
         "SELECT ?all { BIND(1 AS ?all) }", most_requests=24),
    Kind("by MeSH term",
         lambda term: PREFIXES + f"SELECT ?a ?t {{ ?a fabio:hasSubjectTerm <{term}> ; dcterms:title ?t }}",
         # Descriptors only, not descriptor/qualifier pairs (…/D009369Q000188).
         'SELECT DISTINCT ?m { ?a fabio:hasSubjectTerm ?m FILTER(!CONTAINS(STR(?m), "Q")) } ORDER BY ?m'),
    Kind("author's articles",
         lambda person: PREFIXES + "SELECT ?a ?t { ?a pro:isDocumentContextFor ?r ; dcterms:title ?t . "
                                   f"?r pro:isHeldBy <{person}> ; pro:withRole pro:author }}",
         "SELECT DISTINCT ?p { ?r pro:isHeldBy ?p ; pro:withRole pro:author } ORDER BY ?p"),
]


def spread(values: list[str], count: int) -> list[str]:
    """At most `count` of `values`, taken at even steps so they come from all over the store."""
    step = max(1, len(values) // count)
    return values[::step][:count]


def bindings(body: bytes) -> list[dict]:
    """A SELECT answer's rows, in the order received."""
    return json.loads(body)["results"]["bindings"]


def _values(body: bytes) -> set[tuple]:
    # Term types and values only: rdflib leaves out the datatype of a plain string, Oxigraph does not.
    return {tuple(sorted((name, term["type"], term["value"]) for name, term in row.items()))
            for row in bindings(body)}


def same(kind: Kind, ours: bytes, theirs: bytes, exact: bool) -> bool:
    """Whether two servers answered alike. `exact`: the same rows in the same order, duplicates
    included (two Oxigraph engines); otherwise the same set of rows (rdflib's union default graph
    holds each triple once, where Oxigraph's sees a triple once per record graph that has it).
    Graphs are compared as graphs, by isomorphism, whatever the order of their triples."""
    if kind.accept == N_TRIPLES:
        return isomorphic(Graph().parse(data=ours, format="nt"), Graph().parse(data=theirs, format="nt"))
    if exact:
        return bindings(ours) == bindings(theirs)
    return _values(ours) == _values(theirs)
