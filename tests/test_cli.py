"""The rdfpub command as a user runs it: exit codes, messages, and what lands in the store."""

import json
import os
import subprocess
import sys

import pytest
from rdflib import Graph

from rdfpub.cli import main

from conftest import SEED, SEEDS


def _run(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "rdfpub", *map(str, args)], capture_output=True, text=True,
                          env=environment, timeout=120)


@pytest.fixture(autouse=True)
def _work_in_a_temporary_folder(tmp_path, monkeypatch):
    """Commands write files (the rejects file, a default store) in the current folder: not the repo's."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def corrupt_seed(tmp_path):
    path = tmp_path / "corrupt-seed.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("PMID: 30445512", "PMID: 3O44", 1), encoding="utf-8")
    return path


def test_validate_seeds_exits_0():
    result = _run("validate", *sorted(SEEDS.iterdir()))
    assert result.returncode == 0, result.stderr
    assert "1 read, 1 conformant, 0 rejected" in result.stderr


def test_validate_corrupt_pmid_names_file_field_and_value(corrupt_seed):
    result = _run("validate", corrupt_seed)
    assert result.returncode == 1
    assert str(corrupt_seed) in result.stdout
    assert "fabio:hasPubMedId" in result.stdout and '"3O44"' in result.stdout
    assert "PMID" in result.stdout and "1 rejected" in result.stderr


def test_validate_json_report(corrupt_seed):
    result = _run("validate", corrupt_seed, SEED, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    statuses = {record["pmid"]: record["status"] for record in report["records"]}
    assert statuses == {"3O44": "rejected", "30445512": "conformant"}
    bad = next(r for r in report["records"] if r["pmid"] == "3O44")
    assert {(p["path"], p["value"]) for p in bad["problems"] if p["shape"] == "ArticleShape"} == {
        ("fabio:hasPubMedId", '"3O44"')}
    assert any(kind["shape"] == "JournalIdentifierShape" and kind["count"] == 18
               for kind in report["summary"]["problems"])


def test_validate_turtle_report_is_a_shacl_report(corrupt_seed):
    result = _run("validate", corrupt_seed, "--format", "turtle")
    assert result.returncode == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    from rdflib import Literal, URIRef
    assert (None, URIRef(sh + "conforms"), Literal(False)) in report
    values = set(report.objects(None, URIRef(sh + "value")))
    assert Literal("3O44") in values


def test_ingest_corrupt_pmid_stores_nothing(corrupt_seed, tmp_path):
    store = tmp_path / "store"
    result = _run("ingest", corrupt_seed, "--store", store)
    assert result.returncode == 1 and "not stored" in result.stderr
    dump = _run("dump", "--store", store, "--format", "nt")
    assert dump.returncode == 0 and dump.stdout.strip() == ""


def test_ingest_twice_keeps_the_triple_count(tmp_path):
    store = tmp_path / "store"
    assert _run("ingest", SEED, "--store", store).returncode == 0
    first = len(Graph().parse(data=_run("dump", "--store", store).stdout, format="turtle"))
    second_run = _run("ingest", SEED, "--store", store)
    assert second_run.returncode == 0 and "1 unchanged" in second_run.stderr
    second = len(Graph().parse(data=_run("dump", "--store", store).stdout, format="turtle"))
    assert first == second > 300


def test_settings_from_environment_and_dump_to_file(tmp_path):
    env = {"RDFPUB_STORE": str(tmp_path / "envstore"), "RDFPUB_BASE_IRI": "https://data.example.org/"}
    assert _run("ingest", SEED, env=env).returncode == 0
    out = tmp_path / "dump.nq"
    assert _run("dump", "--format", "nq", "-o", out, env=env).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "<https://data.example.org/pubmed/30445512>" in text
    assert "<https://data.example.org/graph/pubmed/30445512> ." in text


def test_not_pubmed_input_is_an_error_for_validate(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n", encoding="utf-8")
    result = _run("validate", path)
    assert result.returncode == 2 and "not a format rdfpub reads" in result.stdout


def test_locked_store_is_a_clear_error(tmp_path, capsys):
    from rdfpub.store import Store
    holder = Store(tmp_path / "store")
    assert main(["ingest", str(SEED), "--store", str(tmp_path / "store")]) == 2
    assert "locked" in capsys.readouterr().err
    del holder


def test_bad_port_in_environment(monkeypatch, capsys):
    monkeypatch.setenv("RDFPUB_PORT", "eighty")
    assert main(["validate", str(SEED)]) == 2
    assert "RDFPUB_PORT" in capsys.readouterr().err


def test_help_lists_every_command():
    result = _run("--help")
    for command in ("serve", "ingest", "validate", "dump"):
        assert command in result.stdout


def test_dump_gzip_to_a_file(tmp_path):
    import gzip as gz
    store = tmp_path / "store"
    assert _run("ingest", SEED, "--store", store).returncode == 0
    out = tmp_path / "dump.nt.gz"
    assert _run("dump", "--store", store, "--format", "nt", "--gzip", "-o", out).returncode == 0
    plain = _run("dump", "--store", store, "--format", "nt").stdout
    assert gz.decompress(out.read_bytes()).decode("utf-8") == plain
    assert len(Graph().parse(data=plain, format="nt")) > 300


def test_serve_on_a_taken_port_says_so(tmp_path):
    import socket
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _run("serve", "--store", tmp_path / "store", "--port", port)
    assert result.returncode == 2 and "cannot listen" in result.stderr


def test_dump_of_a_store_that_does_not_exist(tmp_path):
    result = _run("dump", "--store", tmp_path / "nowhere")
    assert result.returncode == 2 and "no store" in result.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(("flag", "value", "words"), [("--port", "99999", "TCP port"),
                                                     ("--base-iri", "not an iri", "base IRI")])
def test_bad_settings_exit_2(flag, value, words):
    result = _run("validate", SEED, flag, value) if flag == "--base-iri" else _run("serve", flag, value)
    assert result.returncode == 2 and words in result.stderr
