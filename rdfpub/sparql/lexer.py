"""A SPARQL 1.1 lexer (the terminals of the grammar, section 19.8) for the query guard: a keyword is found
only where the grammar has a keyword, never inside a string, an IRI, a prefixed name or a comment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from rdfpub.errors import QueryRejected

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"
# Codepoint escapes (SPARQL 1.1 Query, section 19.2). Oxigraph reads them inside strings and IRIs, as
# Turtle does (an escaped '"' is part of the string), and refuses them elsewhere, as this lexer does.
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_CODEPOINT = re.compile(_UCHAR)

# Order matters: longer and more specific terminals first, as a maximal-munch lexer reads them.
_TOKEN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("space", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("iri", r'<(?:[^<>"{}|^`\\\x00-\x20]|' + _UCHAR + ")*>"),
    ("string", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*"""'
               f"|'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*'''"
               f'|"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*"'
               f"|'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*'"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("blank", f"_:(?:[{_PN_CHARS_U}0-9])(?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("var", f"[?$]{_VARNAME}"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
               r"|[0-9]*\.[0-9]+|[0-9]+"),
    ("name", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("operator", r"\^\^|&&|\|\||!=|<=|>=|[=<>!+\-*/^|?]"),
    ("open", r"[{(\[]"),
    ("close", r"[})\]]"),
    ("punct", r"[.,;]"),
)))


class Token(NamedTuple):  # a tuple: a long query has tens of thousands
    kind: str
    text: str
    offset: int


def iter_tokens(query: str) -> Iterator[Token]:
    """The query's tokens one by one, spaces and comments left out; a character no SPARQL token can
    start with is refused, so nothing this lexer cannot see reaches the engine."""
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None:
            raise QueryRejected(f"the query is not valid SPARQL 1.1 near character {position + 1}: "
                                f"{query[position:position + 20]!r}")
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), position)
        position = match.end()


def tokens(query: str) -> list[Token]:
    """All of the query's tokens (see iter_tokens)."""
    return list(iter_tokens(query))


def first_keyword(query: str) -> str | None:
    """The first keyword after the prologue (BASE and PREFIX declarations), upper-cased: the form of
    a query (SELECT, ASK, ...) or the first operation of an update; None when there is none or the
    text cannot be read that far. Reads no further than that keyword."""
    try:
        for token in iter_tokens(query):
            if token.kind == "name" and token.text.upper() not in ("PREFIX", "BASE"):
                return token.text.upper()
    except QueryRejected:
        return None
    return None


def spec_reading(query: str) -> str | None:
    """The query as a server that follows section 19.2 to the letter reads it: every codepoint escape
    replaced by its character before parsing, so `"\\u0022` ends a string there. None when the query
    has no escape (both readings are then the same)."""
    if "\\u" not in query and "\\U" not in query:
        return None

    def character(match: re.Match) -> str:
        code = int(match.group()[2:], 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(character, query)
