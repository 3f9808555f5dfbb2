"""Writes query results row by row into a spool, exactly per the W3C result formats, stopping at the row and byte caps."""

from __future__ import annotations

import io
import json
from json.encoder import encode_basestring
import os
import re
import tempfile

import pyoxigraph as ox

# A result up to this size travels back to the server inside the worker's reply; a bigger one
# goes to a temporary file the server streams from, so neither process holds it in memory and
# the worker is free for the next query while a slow client reads.
INLINE_LIMIT = 256 * 1024
# Graph results are serialised natively a batch of triples at a time.
GRAPH_BATCH = 2000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Formats that are a plain sequence of statements, so batches written one after another make one document.
_CONCATENABLE = {"turtle", "nt", "nq", "trig"}
# One encoder for every row: json.dumps with options builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_json_string = encode_basestring  # a JSON string literal, non-ASCII kept as is (C-accelerated)
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}


class Spool:
    """Bytes kept in memory up to INLINE_LIMIT, then in a temporary file in `folder`."""

    def __init__(self, folder: str):
        self.folder = folder
        self.size = 0
        self._buffer = io.BytesIO()
        self._file = None
        self._path = ""

    def write(self, data: bytes) -> None:
        if self._file is None and self.size + len(data) > INLINE_LIMIT:
            handle, self._path = tempfile.mkstemp(dir=self.folder, prefix="result-")
            self._file = os.fdopen(handle, "wb")
            self._file.write(self._buffer.getvalue())
            self._buffer = None
        (self._file or self._buffer).write(data)
        self.size += len(data)

    def finish(self) -> dict:
        """The reply fields that carry the result: the bytes themselves, or the file's path."""
        if self._file is None:
            return {"body": self._buffer.getvalue(), "path": None, "size": self.size}
        self._file.close()
        return {"body": None, "path": self._path, "size": self.size}

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            os.unlink(self._path)


def _json_term(term) -> str:
    """One RDF term as SPARQL 1.1 Query Results JSON (section 3.2.2), written as text: building a
    dict per term and encoding it cost twice the engine's own time on large results."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if kind is ox.Literal:
        value = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return value + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype != XSD_STRING:
            return value + ',"datatype":' + _json_string(datatype) + "}"
        return value + "}"
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    return ('{"type":"triple","value":{"subject":' + _json_term(term.subject) + ',"predicate":'
            + _json_term(term.predicate) + ',"object":' + _json_term(term.object) + "}}")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml_term(term) -> str:
    # SPARQL Query Results XML Format (Second Edition), section 2.3.1.
    kind = type(term)
    if kind is ox.NamedNode:
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if kind is ox.Literal:
        if term.language:
            return f'<literal xml:lang="{_xml_escape(term.language)}">{_xml_escape(term.value)}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{_xml_escape(term.datatype.value)}">{_xml_escape(term.value)}</literal>'
        return f"<literal>{_xml_escape(term.value)}</literal>"
    if kind is ox.BlankNode:
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _csv_field(term) -> str:
    # SPARQL 1.1 Query Results CSV and TSV Formats, section 2: CSV carries values only, RFC 4180 quoting.
    if term is None:
        return ""
    text = "_:" + term.value if isinstance(term, ox.BlankNode) else (
        term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term))
    if any(char in text for char in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# Turtle's abbreviated numbers (INTEGER, DECIMAL, DOUBLE): a literal of the datatype whose lexical
# form reads as the same token is written bare.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ABBREVIATED = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
}


def _tsv_field(term) -> str:
    # Section 3 of the same spec: TSV carries terms in Turtle/N-Triples syntax, escaped, and numbers
    # in their abbreviated Turtle form where the lexical form allows it (42, not "42"^^xsd:integer).
    if term is None:
        return ""
    if type(term) is ox.Literal and not term.language:
        pattern = _ABBREVIATED.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


class _SolutionsFormat:
    """Opening, one row, separator and closing of one SELECT results format."""

    def __init__(self, name: str, variables: list[str]):
        self.name = name
        self.variables = variables
        # Variable names are ASCII letters, digits and "_" by the grammar: nothing to escape.
        self._json_keys = [f'"{v}":' for v in variables]
        self._xml_openings = [f'<binding name="{v}">' for v in variables]

    def opening(self) -> str:
        if self.name == "json":
            return '{"head":{"vars":' + _JSON.encode(self.variables) + '},"results":{"bindings":['
        if self.name == "xml":
            names = "".join(f'<variable name="{v}"/>' for v in self.variables)
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head>{names}</head><results>")
        if self.name == "csv":
            return ",".join(self.variables) + "\r\n"
        return "\t".join("?" + v for v in self.variables) + "\n"

    def row(self, solution, first: bool) -> str:
        # A solution iterates its terms in the order of the variables (None where unbound).
        if self.name == "json":
            cells = ",".join(key + _json_term(term) for key, term in zip(self._json_keys, solution)
                             if term is not None)
            return ("{" if first else ",{") + cells + "}"
        if self.name == "xml":
            cells = "".join(f"{opening}{_xml_term(term)}</binding>"
                            for opening, term in zip(self._xml_openings, solution) if term is not None)
            return f"<result>{cells}</result>"
        if self.name == "csv":
            return ",".join(_csv_field(term) for term in solution) + "\r\n"
        return "\t".join(_tsv_field(term) for term in solution) + "\n"

    def closing(self) -> str:
        return {"json": "]}}", "xml": "</results></sparql>\n"}.get(self.name, "")


def write_boolean(value: bool, name: str, spool: Spool) -> None:
    if name == "json":
        text = '{"head":{},"boolean":' + ("true" if value else "false") + "}"
    elif name == "xml":
        text = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n")
    else:  # CSV and TSV have no boolean form; this is what common clients read (and Oxigraph writes)
        text = ("true" if value else "false") + ("\r\n" if name == "csv" else "\n")
    spool.write(text.encode("utf-8"))


def write_solutions(solutions, name: str, spool: Spool, max_rows: int, max_bytes: int) -> str | None:
    """Writes every row, or as many as the caps allow; returns why it stopped early, or None."""
    layout = _SolutionsFormat(name, [v.value for v in solutions.variables])
    closing = layout.closing().encode("utf-8")
    spool.write(layout.opening().encode("utf-8"))
    rows = 0
    for solution in solutions:
        if rows == max_rows:
            spool.write(closing)
            return f"max-result-rows={max_rows}"
        data = layout.row(solution, rows == 0).encode("utf-8")
        if spool.size + len(data) + len(closing) > max_bytes:
            spool.write(closing)
            return f"max-response-bytes={max_bytes}"
        spool.write(data)
        rows += 1
    spool.write(closing)
    return None


def write_triples(triples, name: str, spool: Spool, max_rows: int, max_bytes: int) -> str | None:
    """Writes a CONSTRUCT or DESCRIBE graph, capped like write_solutions."""
    rdf_format = _GRAPH_FORMATS[name]
    as_quads = name in ("nq", "trig")  # dataset formats take quads: the triples go in the default graph
    batch: list = []
    truncated = None
    count = 0
    for triple in triples:
        if count == max_rows:
            truncated = f"max-result-rows={max_rows}"
            break
        batch.append(ox.Quad(triple.subject, triple.predicate, triple.object) if as_quads else triple)
        count += 1
        if name in _CONCATENABLE and len(batch) == GRAPH_BATCH:
            data = ox.serialize(batch, format=rdf_format)
            batch = []
            if spool.size + len(data) > max_bytes:
                return f"max-response-bytes={max_bytes}"
            spool.write(data)
    data = ox.serialize(batch, format=rdf_format)
    if spool.size + len(data) > max_bytes:
        # A JSON-LD or RDF/XML document cannot be cut at a batch: it is sent empty rather than broken.
        data = b"" if name in _CONCATENABLE else ox.serialize([], format=rdf_format)
        truncated = f"max-response-bytes={max_bytes}"
    spool.write(data)
    return truncated


def write_result(result, is_graph: bool, name: str, spool: Spool, max_rows: int, max_bytes: int) -> str | None:
    """Any query result in format `name`: a boolean, a graph or solutions; the truncation note, if cut."""
    if isinstance(result, ox.QueryBoolean):
        write_boolean(bool(result), name, spool)
        return None
    if is_graph:
        return write_triples(result, name, spool, max_rows, max_bytes)
    return write_solutions(result, name, spool, max_rows, max_bytes)
