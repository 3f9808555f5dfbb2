"""The endpoint benchmark's table: one row per query kind and concurrency, three servers side by side, and ratios."""

from __future__ import annotations

Result = tuple[float, float, float] | str  # (p50 ms, p99 ms, req/s), or why there is none


def _cell(result: Result, width: int = 21) -> str:
    if isinstance(result, str):
        return f"{result:^{width}}"
    return f"{result[0]:>7.1f}{result[1]:>7.1f}{result[2]:>7.0f}"


def _ratio(value: float | None) -> str:
    return "     -" if value is None else f"{value:>6.2f}"


def row(name: str, concurrency: int, ours: Result, theirs: Result, rdflib: Result, count: int | str) -> str:
    """One line of the table; `count` is the number of requests rdflib-endpoint had."""
    ok = not isinstance(ours, str)
    vs_ox = ok and not isinstance(theirs, str)
    vs_rdflib = ok and not isinstance(rdflib, str)
    return (f"{name:<18}{concurrency:>4} |{_cell(ours)} |{_cell(theirs)} |{_cell(rdflib)}{count:>5} |"
            f"{_ratio(ours[0] / theirs[0] if vs_ox else None)}{_ratio(ours[2] / theirs[2] if vs_ox else None)} |"
            f"{_ratio(rdflib[0] / ours[0] if vs_rdflib else None)}{_ratio(ours[2] / rdflib[2] if vs_rdflib else None)}")


HEADER = (f"{'':<22} |{'rdfpub':^21} |{'oxigraph serve':^21} |{'rdflib-endpoint':^26} |"
          f"{'rdfpub/oxi':^12} |{'speed-up':^12}\n"
          f"{'query':<18}{'conc':>4} |" + f"{'p50 ms':>7}{'p99 ms':>7}{'req/s':>7} |" * 2
          + f"{'p50 ms':>7}{'p99 ms':>7}{'req/s':>7}{'n':>5} |{'p50':>6}{'req/s':>6} |{'p50':>6}{'req/s':>6}")
LEGEND = """rdfpub/oxi: rdfpub's p50 / Oxigraph's (goal for point lookups: <= 1.20) and rdfpub's req/s / Oxigraph's
  (goal for point lookups at concurrency 8: >= 1.00). speed-up: rdflib-endpoint's p50 / rdfpub's and rdfpub's
  req/s / rdflib-endpoint's (goals: >= 20 for joins and aggregates, >= 2 for point lookups)."""
