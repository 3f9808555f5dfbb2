"""What an article is about: MeSH headings (major topics marked), concepts, chemicals, keywords, linked to NLM's IRIs."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS

from rdfpub.iris import mesh_iri
from rdfpub.mapping.builder import GraphBuilder
from rdfpub.model import Article, Concept
from rdfpub.vocab import FABIO, PRISM

# MeSH unique identifiers: descriptors D..., qualifiers Q..., supplementary concepts C...
_MESH_UI = re.compile(r"[DCQ][0-9]{6,9}")


def _mesh(ui: str | None) -> str | None:
    ui = ui.strip() if ui else None
    return ui if ui and _MESH_UI.fullmatch(ui) else None


def map_subjects(builder: GraphBuilder, node: URIRef, item: Article) -> None:
    """MeSH terms as NLM's own IRIs with the record's label; a heading the source gives by name
    only (MEDLINE text has no UIs) is kept as dcterms:subject text."""
    for heading in item.mesh_headings:
        descriptor = _mesh(heading.ui)
        major_qualifier = any(q.major for q in heading.qualifiers)
        if descriptor is None:
            names = [heading.descriptor] + [f"{heading.descriptor}/{q.name}" for q in heading.qualifiers]
            for name in names:
                builder.add(node, DCTERMS.subject, name)
            # Said in the record: this heading could not be queried by its MeSH IRI.
            builder.add(node, builder.term("unmatchedMeshHeading"), heading.descriptor)
            if heading.major or major_qualifier:
                builder.add(node, builder.term("majorSubject"), heading.descriptor)
            continue
        _subject(builder, node, descriptor, heading.descriptor, heading.major)
        for qualifier in heading.qualifiers:
            qualifier_ui = _mesh(qualifier.ui)
            if qualifier_ui is None:
                builder.add(node, DCTERMS.subject, f"{heading.descriptor}/{qualifier.name}")
                builder.add(node, builder.term("unmatchedMeshHeading"), f"{heading.descriptor}/{qualifier.name}")
                continue
            pair = URIRef(mesh_iri(descriptor, qualifier_ui))
            builder.add(node, FABIO.hasSubjectTerm, pair)
            builder.add(pair, RDFS.label, f"{heading.descriptor}/{qualifier.name}")
            if qualifier.major:
                builder.add(node, FABIO.hasPrimarySubjectTerm, pair)
        # MEDLINE marks a heading major when any of its qualifiers is: the descriptor is a major topic too.
        if major_qualifier and not heading.major:
            builder.add(node, FABIO.hasPrimarySubjectTerm, URIRef(mesh_iri(descriptor)))
    for concept in (*item.supplementary_concepts, *item.chemicals):
        _concept(builder, node, concept)
    for keyword in item.keywords:
        builder.add(node, PRISM.keyword, keyword.text)


def _subject(builder: GraphBuilder, node: URIRef, ui: str, label: str, major: bool) -> URIRef:
    term = URIRef(mesh_iri(ui))
    builder.add(node, FABIO.hasSubjectTerm, term)
    builder.add(term, RDFS.label, label)
    if major:
        builder.add(node, FABIO.hasPrimarySubjectTerm, term)
    return term


def _concept(builder: GraphBuilder, node: URIRef, concept: Concept) -> None:
    ui = _mesh(concept.ui)
    if ui is None:
        builder.add(node, DCTERMS.subject, concept.name)
        return
    term = _subject(builder, node, ui, concept.name, False)
    if concept.registry_number and concept.registry_number.strip() not in ("", "0"):
        builder.add(term, builder.term("registryNumber"), concept.registry_number.strip())
