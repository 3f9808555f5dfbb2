"""What an article is about and what kind it is: MeSH headings, concepts, keywords, publication types."""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class PublicationType:
    name: str
    ui: str | None = None  # the MeSH publication-type descriptor UI, e.g. D016454 for Review


@dataclass(frozen=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True)
class MeshHeading:
    """A MeSH descriptor with its qualifiers; `major` is the descriptor's own major-topic flag."""

    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A supplementary concept or a chemical: its MeSH name and UI; `kind` says which list it came
    from ('chemical', or the SupplMeshName type: 'Disease', 'Protocol', 'Organism', ...)."""

    name: str
    ui: str | None = None
    kind: str = "chemical"
    registry_number: str | None = None


@dataclass(frozen=True)
class Keyword:
    text: str
    major: bool = False
    owner: str | None = None
