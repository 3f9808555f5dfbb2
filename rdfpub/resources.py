"""Finds the files rdfpub ships beside its code: the SHACL shapes and the seed records."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """The folder `name` inside the installed package, or at the top of a source checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"rdfpub's '{name}' folder is missing from {_PACKAGE}: reinstall rdfpub")


def shapes_dir() -> Path:
    return _bundled("shapes")


def seeds_dir() -> Path:
    return _bundled("seeds")
