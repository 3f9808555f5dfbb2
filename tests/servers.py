"""Real SPARQL servers for the tests, started on a free loopback port and polled until they answer."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from rdfpub.store.remote.client import RemoteStore

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO, ISQL = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")


def clean_environment() -> dict[str, str]:
    """This process's environment without its RDFPUB_* settings: a command run with it reads only what
    it is given (a developer's own settings would change what a test or a bench meets)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answers(process: subprocess.Popen, url: str, name: str, seconds: float, log=None) -> None:
    """Polls `url` with an empty ASK until it answers 200; fails, with `log()` if the process died,
    when it dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log() if log else ''}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer within {seconds:g} s")


class OxigraphServer:
    """`oxigraph serve` over `folder` (rdfpub asks it for the union default graph query by query)."""

    def __init__(self, folder: Path):
        if not Path(OXIGRAPH).exists():
            pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/query"
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.settings = {"store": self.url}
        self.graph_store_url = f"http://127.0.0.1:{port}/store"
        try:
            wait_until_answers(self.process, self.url, "oxigraph serve", 30,
                               lambda: self.process.stderr.read().decode()[-2000:])
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()
            self.process.stderr.close()


@contextmanager
def rdfpub_server(env: dict[str, str], folder: Path, port: int | None = None) -> Iterator[str]:
    """`rdfpub serve` as a real process with `env` (RDFPUB_* settings), polled until its landing
    page answers; yields its URL and stops it after. Its log goes to a file in `folder`: a pipe
    nobody reads would fill up and stall the server."""
    port = port or free_port()
    environment = clean_environment() | env | {"RDFPUB_PORT": str(port)}
    log_path = folder / f"server-{port}.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], env=environment, cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("rdfpub serve did not start:\n" + log_path.read_text(errors="replace"))
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def served_records(records: list[Path], folder: Path) -> Iterator[str]:
    """`rdfpub ingest` of `records` into a new store in `folder`, as a user runs it (no RDFPUB_*
    settings, so minted under the default base), then `rdfpub serve` over it; yields its URL."""
    environment = clean_environment()
    built = subprocess.run([sys.executable, "-m", "rdfpub", "ingest", *map(str, records), "--store",
                            str(folder / "store")], env=environment, cwd=folder, capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    with rdfpub_server({"RDFPUB_STORE": str(folder / "store")}, folder) as url:
        yield url


# Virtuoso's whole configuration for a test: its files in the folder, both ports on loopback, small
# buffers (8 KiB pages) for a small machine, no packages beyond the SPARQL endpoint. ResultSetMaxRows
# is raised above RDFPUB_MAX_RESULT_ROWS as the README advises (its stock 10,000 would cut the
# dumps' queries, slowly); one test sets it low to meet cut answers.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 8
CheckpointInterval = 0
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
ThreadsPerQuery = 2
DirsAllowed = {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""
# The graph group whose members only users granted them may read (Virtuoso's graph-level security).
PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


class VirtuosoServer:
    """`virtuoso-t` over a new database in `folder`. Readers use the anonymous endpoint /sparql, whose
    default graph is the union of the graphs it may read; the graphs Virtuoso holds before rdfpub
    writes any (its own schema and service graphs) are made private, so that union is rdfpub's record
    graphs only. Writes go to /sparql-auth as the dba user, which answers with HTTP Digest."""

    def __init__(self, folder: Path, max_rows: int = 1_000_000):
        if not VIRTUOSO or not ISQL:
            pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource-7-bin: "
                        "virtuoso-t and isql-vt)")
        folder = folder.resolve()
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(folder=folder, sql_port=self.sql_port, http_port=http_port, max_rows=max_rows))
        self.log = folder / "virtuoso.log"
        self.process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        root = f"http://127.0.0.1:{http_port}"
        self.url = f"{root}/sparql"
        self.settings = {"store": self.url, "store_update": f"{root}/sparql-auth",
                         "store_user": "dba", "store_password": "dba"}
        self.graph_store_url = f"{root}/sparql-graph-crud-auth"
        try:
            wait_until_answers(self.process, self.url, "virtuoso-t", 60, self._log_tail)
            self._hide_own_graphs()
        except Exception:
            self.stop()
            raise

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def _hide_own_graphs(self) -> None:
        own = [row["g"]["value"] for row in httpx.post(
            self.url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["results"]["bindings"]]
        self.sql([f"DB.DBA.RDF_GRAPH_GROUP_CREATE ('{PRIVATE_GRAPHS}', 1)",
                  *[f"DB.DBA.RDF_GRAPH_GROUP_INS ('{PRIVATE_GRAPHS}', '{graph}')" for graph in own],
                  "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1)",  # private graphs: no access
                  "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0)"])  # every other graph: read

    def sql(self, statements: list[str]) -> str:
        """Runs SQL statements as dba through isql; fails on the first error."""
        script = "".join(f"{statement};\n" for statement in statements)
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "ERRORS=STDOUT",
                               "PROMPT=OFF", "BANNER=OFF"], input=script + "EXIT;\n", capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()


SERVERS = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


def remote_store(server, **options) -> RemoteStore:
    """A RemoteStore on `server`, through the endpoints and with the account its settings name."""
    settings = server.settings
    return RemoteStore(settings["store"], settings.get("store_update", ""), user=settings.get("store_user", ""),
                       password=settings.get("store_password", ""), **options)
