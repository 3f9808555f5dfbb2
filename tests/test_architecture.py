"""The tree is the architecture: each part is a folder, the parts import one way, and each keeps its libraries."""

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rdfpub"
MODULES = sorted(PACKAGE.rglob("*.py"))

# The modules every part may use, kept at the top of the package: the errors, the settings, the
# identifier rules, the IRI rules, the vocabularies and the bundled files. Besides the package's own
# __init__ and __main__, nothing else sits at the top: a new module belongs to a part.
SHARED = {"errors", "settings", "identifiers", "iris", "vocab", "own_vocabulary", "resources"}

# Each part (a folder of rdfpub/), and the other parts it may import: the pipeline reads the
# sources into the model, maps, validates and stores; the web serves the store; the command line
# drives both. A dotted name lets a part reach one module of another part and no more of it.
MAY_IMPORT = {
    "model": set(),
    "mesh": set(),
    "sparql": set(),
    "sources": {"model", "mesh"},
    "mapping": {"model"},
    # The fast checker reads the N-Triples lines the mapping writes, with the mapping's own escapes,
    # and the shapes' SPARQL constraints with the project's SPARQL lexer.
    "validation": {"mapping.terms", "sparql.lexer"},
    "store": {"sparql"},
    "references": {"model", "store"},
    "pipeline": {"sources", "model", "mapping", "validation", "store", "references"},
    # The web serves the triples these mapping modules make about the publication itself (the
    # vocabulary, the dataset description, each document's licence), never a record's.
    "web": {"store", "sparql", "mapping.vocabulary", "mapping.description"},
    "cli": {"sources", "pipeline", "references", "store", "web"},
}
# The shared modules mint record IRIs from the model's values; they import no other part.
SHARED_MAY_IMPORT = {"model"}

# Libraries a part must never import, whichever part it may reach.
FORBIDDEN_LIBRARIES = {
    "model": {"rdflib", "pyoxigraph", "pyshacl", "fastapi"},
    "sources": {"rdflib", "pyoxigraph", "pyshacl", "fastapi"},
    "mesh": {"rdflib", "pyoxigraph", "pyshacl", "fastapi"},
    "sparql": {"rdflib", "pyoxigraph", "pyshacl", "fastapi"},
    "mapping": {"pyoxigraph", "pyshacl", "fastapi"},
    "validation": {"fastapi", "starlette", "uvicorn", "httpx"},
    "store": {"pyshacl", "fastapi", "starlette", "uvicorn"},
    "references": {"pyshacl", "fastapi", "starlette", "uvicorn"},
    "pipeline": {"fastapi", "starlette", "uvicorn"},
    "web": {"pyshacl"},
    "identifiers": {"rdflib", "pyoxigraph"},
}
# Modules of an allowed part that a part must still not reach: the web never takes writes, so it
# never imports the store owner's channel (the command line opens it for the serving app).
FORBIDDEN_MODULES = {"web": {"rdfpub.store.channel"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _part(module: str) -> str:
    """The part folder a module belongs to, or its own name for a module at the top of the package."""
    segment = module.split(".")[1] if module.count(".") else ""
    return segment if (PACKAGE / segment).is_dir() and segment else ""


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path.name} imports relatively; rdfpub names every import in full"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _reaches(imported: str, allowed: str) -> bool:
    target = f"rdfpub.{allowed}"
    return imported == target or imported.startswith(target + ".")


def _is_module(name: str) -> bool:
    """Whether an rdfpub name is a module or a folder (not a class or function imported from one)."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or path.is_dir()


def test_top_level_holds_only_the_shared_modules():
    loose = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert loose == SHARED, f"move {sorted(loose - SHARED)} into a part folder"


def test_every_part_folder_has_its_import_rules():
    folders = {path.parent.relative_to(PACKAGE).parts[0] for path in MODULES if path.parent != PACKAGE}
    assert folders == set(MAY_IMPORT), "each part folder of rdfpub/ is listed in MAY_IMPORT, and only those"


def test_the_parts_import_one_way():
    graph = {part: {name.split(".")[0] for name in allowed} for part, allowed in MAY_IMPORT.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        pytest.fail(f"the parts' import rules run in a circle: {cycle.args[1]}")
    assert order.index("model") < order.index("mapping") < order.index("pipeline") < order.index("cli")


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_imports_flow_one_way(path):
    name = _module_name(path)
    part = _part(name)
    own = {f"rdfpub.{part}"} if part else {f"rdfpub.{module}" for module in SHARED}
    allowed = MAY_IMPORT[part] if part else SHARED_MAY_IMPORT
    if name == "rdfpub.__main__":
        allowed = {"cli"}
    broken = set()
    for imported in _imports(path):
        if not imported.startswith("rdfpub.") or not _is_module(imported):
            continue
        if any(imported == mine or imported.startswith(mine + ".") for mine in own):
            continue
        if _part(imported) == "" and imported.split(".")[1] in SHARED:
            continue
        if not any(_reaches(imported, target) for target in allowed):
            broken.add(imported)
        if any(imported == rule or imported.startswith(rule + ".") for rule in FORBIDDEN_MODULES.get(part, ())):
            broken.add(imported)
    assert not broken, f"{name} ({part or 'top level'}) must not import {sorted(broken)}"


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_each_part_keeps_to_its_libraries(path):
    name = _module_name(path)
    rules = FORBIDDEN_LIBRARIES.get(_part(name) or name.split(".")[-1], set())
    broken = {imported for imported in _imports(path) if imported.split(".")[0] in rules}
    assert not broken, f"{name} must not import {sorted(broken)}"


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_every_module_says_what_it_is_for(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and docstring.strip(), f"{path.name} has no module docstring"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, f"{path.name} is over 300 lines"


def test_no_utils_module():
    assert not [p for p in MODULES if p.stem in {"utils", "helpers", "misc"}]


def _readme_architecture() -> str:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Architecture\n", 1)[1]
    return section.split("\n## ", 1)[0]


def test_readme_architecture_shows_the_tree():
    tree = _readme_architecture().split("```", 2)[1]
    folders = set(re.findall(r"^  ([a-z_]+)/ ", tree, re.M))
    assert folders == set(MAY_IMPORT), "the README's tree names every part folder, and only those"
    last_part = tree.index("\n", tree.index("\n  cli/") + 1)
    loose = set(re.findall(r"\b([a-z_]+)\.py\b", tree[last_part:].split("\n  ", 2)[1]))
    assert loose == SHARED, "the README's tree ends with the shared top-level modules"


def test_readme_architecture_states_the_import_rules():
    rules = _readme_architecture().split("```", 4)[3]
    stated = {}
    for line in rules.strip().splitlines():
        part, targets = (side.strip() for side in line.split("->"))
        stated[part] = {name.split("/")[0] for name in re.findall(r"[a-z_]+(?:/[a-z_]+\.py)?", targets.split("(")[0])
                        if name.split("/")[0] in MAY_IMPORT}
    granted = {part: {name.split(".")[0] for name in names} for part, names in MAY_IMPORT.items() if names}
    assert stated == granted, "the README's import rules are the ones MAY_IMPORT holds"


def test_every_module_the_readme_names_exists():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\brdfpub/[a-z_/]+\.py\b", readme))
    missing = sorted(path for path in named if not (PACKAGE.parent / path).is_file())
    assert not missing, f"the README names modules that are not there: {missing}"
