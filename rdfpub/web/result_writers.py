"""Writes query results row by row into a spool, exactly per the W3C result formats, stopping at the row and byte caps."""

from __future__ import annotations

import io
import json
import os
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


def _json_term(term) -> dict:
    # SPARQL 1.1 Query Results JSON Format, section 3.2.2.
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                         "predicate": _json_term(term.predicate),
                                         "object": _json_term(term.object)}}


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml_term(term) -> str:
    # SPARQL Query Results XML Format (Second Edition), section 2.3.1.
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{_xml_escape(term.language)}">{_xml_escape(term.value)}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{_xml_escape(term.datatype.value)}">{_xml_escape(term.value)}</literal>'
        return f"<literal>{_xml_escape(term.value)}</literal>"
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


def _tsv_field(term) -> str:
    # Section 3 of the same spec: TSV carries terms in Turtle/N-Triples syntax, escaped.
    return "" if term is None else str(term)


class _SolutionsFormat:
    """Opening, one row, separator and closing of one SELECT results format."""

    def __init__(self, name: str, variables: list[str]):
        self.name = name
        self.variables = variables

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
        terms = [solution[v] for v in self.variables]
        if self.name == "json":
            bound = {v: _json_term(t) for v, t in zip(self.variables, terms) if t is not None}
            return ("" if first else ",") + _JSON.encode(bound)
        if self.name == "xml":
            cells = "".join(f'<binding name="{v}">{_xml_term(t)}</binding>'
                            for v, t in zip(self.variables, terms) if t is not None)
            return f"<result>{cells}</result>"
        if self.name == "csv":
            return ",".join(_csv_field(t) for t in terms) + "\r\n"
        return "\t".join(_tsv_field(t) for t in terms) + "\n"

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
