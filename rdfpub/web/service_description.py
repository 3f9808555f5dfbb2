"""The SPARQL 1.1 Service Description of /sparql, with VoID statistics of its default dataset, and example queries."""

from __future__ import annotations

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# Counted once per checkpoint by a worker (under the query deadline like any query).
STATS_QUERIES = {
    # Each triple is in one graph only (rdfpub/store/shared_graph.py): counting quads counts triples.
    "triples": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
    # A record graph states its own provenance; other graphs (an ingest's writer lock, a server's
    # own) do not, and an empty graph a server keeps listed has no triple to match.
    "graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?g ?p ?o } }",
    "subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { GRAPH ?g { ?s a ?c } }",
}
# Result formats by their W3C format IRIs (https://www.w3.org/ns/formats/).
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"]

PREFIXES = """PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
FIRST_EXAMPLE = PREFIXES + """SELECT ?article ?pmid ?title WHERE {
  ?article fabio:hasPubMedId ?pmid ; dcterms:title ?title .
}
LIMIT 20"""
# One value of each kind the examples need, each found by a quick lookup (LIMIT 1, no sorting), so
# that every example shows rows on whatever the store holds; an example whose value the store does
# not have is left out.
_SAMPLES = {
    "mesh": """SELECT ?value ?label WHERE { ?a <http://purl.org/spar/fabio/hasSubjectTerm> ?value .
      ?value <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 1""",
    "cited": """SELECT ?value WHERE { ?citing <http://purl.org/spar/cito/cites> ?cited .
      ?cited <http://purl.org/spar/fabio/hasPubMedId> ?value } LIMIT 1""",
    "authors": """SELECT ?value WHERE { ?value <http://purl.org/spar/pro/isDocumentContextFor> ?role .
      ?role <http://purl.org/spar/pro/withRole> <http://purl.org/spar/pro/author> ;
            <http://purl.org/spar/pro/isHeldBy> ?agent } LIMIT 1""",
    "doi": """SELECT ?value WHERE { ?a <http://prismstandard.org/namespaces/basic/2.0/doi> ?value ;
      <http://purl.org/dc/terms/title> ?title } LIMIT 1""",
    "year": "SELECT ?value WHERE { ?a <http://purl.org/spar/fabio/hasPublicationYear> ?value } LIMIT 1",
}


def samples(store) -> dict[str, tuple]:
    """The values the examples are written with, read from the store: kind -> (value, label)."""
    found = {}
    for kind, query in _SAMPLES.items():
        for row in store.query(query):
            label = row["label"].value if "label" in query else None
            found[kind] = (row["value"], label)
            break
    return found


def examples(base: str, values: dict[str, tuple]) -> list[dict[str, str]]:
    """Queries that show what this dataset answers, for the query page, each with values the store
    holds (`samples`)."""
    found = [{"title": "Articles and their titles", "query": FIRST_EXAMPLE}]
    if "mesh" in values:
        term, label = values["mesh"]
        found.append({"title": f"Articles indexed with a MeSH term ({label})", "query": PREFIXES + f"""SELECT ?article ?title WHERE {{
  ?article fabio:hasSubjectTerm {term} ; dcterms:title ?title .
}}
LIMIT 50"""})
    if "cited" in values:
        found.append({"title": "Articles that cite an article", "query": PREFIXES + f"""PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?citing ?title WHERE {{
  ?cited fabio:hasPubMedId {values["cited"][0]} .
  ?citing cito:cites ?cited ; dcterms:title ?title .
}}"""})
    if "authors" in values:
        found.append({"title": "Authors of an article, in order", "query": f"""PREFIX pro: <http://purl.org/spar/pro/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfpub: <{base}/vocab#>
SELECT ?position ?name WHERE {{
  {values["authors"][0]} pro:isDocumentContextFor ?role .
  ?role pro:withRole pro:author ; rdfpub:position ?position ; pro:isHeldBy ?agent .
  ?agent foaf:name ?name .
}}
ORDER BY ?position"""})
    if "doi" in values:
        found.append({"title": "Look up a DOI", "query": PREFIXES + f"""PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
SELECT ?article ?title WHERE {{
  ?article prism:doi {values["doi"][0]} ; dcterms:title ?title .
}}"""})
    if "year" in values:
        found.append({"title": "Articles per year", "query": PREFIXES + """SELECT ?year (COUNT(?article) AS ?articles) WHERE {
  ?article fabio:hasPublicationYear ?year .
}
GROUP BY ?year ORDER BY DESC(?year)"""})
    return found


def description(endpoint: str, site: str, stats: dict[str, int]) -> list[ox.Triple]:
    """The service description as triples (SPARQL 1.1 Service Description, section 3); `site` is
    the server's root URL, where the dataset description is."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    def void(name: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + name)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        # The default graph is the union of the record graphs (sd:UnionDefaultGraph). The service
        # does not dereference IRIs and does not federate: neither feature is claimed.
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
        ox.Triple(default_graph, RDF_TYPE, void("Dataset")),
        ox.Triple(default_graph, void("sparqlEndpoint"), service),
        ox.Triple(default_graph, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                  ox.NamedNode(f"{site}/.well-known/void")),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in RESULT_FORMATS]
    names = {"triples": "triples", "subjects": "distinctSubjects", "properties": "properties",
             "classes": "classes", "graphs": "documents"}
    triples += [ox.Triple(default_graph, void(names[key]), ox.Literal(str(value), datatype=XSD_INTEGER))
                for key, value in stats.items() if key in names]
    return triples


def serialize(triples: list[ox.Triple], rdf_format: ox.RdfFormat) -> bytes:
    prefixes = {"sd": SD, "void": VOID} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples],
                            format=rdf_format, prefixes=prefixes)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
