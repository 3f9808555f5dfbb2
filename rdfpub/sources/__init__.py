"""The input formats rdfpub reads: one parser module per format, registered in one flat table."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from rdfpub.errors import ParseError
from rdfpub.model import Record
from rdfpub.sources import pubmed_page

# name -> parser module with sniff(head) -> bool and parse(stream, name) -> Iterator[Record].
FORMATS: dict[str, ModuleType] = {
    pubmed_page.NAME: pubmed_page,
}

_HEAD_BYTES = 8192


def _open_text(path: Path) -> io.TextIOWrapper:
    """`path` as UTF-8 text, gunzipped when it starts with the gzip magic bytes."""
    raw = path.open("rb")
    if raw.peek(2)[:2] == b"\x1f\x8b":
        raw = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
    return io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline=None)


def detect_format(path: Path) -> str:
    """The name of the format whose parser recognises the start of `path`."""
    try:
        with _open_text(path) as stream:
            head = stream.read(_HEAD_BYTES)
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 text (byte {error.start} of the first block)", source=str(path),
                         hint="convert the file to UTF-8") from None
    except (OSError, EOFError) as error:
        raise ParseError(f"cannot be read: {error}", source=str(path)) from None
    head = head.lstrip("\ufeff")
    for name, module in FORMATS.items():
        if module.sniff(head):
            return name
    raise ParseError("not a format rdfpub reads", source=str(path),
                     hint=f"known formats: {', '.join(FORMATS)}; name one with --format")


def read_records(path: Path, format_name: str | None = None) -> Iterator[Record]:
    """Every record in the file at `path`, streamed, in the named format or the detected one."""
    name = format_name or detect_format(path)
    if name not in FORMATS:
        raise ParseError(f"unknown format '{name}'", source=str(path),
                         hint=f"known formats: {', '.join(FORMATS)}")
    try:
        with _open_text(path) as stream:
            yield from FORMATS[name].parse(stream, str(path))
    except UnicodeDecodeError as error:
        raise ParseError(f"not valid UTF-8 near byte {error.start}", source=str(path),
                         hint="convert the file to UTF-8") from None
    except (OSError, EOFError) as error:
        raise ParseError(f"cannot be read to the end: {error}", source=str(path),
                         hint="a truncated download? fetch the file again") from None
