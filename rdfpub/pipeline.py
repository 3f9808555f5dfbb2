"""The path of a record: read -> map -> validate -> store, one record at a time, rejecting without stopping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdfpub.errors import ParseError, StoreError
from rdfpub.iris import Iris
from rdfpub.mapping import MappedRecord, Mapper
from rdfpub.model import Record
from rdfpub.settings import Settings
from rdfpub.sources import read_records
from rdfpub.store import Store
from rdfpub.validation import Problem, Validator


@dataclass(frozen=True)
class Outcome:
    """What became of one record (or of an input that yielded none)."""

    source: str
    status: str  # "published", "replaced", "conformant", "rejected"
    label: str
    pmid: str | None = None
    reason: str = ""
    problems: tuple[Problem, ...] = ()
    is_record: bool = True  # False for an input that failed before yielding this record

    def describe(self) -> str:
        lines = [f"{self.label}: {self.reason}"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass
class Summary:
    """Counts of a run, and the rejected outcomes in order."""

    read: int = 0
    published: int = 0
    replaced: int = 0
    conformant: int = 0
    rejected: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "rejected":
            self.rejected.append(outcome)
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if outcome.is_record:
            self.read += 1


def input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every file below the folders named, in a stable order; hidden ones skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


class Pipeline:
    """Maps and validates records for one deployment, and stores them when given a store."""

    def __init__(self, settings: Settings, store: Store | None = None):
        iris = Iris(settings.base_iri)
        self.mapper = Mapper(iris, settings.license)
        self.validator = Validator(iris.vocab, f"{iris.base}/shapes#")
        self.store = store

    def run(self, paths: Iterable[Path], format_name: str | None = None,
            on_outcome: Callable[[Outcome], None] | None = None) -> Summary:
        summary = Summary()
        for outcome in self.outcomes(paths, format_name):
            summary.add(outcome)
            if on_outcome:
                on_outcome(outcome)
        return summary

    def outcomes(self, paths: Iterable[Path], format_name: str | None = None) -> Iterator[Outcome]:
        for path in input_files(paths):
            if not path.exists():
                yield Outcome(str(path), "rejected", str(path), reason="no such file or folder",
                              is_record=False)
                continue
            records = read_records(path, format_name)
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    break
                except ParseError as error:
                    # A parser that fails mid-file cannot go on with that file; others still do.
                    where = error.source + (f":{error.line}" if error.line is not None else "")
                    reason = error.reason + (f" ({error.hint})" if error.hint else "")
                    yield Outcome(str(path), "rejected", where, reason=reason, is_record=False)
                    break
                yield self.process(record)

    def process(self, record: Record) -> Outcome:
        """Map, validate and (with a store) publish one record; never raises for bad data."""
        source, label, pmid = record.source.name, record.label, record.article.pmid
        try:
            mapped: MappedRecord = self.mapper.map_record(record)
        except Exception as error:  # a mapping bug must not take the neighbours down
            return Outcome(source, "rejected", label, pmid, reason=f"could not be mapped to RDF: {error!r}")
        violations = self.validator.violations(mapped.graph)
        if violations:
            return Outcome(source, "rejected", label, pmid,
                           reason=f"{len(violations)} violation(s) of the shapes; not stored",
                           problems=tuple(violations))
        if self.store is None:
            return Outcome(source, "conformant", label, pmid)
        try:
            replaced = self.store.replace_graph(mapped.graph_iri, mapped.graph)
        except OSError as error:
            raise StoreError(f"writing {label} to the store failed: {error}") from error
        return Outcome(source, "replaced" if replaced else "published", label, pmid)
