"""Numbered lines of a UTF-8 text file read from bytes one line at a time, with a BOM and CRLF allowed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from rdfpub.errors import ParseError


def numbered_lines(stream: BinaryIO, name: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, text without its line ending) for every line of `stream`.

    Each line is decoded on its own, so a bad byte is reported with its line and the file is never
    held whole. A lone CR (old Mac files) also ends a line.
    """
    number = 0
    for raw in stream:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(
                f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1})",
                source=name, line=number + 1,
                hint="convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8") from None
        if number == 0:
            text = text.removeprefix("\ufeff")
        text = text.rstrip("\n").removesuffix("\r")
        for part in text.split("\r"):
            number += 1
            yield number, part
