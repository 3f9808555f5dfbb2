"""Parser for PubMed XML (PubmedArticleSet, MedlineCitationSet, bare record fragments), streamed one record at a time."""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from rdfpub.errors import ParseError
from rdfpub.model import Deletion, Record, SourceRef, Unreadable
from rdfpub.sources import pubmed_xml_book as books
from rdfpub.sources import pubmed_xml_records as records

NAME = "pubmed-xml"

RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle", "MedlineCitation", "DeleteCitation"})
ROOT_TAGS = RECORD_TAGS | {"PubmedArticleSet", "MedlineCitationSet"}
_CHUNK = 1 << 16
# Concatenated record fragments have no root element; a made-up one is put around them, on the same
# line as the first record so that line numbers stay those of the file.
_WRAPPER_OPEN, _WRAPPER_CLOSE = b"<rdfpub-fragments>", b"</rdfpub-fragments>"
_PROLOG = re.compile(
    r"\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*'|\[.*?\])*>)*", re.S)
_START_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HINT_ENTITIES = ("PubMed XML declares no entities; fetch the file again from NCBI, or remove the "
                  "DOCTYPE's internal subset if you trust its content")


def sniff(head: str) -> bool:
    """True when the first element, after the prolog, is a PubMed XML root or record, or when it is an
    unknown wrapper whose first child is a PubMed record."""
    names = _first_elements(head)
    return bool(names) and (names[0] in ROOT_TAGS or (len(names) > 1 and names[1] in RECORD_TAGS))


def _first_elements(head: str) -> list[str]:
    rest = head[_PROLOG.match(head).end():]  # match() anchors at the start
    first = _START_TAG.match(rest)
    if not first:
        return []
    second = re.search(r"<(?![!?/])([A-Za-z_][\w.:-]*)", rest[first.end():])
    return [first.group(1)] + ([second.group(1)] if second else [])


def parse(stream: BinaryIO, name: str) -> Iterator[Record | Deletion | Unreadable]:
    """Every record, deletion and unreadable record of the file, in file order, one at a time."""
    yield from _Reader(name).run(stream)


class _Reader:
    """Drives expat by chunks; a record's element is built, read into the model, then dropped."""

    def __init__(self, name: str):
        self.name = name
        self.builder = TreeBuilder()
        parser = self.parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        # Only element starts call Python (to note where records begin); ends and text go straight
        # to the C tree builder, which is what makes this fast.
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self.builder.end
        parser.CharacterDataHandler = self.builder.data
        parser.XmlDeclHandler = self._declaration
        # The XML is untrusted: nothing is fetched and no entity is ever declared or expanded.
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._refuse_entity
        parser.ExternalEntityRefHandler = self._refuse_external
        parser.SkippedEntityHandler = self._refuse_skipped
        self.encoding = "utf-8"
        self.root: Element | None = None
        # Records are the root's children; each is (element, line, start byte), in file order. One
        # is known to be complete when the next one starts, or when its end tag has been read.
        self.pending: list[tuple[Element, int, int]] = []
        self.buffer = bytearray()  # the input from the oldest pending record on, for Record.raw
        self.offset = 0  # the stream position of buffer[0]
        self.position = 0
        self.error: ParseError | None = None
        self.error_at: int | None = None

    def run(self, stream: BinaryIO) -> Iterator[Record | Deletion | Unreadable]:
        chunk = stream.read(_CHUNK)
        wrap_at = _fragment_start(chunk)
        if wrap_at is not None:
            chunk = chunk[:wrap_at] + _WRAPPER_OPEN + chunk[wrap_at:]
        while chunk:
            self._feed(chunk)
            yield from self._finished()
            chunk = stream.read(_CHUNK)
        self._feed(_WRAPPER_CLOSE if wrap_at is not None else b"", final=True)
        yield from self._finished(final=True)
        if self.position == 0 and self.root is not None and self.root.tag not in ROOT_TAGS:
            raise ParseError(f"no PubMed record in this XML (its root element is <{self.root.tag}>)",
                             source=self.name, hint="expected <PubmedArticleSet> or <MedlineCitationSet>")

    def _feed(self, chunk: bytes, final: bool = False) -> None:
        self.buffer += chunk
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as error:
            self.error = ParseError(f"not well-formed XML: {expat.ErrorString(error.code)} (column {error.offset})",
                                    source=self.name, line=error.lineno,
                                    hint="a truncated or damaged file? fetch it again; records before this "
                                         "point were read")
        except ParseError as error:
            self.error = error
        if self.error:
            self.error_at = self.parser.ErrorByteIndex if self.parser.ErrorByteIndex >= 0 else self.offset

    def _finished(self, final: bool = False) -> Iterator[Record | Deletion | Unreadable]:
        """Reads and drops every pending record known to be complete; then raises any parse error."""
        done = len(self.pending) if final and not self.error else len(self.pending) - 1
        ends = [self._end_of(i) for i in range(done)]
        if self.pending and done < len(self.pending) and self.error:
            last_end = self._end_of(done)  # a record whose end tag came before the error is whole
            if last_end is not None and last_end <= self.error_at:
                ends.append(last_end)
        for (element, line, start), end in zip(self.pending, ends):
            self.position += 1
            raw = bytes(self.buffer[start - self.offset:end - self.offset]).decode(self.encoding, "replace")
            yield _read(element, SourceRef(self.name, self.position, line), raw)
            element.clear()
            self.root.remove(element)  # the root's first child: no search, and memory stays flat
        del self.pending[:len(ends)]
        keep = self.pending[0][2] if self.pending else self.offset + max(0, len(self.buffer) - _CHUNK)
        if keep > self.offset:
            del self.buffer[:keep - self.offset]
            self.offset = keep
        if self.error:
            raise self.error

    def _end_of(self, index: int) -> int | None:
        """The stream position just after pending record `index`'s end tag (records never nest, so it
        is the first such end tag after its start), or None when that is not in the buffer yet."""
        element, _, start = self.pending[index]
        stop = self.pending[index + 1][2] if index + 1 < len(self.pending) else self.offset + len(self.buffer)
        close = self.buffer.find(b">", start - self.offset, stop - self.offset)
        if close > 0 and self.buffer[close - 1:close] == b"/":  # an empty-element tag, <DeleteCitation/>
            return close + 1 + self.offset
        match = _end_tag(element.tag).search(self.buffer, start - self.offset, stop - self.offset)
        return match.end() + self.offset if match else None

    def _start(self, tag: str, attributes: dict) -> None:
        element = self.builder.start(tag, attributes)
        if self.root is None:
            self.root = element
        elif tag in RECORD_TAGS and self.root[-1] is element:
            self.pending.append((element, self.parser.CurrentLineNumber, self.parser.CurrentByteIndex))

    def _declaration(self, version: str | None, encoding: str | None, standalone: int) -> None:
        try:
            self.encoding = codecs.lookup(encoding).name if encoding else "utf-8"
        except LookupError:
            self.encoding = "utf-8"

    def _refuse_entity(self, entity: str, is_parameter: bool, *_declaration) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        raise ParseError(f"the DOCTYPE declares the {kind} '{entity}'; entity declarations are refused "
                         "(they can expand without bound or read files and URLs)",
                         source=self.name, line=self.parser.CurrentLineNumber, hint=_HINT_ENTITIES)

    def _refuse_external(self, context: str | None, base: str | None, system_id: str | None,
                         public_id: str | None) -> int:
        raise ParseError(f"reference to the external entity '{system_id or public_id}'; rdfpub never "
                         "fetches what a file points to", source=self.name,
                         line=self.parser.CurrentLineNumber, hint=_HINT_ENTITIES)

    def _refuse_skipped(self, entity: str, is_parameter: bool) -> None:
        raise ParseError(f"reference to the undeclared entity '&{entity};' (it could only come from an "
                         "external DTD, which rdfpub never loads)", source=self.name,
                         line=self.parser.CurrentLineNumber, hint="PubMed XML writes characters as UTF-8, "
                         "not as named entities; fetch the file again from NCBI")


@functools.cache
def _end_tag(tag: str) -> re.Pattern[bytes]:
    return re.compile(b"</" + tag.encode() + rb"\s*>")


def _fragment_start(head: bytes) -> int | None:
    """Where the first element starts when it is a record, not a set: the file is then one record
    or several concatenated, and needs a made-up root. None otherwise."""
    text = head.decode("latin-1")  # one character per byte, so offsets are byte offsets
    start = _PROLOG.match(text, len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0).end()
    first = _START_TAG.match(text, start)
    return start if first and first.group(1) in RECORD_TAGS else None


def _read(element: Element, source: SourceRef, raw: str) -> Record | Deletion | Unreadable:
    try:
        if element.tag == "DeleteCitation":
            return records.read_deletion(element, source)
        if element.tag == "PubmedBookArticle":
            return books.read_book(element, source, raw)
        return records.read_article(element, source, raw)
    except (records.Unreadable, ValueError, TypeError, AttributeError) as error:
        reason = str(error) if isinstance(error, records.Unreadable) else f"{type(error).__name__}: {error}"
        pmid = (element.findtext(".//PMID") or "").strip() or None
        return Unreadable(source, reason, pmid, raw)
