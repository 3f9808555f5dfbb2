"""View models for the HTML pages: an article page a researcher reads, and an all-properties page for the rest."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS

from rdfpub.iris import MESH, Iris
from rdfpub.vocab import BIRO, C4O, CITO, FABIO, FRBR, PRISM, PRO

# What names a thing on a page, best first: a journal known only by its abbreviation is named by it.
_NAMES = [str(p) for p in (DCTERMS.title, FOAF.name, RDFS.label, FABIO.hasNLMJournalTitleAbbreviation,
                           DCTERMS.bibliographicCitation, C4O.hasContent)]
_ORCID = "https://orcid.org/"


_MESH_SPACE = MESH.split("{")[0]
_MESH_UI = re.compile(r"[CDQ][0-9]{6,9}(?:Q[0-9]{6,9})?")


def mesh_ui(iri: str) -> str | None:
    """The MeSH unique identifier an NLM MeSH IRI names, or None."""
    ui = iri[len(_MESH_SPACE):] if iri.startswith(_MESH_SPACE) else ""
    return ui if _MESH_UI.fullmatch(ui) else None


def local_href(base: str, iri: str) -> str:
    """A link to a resource: ours by its path on this server (which 303s to its page), a MeSH term by its
    page here (which lists its articles and links to NLM), others as they are. Paths, not base IRIs, so a
    browser stays on whatever host and port it reached the server on."""
    if iri.startswith(base + "/"):
        return iri[len(base):]
    ui = mesh_ui(iri)
    return f"/mesh/{ui}" if ui else iri


class Index:
    """The triples of a document by subject and predicate, with the lookups pages need."""

    def __init__(self, triples: list[ox.Triple], iris: Iris, prefixes: dict[str, str]):
        self.iris, self.prefixes = iris, prefixes
        self.by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for triple in triples:
            self.by_subject[_key(triple.subject)][triple.predicate.value].append(triple.object)

    def objects(self, subject: str, predicate) -> list:
        return self.by_subject.get(subject, {}).get(str(predicate), [])

    def value(self, subject: str, predicate) -> str | None:
        found = self.objects(subject, predicate)
        return found[0].value if found else None

    def subjects(self, predicate, target: str) -> list[str]:
        return sorted(s for s, properties in self.by_subject.items()
                      if any(_key(o) == target for o in properties.get(str(predicate), [])))

    def href(self, iri: str) -> str:
        return local_href(self.iris.base, iri)

    def label(self, iri: str) -> str:
        for predicate in _NAMES:
            found = self.objects(iri, predicate)
            if found:
                return found[0].value
        if pmid := self.value(iri, FABIO.hasPubMedId):
            return f"PMID {pmid}"
        if doi := self.value(iri, PRISM.doi):
            return f"DOI {doi}"
        return self.fallback_label(iri)

    def fallback_label(self, iri: str) -> str:
        """A readable name for a thing the document names nothing for: a journal by the key its IRI
        is minted from (never the bare IRI on a page), anything else by its prefixed name."""
        journal = self.iris.journal_of(iri)
        if journal == iri:
            kind, _, key = iri[len(self.iris.base) + len("/journal/"):].partition("/")
            key = unquote(key)
            return {"nlm": f"Journal NLM {key}", "issn": f"Journal ISSN {key}"}.get(kind, key.replace("_", " "))
        return self.curie(iri)

    def curie(self, iri: str) -> str:
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def link(self, iri: str) -> dict:
        return {"text": self.label(iri), "href": self.href(iri), "iri": iri}

    def term(self, term) -> dict:
        """A value as a page shows it: a link for an IRI, text for a literal or blank node."""
        if isinstance(term, ox.NamedNode):
            return self.link(term.value)
        if isinstance(term, ox.Literal):
            return {"text": term.value, "href": None, "language": term.language}
        return {"text": f"_:{term.value}", "href": None}


def _key(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _position(index: Index, node: str) -> int:
    value = index.value(node, index.iris.term("position"))
    return int(value) if value and value.isdigit() else 0


def _people(index: Index, article: str) -> list[dict]:
    people = []
    for role in sorted((o.value for o in index.objects(article, PRO.isDocumentContextFor)),
                       key=lambda r: _position(index, r)):
        agent = index.value(role, PRO.isHeldBy)
        if agent is None:
            continue
        name = index.value(agent, FOAF.name) or " ".join(
            filter(None, (index.value(agent, FOAF.givenName), index.value(agent, FOAF.familyName))))
        orcid = next((o.value for o in index.objects(agent, OWL.sameAs) if o.value.startswith(_ORCID)), None)
        people.append({
            "name": name or index.curie(agent), "href": index.href(agent), "orcid": orcid,
            "editor": index.value(role, PRO.withRole) == str(PRO.editor),
            "affiliations": [index.value(a.value, FOAF.name) for a in index.objects(role, PRO.relatesToOrganization)
                             if index.value(a.value, FOAF.name)],
        })
    return people


def _venue(index: Index, article: str) -> dict | None:
    """Journal, volume and issue, read up the frbr:partOf chain."""
    venue: dict = {}
    node, seen = index.value(article, FRBR.partOf), set()
    while node and node not in seen:
        seen.add(node)
        venue.setdefault("volume", index.value(node, PRISM.volume))
        venue.setdefault("issue", index.value(node, PRISM.issueIdentifier))
        if not venue.get("volume"):
            venue.pop("volume")
        if not venue.get("issue"):
            venue.pop("issue")
        parent = index.value(node, FRBR.partOf)
        if parent is None:
            venue["journal"] = index.link(node)
        node = parent
    return venue or None


def _abstract(index: Index, article: str) -> list[dict]:
    sections = sorted((o.value for o in index.objects(article, index.iris.term("hasAbstractSection"))),
                      key=lambda s: _position(index, s))
    if sections:
        return [{"label": index.value(s, RDFS.label) or index.value(s, index.iris.term("nlmCategory")),
                 "text": index.value(s, RDF.value)} for s in sections]
    return [{"label": None, "text": o.value} for o in index.objects(article, DCTERMS.abstract)]


def _identifiers(index: Index, article: str) -> list[dict]:
    found = []
    if pmid := index.value(article, FABIO.hasPubMedId):
        found.append({"scheme": "PMID", "value": pmid, "href": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"})
    if pmcid := index.value(article, FABIO.hasPubMedCentralId):
        found.append({"scheme": "PMCID", "value": pmcid, "href": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/"})
    for doi in index.objects(article, PRISM.doi):
        same = next((o.value for o in index.objects(article, OWL.sameAs) if o.value.startswith("https://doi.org/")),
                    None)
        found.append({"scheme": "DOI", "value": doi.value, "href": same})
    return found


def _number_affiliations(people: list[dict]) -> list[str]:
    """Each distinct affiliation once, numbered in order of first mention; each person gets the
    numbers of theirs (as a paper prints them), so a number is an affiliation's, not an author's."""
    numbered: list[str] = []
    for person in people:
        person["marks"] = []
        for affiliation in person["affiliations"]:
            if affiliation not in numbered:
                numbered.append(affiliation)
            person["marks"].append(numbered.index(affiliation) + 1)
    return numbered


def article_view(index: Index, article: str, incoming: list[tuple[str, str]], record: str | None = None) -> dict:
    """Everything the article page shows, in reading order. `record` is the record graph that
    describes the article; without one the page says that the dataset only knows of the work."""
    primary = {o.value for o in index.objects(article, FABIO.hasPrimarySubjectTerm)}
    mesh = sorted(({"text": index.label(o.value), "href": index.href(o.value), "major": o.value in primary}
                   for o in index.objects(article, FABIO.hasSubjectTerm)), key=lambda m: m["text"].lower())
    references = []
    for entry in sorted((o.value for o in index.objects(article, FRBR.part)), key=lambda e: _position(index, e)):
        target = index.value(entry, BIRO.references)
        references.append({"text": index.value(entry, C4O.hasContent) or "",
                           "target": index.link(target) if target else None})
    cited = {r["target"]["iri"] for r in references if r["target"]}
    people = _people(index, article)
    authors = [p for p in people if not p["editor"]]
    return {
        "title": index.value(article, DCTERMS.title) or index.label(article),
        "record": record,
        "pmid": index.value(article, FABIO.hasPubMedId),
        "authors": authors,
        "affiliations": _number_affiliations(authors),
        "editors": [p for p in people if p["editor"]],
        "venue": _venue(index, article),
        "date": index.value(article, PRISM.publicationDate),
        "identifiers": _identifiers(index, article),
        "abstract": _abstract(index, article),
        "mesh": mesh,
        "keywords": sorted(o.value for o in index.objects(article, PRISM.keyword)),
        "references": references,
        "cites": [index.link(o.value) for o in index.objects(article, CITO.cites) if o.value not in cited],
        "cited_by": [index.link(s) for p, s in incoming if p == str(CITO.cites)],
        "similar": [index.link(o.value) for o in index.objects(article, index.iris.term("hasSimilarArticle"))],
        "links_out": sorted({o.value for p in (OWL.sameAs, RDFS.seeAlso) for o in index.objects(article, p)}),
    }


def article_schema(view: dict, iri: str) -> dict:
    """schema.org JSON-LD for search engines (ScholarlyArticle)."""
    schema: dict = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "@id": iri, "url": iri,
                    "name": view["title"], "headline": view["title"][:110]}
    schema["author"] = [{"@type": "Person", "name": a["name"], **({"sameAs": a["orcid"]} if a["orcid"] else {}),
                         **({"affiliation": [{"@type": "Organization", "name": n} for n in a["affiliations"]]}
                            if a["affiliations"] else {})} for a in view["authors"]]
    if view["date"]:
        schema["datePublished"] = view["date"]
    if view["venue"] and view["venue"].get("journal"):
        schema["isPartOf"] = {"@type": "Periodical", "name": view["venue"]["journal"]["text"]}
    schema["identifier"] = [{"@type": "PropertyValue", "propertyID": i["scheme"], "value": i["value"]}
                            for i in view["identifiers"]]
    if view["abstract"]:
        schema["abstract"] = " ".join(s["text"] or "" for s in view["abstract"])
    schema["about"] = [{"@type": "DefinedTerm", "name": m["text"], "url": m["href"]} for m in view["mesh"]]
    schema["sameAs"] = view["links_out"]
    return schema


def resource_view(index: Index, iri: str, incoming: list[tuple[str, str]]) -> dict:
    """All properties of the resource, then of each typed node the document also describes."""
    def table(subject: str) -> list[dict]:
        return [{"predicate": index.link(p), "values": [index.term(o) for o in objects]}
                for p, objects in sorted(index.by_subject[subject].items(), key=lambda i: index.curie(i[0]))]

    others = [s for s, properties in index.by_subject.items()
              if s != iri and str(RDF.type) in properties and not (s in {str(i[1]) for i in incoming})]
    wholes = {}
    for predicate in (PRO.isDocumentContextFor, FRBR.part):
        for _, subject in incoming:
            for whole in index.subjects(predicate, subject):
                wholes[subject] = index.link(whole)
    return {
        "title": index.label(iri),
        "properties": table(iri),
        "others": [{"iri": s, "href": index.href(s), "anchor": s.partition("#")[2], "title": index.label(s), "properties": table(s)}
                   for s in sorted(others)],
        "incoming": [{"predicate": index.link(p), "subject": index.link(s), "whole": wholes.get(s)}
                     for p, s in incoming],
    }
