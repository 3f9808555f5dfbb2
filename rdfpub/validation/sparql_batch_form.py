"""A SHACL SPARQL constraint rewritten to answer for a whole batch of records in one query: each
record in its own named graph, the WHERE clause put inside GRAPH ?g, and ?g added to the projection
and to GROUP BY. Oxigraph then parses and plans the query once per batch instead of once per record.

Only a plain form is rewritten: one SELECT with no sub-select, no GRAPH or SERVICE of its own, no
LIMIT, OFFSET or trailing VALUES (they would count across records), and $this projected and bound
by a triple pattern every solution matches (then joining on $this answers what pre-binding it
does). Anything else gets None, and the checker runs it record by record as before.
"""

from __future__ import annotations

from rdfpub.errors import QueryRejected
from rdfpub.sparql.lexer import tokens as lexed

GRAPH_VARIABLE = "rdfpubBatchGraph"

# The tokens batch_form reads, by the lexer's kind or by their text; any other token (an IRI, a
# prefixed name, a string, a number, a parenthesis or bracket, an operator) only stands between them.
_KINDS = {"name": "word", "var": "variable"}
_TEXTS = {"{": "open", "}": "close", "*": "star"}


def _tokens(query: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) of each token of the query (rdfpub/sparql/lexer.py), comments left out."""
    return [(_TEXTS.get(text) or _KINDS.get(kind, "other"), text, offset, offset + len(text))
            for kind, text, offset in lexed(query)]


_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_REFUSED_WORDS = {"LIMIT", "OFFSET", "VALUES", "GRAPH", "SERVICE", "FROM"}


def batch_form(query: str) -> str | None:
    """The query answering for every named graph at once, with the graph as ?rdfpubBatchGraph; None
    when the query is not of the plain form this rewrites."""
    try:
        tokens = _tokens(query)
    except QueryRejected:
        return None  # not SPARQL the lexer reads: then record by record
    words = [(text.upper(), start, end) for kind, text, start, end in tokens if kind == "word"]
    if [w for w, _, _ in words].count("SELECT") != 1 or any(w in _REFUSED_WORDS for w, _, _ in words):
        return None
    select_at = next(i for i, (kind, text, _, _) in enumerate(tokens) if kind == "word" and text.upper() == "SELECT")
    open_at = next((i for i in range(select_at, len(tokens)) if tokens[i][0] == "open"), None)
    if open_at is None:
        return None
    depth, close_at = 0, None
    for i in range(open_at, len(tokens)):
        depth += {"open": 1, "close": -1}.get(tokens[i][0], 0)
        if depth == 0:
            close_at = i
            break
    if close_at is None:
        return None
    projection = tokens[select_at + 1:open_at]
    projected = {text[1:] for kind, text, _, _ in projection if kind == "variable"}
    if "this" not in projected and not any(kind == "star" for kind, *_ in projection):
        return None
    after = [(text.upper(), start, end) for kind, text, start, end in tokens[close_at + 1:] if kind == "word"]
    grouped = any(word == "GROUP" for word, _, _ in after)
    if not grouped and any(word in _AGGREGATES for kind, text, _, _ in projection if kind == "word"
                           for word in [text.upper()]):
        return None  # one implicit group over the whole batch: not per record
    where_start, where_end = tokens[open_at][3], tokens[close_at][2]
    graph = f"?{GRAPH_VARIABLE}"
    # Insertion points, from last to first so the earlier offsets stay right.
    edits: list[tuple[int, str]] = [(where_end, "\n}"), (where_start, f" GRAPH {graph} {{\n")]
    for i, (word, _, end) in enumerate(after):
        if word == "GROUP" and i + 1 < len(after) and after[i + 1][0] == "BY":
            edits.insert(0, (after[i + 1][2], f" {graph}"))
    if not any(kind == "star" for kind, *_ in projection):
        modifier = tokens[select_at + 1]
        at = modifier[3] if modifier[0] == "word" and modifier[1].upper() in ("DISTINCT", "REDUCED") \
            else tokens[select_at][3]
        edits.append((at, f" {graph}"))
    text = query
    for at, insert in sorted(edits, key=lambda edit: -edit[0]):
        text = text[:at] + insert + text[at:]
    return text
