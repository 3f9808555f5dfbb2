"""The few errors rdfpub raises, all under one base class, each saying what, where and what to do."""

from __future__ import annotations


class RdfpubError(Exception):
    """Base class: every error rdfpub raises on purpose is one of these."""


class ParseError(RdfpubError):
    """Input that cannot be read as a record: names the source, the line and the problem."""

    def __init__(self, message: str, *, source: str, line: int | None = None, hint: str = ""):
        self.source = source
        self.line = line
        self.reason = message
        self.hint = hint
        where = f"{source}:{line}" if line is not None else source
        text = f"{where}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class ValidationFailed(RdfpubError):
    """A record whose RDF breaks the SHACL shapes; carries the readable problems."""

    def __init__(self, record_label: str, problems: list):
        self.record_label = record_label
        self.problems = problems
        lines = [f"{record_label}: {len(problems)} violation(s) of the shapes"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class StoreError(RdfpubError):
    """The store cannot be opened or written (locked by another process, bad directory)."""


class StoreLocked(StoreError):
    """The embedded store is open in another process (or this one), which holds its directory's lock."""


class QueryRejected(RdfpubError):
    """A SPARQL request refused before it reaches the engine (syntax, SERVICE, size, depth)."""


class QueryTooLarge(QueryRejected):
    """A query longer than the endpoint reads: refused for its size (HTTP 413), not its syntax."""
