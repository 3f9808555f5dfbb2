"""What `rdfpub validate` prints: per-record problems grouped and counted, as text, JSON, or a SHACL report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from rdfpub.iris import Iris
from rdfpub.mapping import Mapper
from rdfpub.model import Record
from rdfpub.pipeline.preparation import Outcome, input_files
from rdfpub.settings import Settings
from rdfpub.sources import read_records
from rdfpub.validation.gate import Validator

REPORT_FORMATS = ("text", "json", "turtle")


def _groups(outcome: Outcome) -> Counter:
    return Counter((p.severity, p.shape, p.path, p.message) for p in outcome.problems)


def text_report(outcomes: Iterable[Outcome]) -> str:
    """Each record with problems: its id, then each kind of problem once with its count and the
    focus nodes and values it was found on; then the kinds counted over all records."""
    lines, overall = [], Counter()
    for outcome in outcomes:
        if not outcome.problems and outcome.status != "rejected":
            continue
        verdict = "rejected" if outcome.status == "rejected" else "published with warnings"
        lines.append(f"{outcome.label}: {verdict}" + (f": {outcome.reason}" if outcome.reason else ""))
        groups = _groups(outcome)
        overall.update({(severity, shape, path, message): 1 for severity, shape, path, message in groups})
        # Violations first: they are why a record is rejected.
        ordered = sorted(groups.items(), key=lambda item: (item[0][0] != "Violation", -item[1]))
        for (severity, shape, path, message), count in ordered:
            places = [f"{p.focus}" + (f" = {p.value}" if p.value and p.value != p.focus else "")
                      for p in outcome.problems if (p.severity, p.shape, p.path, p.message) == (severity, shape, path, message)]
            shown = "; ".join(places[:3]) + (f"; and {len(places) - 3} more" if len(places) > 3 else "")
            lines.append(f"  {count} x {severity} {shape}{' ' + path if path else ''}: {message}")
            lines.append(f"      at {shown}")
    if overall:
        lines.append("problems by kind (records affected):")
        for (severity, shape, path, message), count in sorted(
                overall.items(), key=lambda item: (item[0][0] != "Violation", -item[1])):
            lines.append(f"  {count:>5}  {severity:<9} {shape}{' ' + path if path else ''}: {message}")
    return "\n".join(lines)


def json_report(outcomes: Iterable[Outcome]) -> str:
    records = [{
        "source": o.source, "position": o.position, "pmid": o.pmid, "record": o.label, "status": o.status,
        "reason": o.reason, "problems": [p.__dict__ for p in o.problems],
    } for o in outcomes]
    counts = Counter(r["status"] for r in records)
    kinds = Counter((p["severity"], p["shape"], p["message"]) for r in records for p in r["problems"])
    return json.dumps({
        "records": records,
        "summary": {"statuses": dict(counts),
                    "problems": [{"severity": s, "shape": sh, "message": m, "count": n}
                                 for (s, sh, m), n in kinds.most_common()]},
    }, ensure_ascii=False, indent=2)


def shacl_report(paths: Iterable[Path], settings: Settings, format_name: str | None) -> tuple[str, bool]:
    """The sh:ValidationReport pyshacl itself writes, for every record with problems, merged into
    one Turtle document; and whether every record conforms (warnings allowed)."""
    iris = Iris(settings.base_iri)
    mapper = Mapper(iris, settings.license)
    fast = Validator(iris.vocab, f"{iris.base}/shapes#")
    reference = Validator(iris.vocab, f"{iris.base}/shapes#", engine="pyshacl")
    merged, conforms = Graph(), True
    for path in input_files(paths):
        for item in read_records(path, format_name):
            if not isinstance(item, Record):
                continue
            mapped = mapper.map_record(item)
            problems = fast.problems(ntriples=mapped.ntriples)
            if problems:  # only then the rdflib graph pyshacl's report needs
                conforms &= not any(p.severity == "Violation" for p in problems)
                merged += reference.report_graph(mapped.graph)
    for prefix, namespace in (("sh", "http://www.w3.org/ns/shacl#"), ("rdfpub", iris.vocab)):
        merged.bind(prefix, namespace)
    return merged.serialize(format="turtle"), conforms
