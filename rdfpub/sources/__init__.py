"""The input formats rdfpub reads: one parser module per format, registered in one flat table.

Each parser module has NAME, `sniff(head: str) -> bool` (the decoded first bytes of a file) and
`parse(stream: BinaryIO, name: str) -> Iterator[Record | Deletion | Unreadable]`; it streams, so a
file of any size is never held in memory whole. It raises ParseError only when the rest of the
file cannot be read; a single bad record is yielded as Unreadable and the file goes on.
"""

from __future__ import annotations

import gzip
from dataclasses import replace
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from rdfpub.errors import ParseError
from rdfpub.model import Deletion, Record, Unreadable
from rdfpub.sources import abstract_text, medline, pubmed_page, pubmed_xml
from rdfpub.sources.control_characters import ControlFreeReader

FORMATS: dict[str, ModuleType] = {
    pubmed_xml.NAME: pubmed_xml,
    pubmed_page.NAME: pubmed_page,
    medline.NAME: medline,
    abstract_text.NAME: abstract_text,
}

_HEAD_BYTES = 8192


def open_binary(path: Path) -> BinaryIO:
    """`path` as bytes, gunzipped when it starts with the gzip magic bytes (whatever its name)."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    # gzip.open owns (and so closes) the file it opens, unlike GzipFile(fileobj=...).
    return gzip.open(path, "rb") if compressed else path.open("rb")  # type: ignore[return-value]


def read_head(path: Path) -> str:
    """The first bytes of `path` (gunzipped), decoded leniently for sniffing."""
    try:
        with open_binary(path) as stream:
            head = stream.read(_HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as error:
        raise ParseError(f"cannot be read: {error}", source=str(path),
                         hint="a truncated or damaged download? fetch the file again") from None
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect_format(path: Path) -> str:
    """The name of the format whose parser recognises the start of `path`."""
    head = read_head(path)
    for name, module in FORMATS.items():
        if module.sniff(head):
            return name
    raise ParseError("not a format rdfpub reads", source=str(path),
                     hint=f"known formats: {', '.join(FORMATS)}; name one with --format")


def read_records(path: Path, format_name: str | None = None,
                 on_open: Callable[[Callable[[], int]], None] | None = None) -> Iterator[Record | Deletion | Unreadable]:
    """Every item in the file at `path`, streamed, in the named format or the detected one.
    `on_open` gets a function that tells how many bytes of the file (as stored: compressed, for a
    gzipped one) have been read so far, for a progress display."""
    name = format_name or detect_format(path)
    if name not in FORMATS:
        raise ParseError(f"unknown format '{name}'", source=str(path),
                         hint=f"known formats: {', '.join(FORMATS)}")
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            if on_open is not None:
                on_open(raw.tell)
            with ControlFreeReader(gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw) as stream:
                for item in FORMATS[name].parse(stream, str(path)):
                    if isinstance(item, Record):
                        item = replace(item, source=replace(item.source, format=name))
                    yield item
    except UnicodeDecodeError as error:
        raise ParseError(f"not valid UTF-8 near byte {error.start}", source=str(path),
                         hint="convert the file to UTF-8") from None
    except (OSError, EOFError, zlib.error) as error:
        raise ParseError(f"cannot be read to the end: {error}", source=str(path),
                         hint="a truncated download? fetch the file again") from None
