"""Keeps rdflib from re-parsing the same SPARQL text: pyshacl runs each SPARQL constraint once per
focus node with the same text, and parsing costs ~15 ms where evaluating costs well under one."""

from __future__ import annotations

from functools import lru_cache

from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

_installed = False


@lru_cache(maxsize=512)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]):
    # A translated query is meant to be evaluated many times (rdflib's own prepareQuery returns one).
    return translateQuery(parseQuery(text), base, dict(namespaces) or None)


def remember_prepared_queries() -> None:
    """Makes rdflib's SPARQL processor translate each distinct query text once per process."""
    global _installed
    if _installed:
        return
    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _prepared(strOrQuery, base, key)
        return original(self, strOrQuery, initBindings or {}, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    _installed = True
