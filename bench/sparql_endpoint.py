"""Compares rdfpub's /sparql with `oxigraph serve-read-only` on the same data and queries, over HTTP on loopback.

Usage (needs the PyPI package `oxigraph`, which installs the `oxigraph` binary):

    python bench/sparql_endpoint.py [--requests 400] [--xml ../shared/data/pubmed/xml]

Data goes to bench/data/endpoint-NAME/ (ignored by git), NAME being the input folder's: the records
are ingested into a store there once, dumped as N-Quads, and loaded into an Oxigraph store beside it.
Lookups and joins go round 500 PMIDs, so neither server answers the same request twice in a row. Prints p50/p99 latency and
requests per second for each query at concurrency 1 and 8, and rdfpub's ratio to Oxigraph; then
each server's memory (proportional set size, so pages shared between rdfpub's processes count once).
rdfpub runs without its access log, as `oxigraph serve` logs no requests either.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.clients import run_clients  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
# The development data set sits beside the checkout, in shared/.
DEV_XML = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed" / "xml"
BIN = Path(sys.executable).parent


def _run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def prepare(xml: Path) -> tuple[Path, Path]:
    """rdfpub's store and an Oxigraph store with the same quads, made once per input folder."""
    folder = DATA / f"endpoint-{xml.name}"
    folder.mkdir(parents=True, exist_ok=True)
    store, dump, oxi = folder / "store", folder / "dump.nq", folder / "oxigraph"
    if not store.exists():
        # Exit code 1 only says some records were rejected; the others are published.
        subprocess.run([str(BIN / "rdfpub"), "ingest", str(xml), "--store", str(store), "--quiet",
                        "--rejects", str(folder / "rejects.jsonl")], check=False)
    if not dump.exists():
        _run(str(BIN / "rdfpub"), "dump", "--store", str(store), "--format", "nq", "-o", str(dump))
    if not oxi.exists():
        _run(str(BIN / "oxigraph"), "load", "--location", str(oxi), "--file", str(dump))
    return store, oxi


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _sample_pmids(port: int, count: int = 500) -> list[str]:
    """Published PMIDs spread over the store, so that each request asks about another record."""
    rows = _query(port, "SELECT ?p { ?a <http://purl.org/spar/fabio/hasPubMedId> ?p } ORDER BY ?p")
    step = max(1, len(rows) // count)
    return [row["p"]["value"] for row in rows[::step][:count]]


def _query(port: int, query: str) -> list:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                       headers={"Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, body[:300]
    return json.loads(body)["results"]["bindings"]


def memory_mb(pid: int) -> tuple[int, float]:
    """(processes, MB) of `pid` and its children, by proportional set size (Linux)."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            pass  # gone meanwhile
    total = 0
    for one in pids:
        for line in Path(f"/proc/{one}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return len(pids), total / 1024


def queries(pmid: str) -> dict[str, str]:
    return {
        "point lookup": f'SELECT ?a ?t {{ ?a <http://purl.org/spar/fabio/hasPubMedId> "{pmid}" ; '
                        f'<http://purl.org/dc/terms/title> ?t }}',
        "join": ("SELECT ?a ?t ?name { ?a <http://purl.org/spar/fabio/hasPubMedId> ?p ; <http://purl.org/dc/terms/title> ?t ; "
                 "<http://purl.org/spar/pro/isDocumentContextFor> ?r . ?r <http://purl.org/spar/pro/isHeldBy> ?g . "
                 f'?g <http://xmlns.com/foaf/0.1/name> ?name FILTER(?p = "{pmid}") }}'),
        "aggregate": ("SELECT ?year (COUNT(?a) AS ?n) { ?a <http://purl.org/spar/fabio/hasPublicationYear> ?year } "
                      "GROUP BY ?year ORDER BY ?year"),
    }


def load(port: int, variants: list[str], requests: int, concurrency: int) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, requests per second) for `requests` GETs from `concurrency` keep-alive clients,
    going round the query's variants (one per PMID) so that no answer is asked for twice in a row."""
    paths = ["/sparql?" + urllib.parse.urlencode({"query": query}) for query in variants]
    per_client = requests // concurrency

    def client(index: int) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for number in range(per_client):
            path = paths[(index * per_client + number) % len(paths)]
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            mine.append(time.perf_counter() - started)
        return mine

    return run_clients(concurrency, client)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per query and concurrency")
    parser.add_argument("--xml", type=Path, default=DEV_XML, help="records to ingest")
    args = parser.parse_args()
    if shutil.which("oxigraph", path=str(BIN)) is None:
        print("needs the oxigraph binary: pip install oxigraph", file=sys.stderr)
        return 2
    DATA.mkdir(exist_ok=True)
    store, oxi = prepare(args.xml)
    ours, theirs = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env["RDFPUB_ACCESS_LOG"] = "0"
    servers = [
        subprocess.Popen([str(BIN / "rdfpub"), "serve", "--store", str(store), "--port", str(ours)],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi), "--bind",
                          f"127.0.0.1:{theirs}", "--union-default-graph"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        _wait(ours, servers[0])
        _wait(theirs, servers[1])
        pmids = _sample_pmids(theirs)
        print(f"data: {store}; lookups and joins go round {len(pmids)} PMIDs; "
              f"{args.requests} requests per cell")
        print(f"{'query':<13} {'conc':>4} | {'rdfpub p50':>10} {'p99':>7} {'req/s':>7} | "
              f"{'oxigraph p50':>12} {'p99':>7} {'req/s':>7} | {'ratio':>5}")
        for name in queries(pmids[0]):
            variants = list(dict.fromkeys(queries(pmid)[name] for pmid in pmids))
            for query in variants[:5]:
                assert _query(ours, query) == _query(theirs, query) or name == "aggregate", name
            for concurrency in (1, 8):
                load(ours, variants, 40, concurrency)  # warm both before measuring
                load(theirs, variants, 40, concurrency)
                a = load(ours, variants, args.requests, concurrency)
                b = load(theirs, variants, args.requests, concurrency)
                print(f"{name:<13} {concurrency:>4} | {a[0]:>8.2f}ms {a[1]:>5.1f}ms {a[2]:>7.0f} | "
                      f"{b[0]:>10.2f}ms {b[1]:>5.1f}ms {b[2]:>7.0f} | {b[2] / a[2]:>4.2f}x")
        print("ratio = Oxigraph's requests per second / rdfpub's (1.00x: as fast; higher: rdfpub slower)")
        processes, ours_mb = memory_mb(servers[0].pid)
        print(f"memory after the run: rdfpub {ours_mb:.0f} MB in {processes} processes (server and query "
              f"workers); oxigraph {memory_mb(servers[1].pid)[1]:.0f} MB")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
