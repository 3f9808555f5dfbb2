"""Checks a SPARQL query before the engine sees it: size, nesting depth, operators, clauses, and no SERVICE.

The checks read the query through a SPARQL lexer, so a keyword counts only where the grammar has
one. The query workers also run without any network (see rdfpub/web/query_worker.py): this check is the
first wall, not the only one."""

from __future__ import annotations

import re
from functools import lru_cache

from rdfpub.errors import QueryRejected, QueryTooLarge
from rdfpub.sparql.lexer import Token, spec_reading, tokens

MAX_QUERY_CHARS = 100_000
# Oxigraph's parser and evaluator recurse per nesting level; a few hundred levels overflow a
# worker thread's stack and kill the whole process, so depth is bounded far below that.
MAX_NESTING = 64
# Operators nest without brackets too (`!!!!x`, `1+1+...+1`): the engine recurses once per
# operator and a few thousand overflow even a main thread's stack.
MAX_OPERATORS = 2_000
# Each group and each of these clauses adds a node to the query's algebra, and a long chain of them
# (`{..} UNION {..} UNION ...`, a run of MINUS or BIND) nests the tree as deep as it is long: the
# engine overflowed a worker's stack at 3,000 MINUS, BIND or VALUES clauses and at 10,000 UNION
# branches. A tenth of the shortest chain that crashed leaves room for operators and brackets.
MAX_CLAUSES = 1_000
_CLAUSE_KEYWORDS = frozenset({"UNION", "MINUS", "OPTIONAL", "BIND", "FILTER", "VALUES", "GRAPH", "EXISTS",
                              "SELECT"})

_OPENERS = frozenset("{([")
_SERVICE_WORD = re.compile(r"(?<![\w:])SERVICE(?![\w:])", re.IGNORECASE)
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


@lru_cache(maxsize=8)  # one request asks up to four times about the same query
def _tokens(query: str) -> tuple[Token, ...]:
    """The query's tokens: keywords, brackets and operators as the SPARQL grammar reads them."""
    return tuple(tokens(query))


def _keywords(query: str) -> list[str]:
    return [token.text.upper() for token in _tokens(query) if token.kind == "name"]


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset with FROM or FROM NAMED."""
    try:
        return "FROM" in _keywords(query)
    except QueryRejected:
        return False


def is_update(query: str) -> bool:
    """True when the text is a SPARQL Update request rather than a query: its first keyword after
    the prologue (PREFIX and BASE declarations) is an update operation."""
    try:
        keywords = [k for k in _keywords(query) if k not in ("PREFIX", "BASE")]
    except QueryRejected:
        return False
    return bool(keywords) and keywords[0] in _UPDATE_KEYWORDS


def check_query(query: str) -> None:
    """Raises QueryRejected, saying why, for a query rdfpub will not run."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    _check_tokens(_tokens(query))
    # A store server that replaces codepoint escapes before parsing, as section 19.2 of SPARQL 1.1
    # Query says, reads other tokens ("\u0022" ends a string there): those must pass too. Where that
    # reading is not SPARQL to this lexer, the word SERVICE anywhere in it is refused all the same.
    decoded = spec_reading(query)
    if decoded is not None:
        try:
            other = _tokens(decoded)
        except QueryRejected:
            if _SERVICE_WORD.search(decoded):
                raise QueryRejected("SERVICE is not allowed: this endpoint never fetches data from other "
                                    "servers (found once the query's \\u escapes are read)") from None
            return
        _check_tokens(other)


def _check_tokens(found: tuple[Token, ...]) -> None:
    if any(token.kind == "name" and token.text.upper() == "SERVICE" for token in found):
        raise QueryRejected("SERVICE is not allowed: this endpoint never fetches data from other servers")
    depth = deepest = operators = clauses = 0
    for token in found:
        if token.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            clauses += token.text == "{"
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "operator":
            operators += 1
        elif token.kind == "name" and token.text.upper() in _CLAUSE_KEYWORDS:
            clauses += 1
    if deepest > MAX_NESTING:
        raise QueryRejected(f"the query nests {deepest} levels of brackets deep; the limit is {MAX_NESTING}")
    if operators > MAX_OPERATORS:
        raise QueryRejected(f"the query has {operators:,} operators; the limit is {MAX_OPERATORS:,}")
    if clauses > MAX_CLAUSES:
        raise QueryRejected(f"the query has {clauses:,} groups and UNION, MINUS, OPTIONAL, BIND, FILTER, VALUES, "
                            f"GRAPH, EXISTS or SELECT clauses; the limit is {MAX_CLAUSES:,}: split it into "
                            "several queries, or list many values in one VALUES block")
