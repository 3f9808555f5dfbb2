"""Input bytes with the C0 control characters XML cannot carry read as spaces, for every format.

XML 1.0 allows no control character but tab, line feed and carriage return, even as a character
reference: one stray 0x0B in a title made a PubMed XML file unreadable from that point, and from a
MEDLINE or text file it reached the store and broke every RDF/XML document and SPARQL XML result
holding it. In UTF-8 these bytes never occur inside a multi-byte character, so they are replaced
byte for byte, before any parser sees them; a space keeps the words they separated apart.
"""

from __future__ import annotations

from typing import BinaryIO

_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
_AS_SPACES = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))


class ControlFreeReader:
    """A binary stream that reads as `stream` does (read(n), lines), control characters as spaces."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size).translate(_AS_SPACES)

    def __iter__(self):
        for line in self._stream:
            yield line.translate(_AS_SPACES)

    def __enter__(self) -> ControlFreeReader:
        return self

    def __exit__(self, *exc) -> None:
        self._stream.close()
