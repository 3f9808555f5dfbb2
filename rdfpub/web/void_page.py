"""The dataset description as a page people read: its figures, its downloads with their sizes and checksums,
its links to other datasets, and its classes and properties by use, in tables (the RDF holds them as VoID
partitions, blank nodes a generic page would list one by one)."""

from __future__ import annotations

from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from rdfpub.web.pages import Index, _key

SPDX = "http://spdx.org/rdf/terms#"
FIGURES = [("documents", "records"), ("triples", "triples"), ("entities", "entities (things named under the base)"),
           ("distinctSubjects", "distinct subjects"), ("distinctObjects", "distinct objects"),
           ("classes", "classes"), ("properties", "properties")]


def _number(index: Index, node: str, predicate) -> int:
    value = index.value(node, predicate)
    return int(value) if value and value.isdigit() else 0


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if count < 1000 or unit == "TB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1000
    return ""


def void_view(index: Index, dataset: str) -> dict:
    def nodes(predicate) -> list[str]:
        return [_key(o) for o in index.objects(dataset, predicate)]

    distributions = []
    for node in sorted(nodes(DCAT.distribution)):
        checksum = next((_key(o) for o in index.objects(node, SPDX + "checksum")), None)
        media = index.value(node, DCAT.mediaType) or ""
        distributions.append({
            "name": index.value(node, DCTERMS.title), "href": index.href(node),
            "media_type": media.rsplit("/media-types/", 1)[-1],
            "gzipped": bool(index.objects(node, DCAT.compressFormat)),
            "size": _size(_number(index, node, DCAT.byteSize)),
            "sha256": index.value(checksum, SPDX + "checksumValue") if checksum else None,
        })
    linksets = []
    for node in nodes(VOID.subset):
        target = next((_key(o) for o in index.objects(node, VOID.objectsTarget)), None)
        linksets.append({"title": index.value(target, DCTERMS.title) if target else node,
                         "space": index.value(target, VOID.uriSpace) if target else None,
                         "predicate": index.link(index.value(node, VOID.linkPredicate) or ""),
                         "triples": _number(index, node, VOID.triples)})
    classes = sorted(({"term": index.link(index.value(node, VOID["class"]) or ""),
                       "count": _number(index, node, VOID.entities)} for node in nodes(VOID.classPartition)),
                     key=lambda row: (-row["count"], row["term"]["text"]))
    properties = sorted(({"term": index.link(index.value(node, VOID.property) or ""),
                          "count": _number(index, node, VOID.triples)} for node in nodes(VOID.propertyPartition)),
                        key=lambda row: (-row["count"], row["term"]["text"]))
    return {
        "title": index.value(dataset, DCTERMS.title) or "Dataset",
        "description": index.value(dataset, DCTERMS.description),
        "license": index.value(dataset, DCTERMS.license),
        "modified": index.value(dataset, DCTERMS.modified),
        "homepage": index.href(index.value(dataset, FOAF.homepage) or "/"),
        "endpoint": index.href(index.value(dataset, VOID.sparqlEndpoint) or "/sparql"),
        "figures": [(label, _number(index, dataset, VOID[name])) for name, label in FIGURES],
        "distributions": distributions,
        "linksets": sorted(linksets, key=lambda row: -row["triples"]),
        "classes": classes,
        "properties": properties,
        "vocabularies": [index.link(o.value) for o in index.objects(dataset, VOID.vocabulary)],
        "examples": [index.link(o.value) for o in index.objects(dataset, VOID.exampleResource)],
    }
