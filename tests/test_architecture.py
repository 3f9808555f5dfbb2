"""The one-way pipeline holds: sources -> model -> mapping -> validate -> store -> web."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rdfpub"
MODULES = sorted(PACKAGE.rglob("*.py"))

# module prefix -> imports it must never make
FORBIDDEN = {
    "rdfpub.sources": {"rdflib", "pyoxigraph", "pyshacl", "fastapi", "rdfpub.mapping", "rdfpub.validation",
                       "rdfpub.store", "rdfpub.web", "rdfpub.pipeline", "rdfpub.cli"},
    "rdfpub.model": {"rdflib", "pyoxigraph", "pyshacl", "fastapi", "rdfpub.sources", "rdfpub.mapping"},
    "rdfpub.identifiers": {"rdflib", "pyoxigraph", "rdfpub.model", "rdfpub.sources"},
    "rdfpub.mesh": {"rdflib", "pyoxigraph", "pyshacl", "fastapi", "rdfpub.model", "rdfpub.sources",
                    "rdfpub.mapping", "rdfpub.store", "rdfpub.web"},
    "rdfpub.mapping": {"pyoxigraph", "pyshacl", "fastapi", "rdfpub.sources", "rdfpub.store", "rdfpub.web",
                       "rdfpub.pipeline", "rdfpub.validation"},
    "rdfpub.validation": {"pyoxigraph", "fastapi", "rdfpub.sources", "rdfpub.store", "rdfpub.web", "rdfpub.pipeline"},
    "rdfpub.store": {"pyshacl", "fastapi", "rdfpub.sources", "rdfpub.mapping", "rdfpub.web", "rdfpub.pipeline"},
    "rdfpub.web": {"pyshacl", "rdfpub.sources", "rdfpub.mapping", "rdfpub.pipeline", "rdfpub.validation",
                   "rdfpub.cli", "rdfpub.ingest", "rdfpub.store_channel", "rdfpub.channel_store"},
    # The store's owner serves other processes' writes, but never runs an ingest nor knows HTTP.
    "rdfpub.store_channel": {"pyshacl", "fastapi", "starlette", "uvicorn", "rdfpub.web", "rdfpub.ingest",
                             "rdfpub.pipeline", "rdfpub.validation", "rdfpub.mapping"},
    "rdfpub.channel_store": {"pyshacl", "fastapi", "rdfpub.web", "rdfpub.pipeline", "rdfpub.mapping"},
}
# Exceptions to FORBIDDEN: the web serves the triples these mapping modules make about the
# publication itself (the vocabulary, the dataset description, each document's licence).
ALLOWED = {"rdfpub.web": {"rdfpub.mapping.vocabulary", "rdfpub.mapping.description"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_imports_flow_one_way(path):
    name = _module_name(path)
    rules = set().union(*(forbidden for prefix, forbidden in FORBIDDEN.items()
                          if name == prefix or name.startswith(prefix + ".")))
    allowed = set().union(*(names for prefix, names in ALLOWED.items()
                            if name == prefix or name.startswith(prefix + ".")))
    broken = {imported for imported in _imports(path) - allowed
              if any(imported == rule or imported.startswith(rule + ".") for rule in rules)}
    assert not broken, f"{name} must not import {sorted(broken)}"


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_every_module_says_what_it_is_for(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and docstring.strip(), f"{path.name} has no module docstring"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, f"{path.name} is over 300 lines"


def test_no_utils_module():
    assert not [p for p in MODULES if p.stem in {"utils", "helpers", "misc"}]
