"""Authors and editors: personal or collective names, identifiers, affiliations."""

from __future__ import annotations

from dataclasses import dataclass

from rdfpub.model.values import Identifier

@dataclass(frozen=True)
class Affiliation:
    """One affiliation of an author, as text, with any institution identifiers (ROR, GRID, ISNI)."""

    text: str
    identifiers: tuple[Identifier, ...] = ()


@dataclass(frozen=True)
class Author:
    """A personal author (last name, fore name, initials, suffix) or a collective one (a group name)."""

    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    equal_contribution: bool = False

    @property
    def name(self) -> str:
        """The name as a reader would write it: 'Fore Last Suffix', or the group's name."""
        if self.collective_name:
            return self.collective_name
        parts = [self.fore_name or self.initials, self.last_name, self.suffix]
        return " ".join(part for part in parts if part)
