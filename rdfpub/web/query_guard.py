"""Checks a SPARQL query before the engine sees it: size, nesting depth, and no SERVICE (no outbound fetches)."""

from __future__ import annotations

import re

from rdfpub.errors import QueryRejected

MAX_QUERY_CHARS = 100_000
# Oxigraph's parser and evaluator recurse per nesting level; a few hundred levels overflow a
# worker thread's stack and kill the whole process, so depth is bounded far below that.
MAX_NESTING = 64

# What the scan skips: strings (long forms first), IRIs (SPARQL 1.1 grammar rule IRIREF), comments.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
# A SERVICE keyword: not part of a variable (?service), a prefixed name (ex:service) or a word.
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_OPENERS, _CLOSERS = "{([", "})]"


def check_query(query: str) -> None:
    """Raises QueryRejected, saying why, for a query rdfpub will not run."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRejected(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    code = _OPAQUE.sub(" ", query)
    if _SERVICE.search(code):
        raise QueryRejected("SERVICE is not allowed: this endpoint never fetches data from other servers")
    depth = deepest = 0
    for char in code:
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS:
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryRejected(f"the query nests {deepest} levels of brackets deep; the limit is {MAX_NESTING}")
