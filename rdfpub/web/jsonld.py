"""Compacted JSON-LD for documents: short terms (`title`, `doi`, `authors`) from one published context
(/context.jsonld), and the nodes a document owns embedded where they are named, so a web developer reads
an article as plain JSON. Every document expands to exactly its triples (JSON-LD 1.1, sections 4.1-4.3)."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox

from rdfpub.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# term -> (compact IRI of its property, True when its values are IRIs: "@type": "@id").
TERMS: dict[str, tuple[str, bool]] = {
    "title": ("dcterms:title", False), "alternativeTitle": ("dcterms:alternative", False),
    "abstract": ("dcterms:abstract", False), "language": ("dcterms:language", True),
    "license": ("dcterms:license", True), "rights": ("dcterms:rights", False),
    "subjectText": ("dcterms:subject", False), "source": ("dcterms:source", False),
    "doi": ("prism:doi", False), "pmid": ("fabio:hasPubMedId", False), "pmcid": ("fabio:hasPubMedCentralId", False),
    "published": ("prism:publicationDate", False), "year": ("fabio:hasPublicationYear", False),
    "keyword": ("prism:keyword", False), "volume": ("prism:volume", False), "issue": ("prism:issueIdentifier", False),
    "issn": ("prism:issn", False), "eIssn": ("prism:eIssn", False),
    "startingPage": ("prism:startingPage", False), "endingPage": ("prism:endingPage", False),
    "pageRange": ("prism:pageRange", False),
    "authors": ("pro:isDocumentContextFor", True), "withRole": ("pro:withRole", True),
    "heldBy": ("pro:isHeldBy", True), "position": ("rdfpub:position", False),
    "affiliation": ("pro:relatesToOrganization", True), "next": ("oco:hasNext", True),
    "name": ("foaf:name", False), "givenName": ("foaf:givenName", False), "familyName": ("foaf:familyName", False),
    "partOf": ("frbr:partOf", True), "parts": ("frbr:part", True), "embodiment": ("frbr:embodiment", True),
    "subject": ("fabio:hasSubjectTerm", True), "majorSubject": ("fabio:hasPrimarySubjectTerm", True),
    "cites": ("cito:cites", True), "references": ("biro:references", True), "content": ("c4o:hasContent", False),
    "identifier": ("datacite:hasIdentifier", True), "scheme": ("datacite:usesIdentifierScheme", True),
    "value": ("literal:hasLiteralValue", False),
    "sameAs": ("owl:sameAs", True), "seeAlso": ("rdfs:seeAlso", True), "label": ("rdfs:label", False),
    "comment": ("rdfs:comment", False), "primaryTopic": ("foaf:primaryTopic", True),
    "inDataset": ("void:inDataset", True),
}


def context(base: str) -> dict:
    """The context: the prefixes rdfpub writes, its own vocabulary as `rdfpub:`, and the terms."""
    found: dict = {"id": "@id", "type": "@type", **PREFIXES, "rdfpub": f"{base}/vocab#"}
    for term, (curie, is_iri) in TERMS.items():
        found[term] = {"@id": curie, "@type": "@id"} if is_iri else curie
    return found


def context_document(base: str) -> bytes:
    return json.dumps({"@context": context(base)}, indent=2, sort_keys=True).encode("utf-8")


class _Writer:
    def __init__(self, base: str):
        self.prefixes = sorted({**PREFIXES, "rdfpub": f"{base}/vocab#"}.items(), key=lambda item: -len(item[1]))
        self.terms = {self.expand(curie): (term, is_iri) for term, (curie, is_iri) in TERMS.items()}

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return dict(self.prefixes)[prefix] + local

    def compact(self, iri: str) -> str:
        """An IRI as prefix:local when a prefix fits (and the result cannot be read as anything
        else), else whole."""
        for prefix, namespace in self.prefixes:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and not local.startswith("//") and ":" not in local:
                return f"{prefix}:{local}"
        return iri

    def key(self, predicate: str, value) -> tuple[str, bool]:
        """The key a value of `predicate` is written under, and whether it is written as a bare IRI:
        a term's, unless the term takes IRIs and the value is a literal."""
        term = self.terms.get(predicate)
        if term is None or (term[1] and isinstance(value, ox.Literal)):
            return self.compact(predicate), False
        return term[0], term[1] and isinstance(value, ox.NamedNode)

    def literal(self, value: ox.Literal):
        if value.language:
            return {"@value": value.value, "@language": value.language}
        datatype = value.datatype.value
        if datatype == XSD_STRING:
            return value.value
        if datatype == XSD_INTEGER and value.value.isascii() and value.value.isdigit() and \
                str(int(value.value)) == value.value and abs(int(value.value)) < 2 ** 53:
            return int(value.value)  # a JSON number reads back as the same xsd:integer
        return {"@value": value.value, "@type": self.compact(datatype)}


KEY_ORDER = {key: position for position, key in enumerate(["id", "type", *TERMS])}
# The links from a whole to what it owns: a node linked once by one of these is written inside its whole.
OWNING = frozenset(f"{PREFIXES[prefix]}{local}" for prefix, local in (
    ("pro", "isDocumentContextFor"), ("pro", "isHeldBy"), ("pro", "relatesToOrganization"), ("frbr", "part"),
    ("frbr", "embodiment"), ("frbr", "partOf"), ("datacite", "hasIdentifier"), ("frapo", "isSupportedBy"),
    ("frapo", "hasFundingAgency"), ("void", "classPartition"), ("void", "propertyPartition"),
    ("void", "objectsTarget"))) | {"http://spdx.org/rdf/terms#checksum"}


def _name(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def compact(triples: list[ox.Triple], base: str, context_url: str, topic: str | None) -> bytes:
    """The triples as compacted JSON-LD naming the context at `context_url`: the document's topic
    first, and each node an owning link names once (a role, its agent, an identifier) written inside
    the node that links to it; a node is named by its IRI wherever else it is linked."""
    writer = _Writer(base)
    vocab = f"{base}/vocab#"
    owning = OWNING | {vocab + "hasAbstractSection"}
    nodes: dict[str, dict[str, list]] = {}
    for triple in sorted(triples, key=str):
        nodes.setdefault(_name(triple.subject), {}).setdefault(triple.predicate.value, []).append(triple.object)
    links = [(predicate, _name(value)) for properties in nodes.values() for predicate, values in properties.items()
             for value in values if not isinstance(value, ox.Literal)]
    owned = Counter(name for predicate, name in links if predicate in owning)
    named = Counter(name for _, name in links)
    embedded = {name for name, count in owned.items() if count == 1 and name in nodes and name != topic}
    done: set[str] = set()

    def node(name: str, inside: bool) -> dict:
        done.add(name)
        # A blank node written where its only link is needs no name; any other node keeps its own.
        out: dict = {} if inside and name.startswith("_:") and named[name] == 1 else {"id": writer.compact(name)}
        for predicate, values in nodes[name].items():
            if predicate == RDF_TYPE and all(isinstance(v, ox.NamedNode) for v in values):
                out["type"] = [writer.compact(v.value) for v in values]
                continue
            for value in values:
                key, bare = writer.key(predicate, value)
                out.setdefault(key, []).append(write(predicate, value, bare))
        # id, type, then the terms in the order of TERMS (title, abstract, ..., authors), then the rest.
        keys = sorted(out, key=lambda key: (KEY_ORDER.get(key, len(KEY_ORDER)), key))
        return {key: out[key][0] if len(out[key]) == 1 and key != "type" else out[key] for key in keys}

    def write(predicate: str, value, bare: bool):
        if isinstance(value, ox.Literal):
            return writer.literal(value)
        name = _name(value)
        if predicate in owning and name in embedded and name not in done:
            return node(name, inside=True)
        return writer.compact(name) if bare else {"id": writer.compact(name)}

    order = ([topic] if topic in nodes else []) + [name for name in nodes if name != topic]
    graph = [node(name, inside=False) for name in order if name not in embedded and name not in done]
    # Owned nodes whose wholes are not in the document (or that own each other) are written on their own.
    graph += [node(name, inside=False) for name in nodes if name not in done]
    document = {"@context": context_url, **graph[0]} if len(graph) == 1 else {"@context": context_url, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
