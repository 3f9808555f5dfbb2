"""One record's way from the model to publishable triples: map, validate, and say what became of it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdfpub.iris import Iris
from rdfpub.mapping import MappedRecord, Mapper, source_file_name
from rdfpub.model import Record, Unreadable
from rdfpub.references.resolution import RecordCitations, citations_of
from rdfpub.settings import Settings
from rdfpub.store.shared_graph import GraphWrite
from rdfpub.validation.gate import Problem, Validator


@dataclass(frozen=True)
class Prepared:
    """A record that passed the shapes, ready to be written: its graph and what it adds to the
    shared graph (rdfpub/mapping/placement.py), and what decides whether it replaces a stored
    one (PMID version, revision date, content digest)."""

    label: str
    source: str
    position: int
    pmid: str | None
    write: GraphWrite
    digest: str
    version: int
    revised: str
    warnings: tuple[Problem, ...] = ()
    source_format: str = ""
    citations: RecordCitations | None = None  # keys for resolving text-only references (references/resolution.py)

    @property
    def graph_iri(self) -> str:
        return self.write.graph_iri

    @property
    def source_file(self) -> str:
        return source_file_name(self.source)


@dataclass(frozen=True)
class Outcome:
    """What became of one record, or of an input that failed before yielding one."""

    source: str
    # published, replaced, unchanged, older, withdrawn (a later file deletes it), conformant, rejected;
    # for a DeleteCitation's PMID: deleted, absent (nothing stored), superseded (a later file's copy is stored)
    status: str
    label: str
    pmid: str | None = None
    reason: str = ""
    problems: tuple[Problem, ...] = ()
    is_record: bool = True
    position: int | None = None
    raw: str | None = None

    def describe(self) -> str:
        lines = [f"{self.label}: {self.reason}"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def graph_write(mapped: MappedRecord) -> GraphWrite:
    """A mapped record as the store writes it: its own graph, and its share of the shared graph."""
    placement = mapped.placement
    return GraphWrite(mapped.graph_iri, "\n".join(sorted(placement.own)), "\n".join(sorted(placement.shared)),
                      tuple(sorted((graph, "\n".join(sorted(lines))) for graph, lines in placement.about_works.items())),
                      mapped.article_iri)


def input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every file below the folders named, in a stable order; hidden ones skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def rejected(item: Record | Unreadable, reason: str, problems: tuple[Problem, ...] = ()) -> Outcome:
    source = item.source
    pmid = item.article.pmid if isinstance(item, Record) else item.pmid
    return Outcome(source.name, "rejected", item.label, pmid, reason, problems, position=source.position,
                   raw=item.raw)


class Preparer:
    """Maps and validates records for one deployment; runs in the worker processes. With `resolve`
    false (nothing the run writes is resolved: rdfpub/references/resolution.py, `resolves`), the
    records' reference keys are not computed (~21 us a reference)."""

    def __init__(self, settings: Settings, resolve: bool = True):
        iris = Iris(settings.base_iri)
        self.mapper = Mapper(iris, settings.license)
        self.validator = Validator(iris.vocab, f"{iris.base}/shapes#")
        self.resolve = resolve

    def prepare_batch(self, items: list) -> list:
        """Each record's publishable triples, or its rejection; never raises for bad data. Deletions,
        and outcomes made while reading, pass through unchanged. The records are checked together
        (faster); a record that breaks the mapper or the checker is rejected alone, its neighbours
        checked without it."""
        results: list = list(items)
        mapped: dict[int, tuple[MappedRecord, GraphWrite]] = {}
        for index, item in enumerate(items):
            if isinstance(item, Unreadable):
                results[index] = rejected(item, item.reason)
            elif isinstance(item, Record):
                try:
                    record = self.mapper.map_record(item)
                    mapped[index] = (record, graph_write(record))
                except Exception as error:  # a bug on one record must not take its neighbours down
                    results[index] = _could_not(item, error)
        indexes = list(mapped)
        try:
            found = self.validator.problems_of_batch([mapped[i][1].all_ntriples for i in indexes])
        except Exception:  # then record by record, so only the record at fault is rejected
            found = []
            for index in indexes:
                try:
                    found.append(self.validator.problems(ntriples=mapped[index][1].all_ntriples))
                except Exception as error:
                    found.append(error)
        for index, problems in zip(indexes, found):
            item, (record, write) = items[index], mapped[index]
            results[index] = _could_not(item, problems) if isinstance(problems, Exception) else \
                self._verdict(item, record, write, problems)
        return results

    def _verdict(self, item: Record, mapped: MappedRecord, write: GraphWrite, problems: list[Problem]) -> Prepared | Outcome:
        violations = [p for p in problems if p.severity == "Violation"]
        if violations:
            return rejected(item, f"{len(violations)} violation(s) of the shapes; not stored", tuple(problems))
        return Prepared(item.label, item.source.name, item.source.position, item.article.pmid,
                        write, mapped.digest, mapped.version, mapped.revised, tuple(problems), item.source.format,
                        citations_of(item, self.mapper.iris, mapped.article_iri, mapped.graph_iri)
                        if self.resolve else None)


def _could_not(item: Record, error: Exception) -> Outcome:
    return rejected(item, f"could not be mapped or checked ({type(error).__name__}: {error}); please report this record")
