"""What the command line checks before it touches a store: that the inputs exist and hold files, and that
the files it will write can be written, so a mistake costs nothing and says what to do."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from rdfpub.errors import RdfpubError, StoreError
from rdfpub.pipeline.preparation import input_files


class UsageError(RdfpubError):
    """The command cannot run as given (an input that is not there, an output it cannot write)."""


def check_inputs(paths: list[Path]) -> None:
    """Every input exists, and together they hold at least one file; an empty folder among others
    is said on standard error and skipped."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}; nothing was read or stored")
    empty = [path for path in paths if path.is_dir() and next(input_files([path]), None) is None]
    if len(empty) == len(paths):
        raise UsageError(f"nothing to read: {', '.join(map(str, empty))} holds no file "
                         "(hidden files, whose names start with '.', are skipped)")
    for folder in empty:
        print(f"rdfpub: {folder} holds no file; skipped", file=sys.stderr)


def check_store_exists(store: Path | str) -> None:
    """An embedded store named by a path is there (a command that only reads it creates none)."""
    if isinstance(store, Path) and not store.exists():
        raise StoreError(f"there is no store at {store}: name one with --store or RDFPUB_STORE")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def open_for_writing(path: Path, what: str, flag: str, mode: str = "w") -> BinaryIO:
    """`path` opened for writing (its folder made when missing), or a UsageError that names the file,
    why it cannot be written and the flag that chooses another."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        return path.open(mode) if "b" in mode else path.open(mode, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the {what} {path}: {_reason(error)}; choose another with {flag}") from None
