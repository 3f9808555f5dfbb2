"""Checks a SPARQL query before the engine sees it: size, nesting depth, and no SERVICE (no outbound fetches)."""

from __future__ import annotations

import re
from functools import lru_cache

from rdfpub.errors import QueryRejected

MAX_QUERY_CHARS = 100_000
# Oxigraph's parser and evaluator recurse per nesting level; a few hundred levels overflow a
# worker thread's stack and kill the whole process, so depth is bounded far below that.
MAX_NESTING = 64
# Operators nest without brackets too (`!!!!x`, `1+1+...+1`): the engine recurses once per
# operator and a few thousand overflow even a main thread's stack.
MAX_OPERATORS = 2_000

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
# Names whose characters are not operators: variables and prefixed names (ex:a-b), rule PN_LOCAL.
_NAMES = re.compile(r"[?$]\w+|[\w.\-]*:[\w.\-:%]*")
_OPERATORS = re.compile(r"[!&|+\-*/=<>^]")
# The dataset clause (rule DatasetClause) and the SPARQL Update operations (rule Update1).
_FROM = re.compile(r"(?<![\w?$:.\-])FROM(?![\w:\-])", re.IGNORECASE)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.\-]*:\s*|BASE\s*)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:\-])", re.IGNORECASE)


@lru_cache(maxsize=8)  # one request asks up to four times about the same query
def _code(query: str) -> str:
    """The query without strings, IRIs and comments, where a keyword or bracket means itself."""
    return _OPAQUE.sub(" ", query)


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset with FROM or FROM NAMED."""
    return bool(_FROM.search(_code(query)))


def is_update(query: str) -> bool:
    """True when the text is a SPARQL Update request rather than a query."""
    return bool(_UPDATE.match(_code(query), _PROLOGUE.match(_code(query)).end()))


def check_query(query: str) -> None:
    """Raises QueryRejected, saying why, for a query rdfpub will not run."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRejected(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    code = _code(query)
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
    operators = len(_OPERATORS.findall(_NAMES.sub(" ", code)))
    if operators > MAX_OPERATORS:
        raise QueryRejected(f"the query has {operators:,} operators; the limit is {MAX_OPERATORS:,}")
