"""Ingest into a remote store (`oxigraph serve`) with 1, 2 and 4 processes, and query latency through rdfpub vs the server.

Usage (needs the PyPI package `oxigraph`, which installs the `oxigraph` binary):

    python bench/remote_ingest.py [--input FOLDER] [--queries 200]

Each run starts a fresh `oxigraph serve` in bench/data/remote-*, splits the input files into N
disjoint groups, runs one `rdfpub ingest --workers 1` per group at once, and prints records/s over
the wall time. Then it serves the store with `rdfpub serve` and times a point lookup and a join,
sequentially, through rdfpub's /sparql and straight at the server's /query.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import generate  # noqa: E402
from bench.sparql_endpoint import _free_port  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
BIN = Path(sys.executable).parent
QUERIES = {
    "point": 'SELECT ?t WHERE { ?a <http://purl.org/spar/fabio/hasPubMedId> ?p ; <http://purl.org/dc/terms/title> ?t } LIMIT 1',
    "join": ("SELECT ?a (COUNT(?c) AS ?n) WHERE { ?c <http://purl.org/spar/cito/cites> ?a . "
             "?a <http://purl.org/dc/terms/title> ?t } GROUP BY ?a ORDER BY DESC(?n) LIMIT 10"),
}


def _wait(url: str, params: dict | None = None) -> None:
    for _ in range(300):
        try:
            if httpx.get(url, params=params, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _server(folder: Path) -> tuple[subprocess.Popen, str]:
    shutil.rmtree(folder, ignore_errors=True)
    port = _free_port()
    process = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    _wait(url, {"query": "ASK {}"})
    return process, url


def _records(store_url: str) -> int:
    answer = httpx.post(store_url, data={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def ingest(files: list[Path], processes: int) -> tuple[float, subprocess.Popen, str]:
    server, url = _server(DATA / f"remote-{processes}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")} | {"RDFPUB_STORE": url}
    start = time.perf_counter()
    runs = [subprocess.Popen([str(BIN / "rdfpub"), "ingest", *map(str, files[i::processes]), "--quiet",
                              "--workers", "1", "--rejects", str(DATA / f"remote-rejects-{i}.jsonl")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(processes)]
    for run in runs:
        run.wait()
    seconds = time.perf_counter() - start
    return _records(url) / seconds, server, url


def _latency(url: str, query: str, count: int, form: dict) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as client:
        for _ in range(count):
            start = time.perf_counter()
            response = client.post(url, data={"query": query, **form},
                                   headers={"Accept": "application/sparql-results+json"})
            response.raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="input folder (default: 4,000 generated records in 8 files)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args()
    if args.input is None:  # files enough for 4 processes to have 2 each
        args.input = DATA / "gen-4000-in-8"
        generate(4000, args.input, per_file=500)
    files = sorted(p for p in args.input.rglob("*") if p.is_file() and not p.name.startswith("."))
    print(f"{len(files)} input files from {args.input}, {os.cpu_count()} cores")
    server = url = None
    for processes in map(int, args.processes.split(",")):
        if server:
            server.kill()
            server.wait()
        rate, server, url = ingest(files, processes)
        print(f"ingest, {processes} process(es): {rate:,.0f} records/s")
    port = _free_port()
    front = subprocess.Popen([str(BIN / "rdfpub"), "serve", "--port", str(port)],
                             env={**os.environ, "RDFPUB_STORE": url}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/")
        for name, query in QUERIES.items():
            through = _latency(f"http://127.0.0.1:{port}/sparql", query, args.queries, {})
            direct = _latency(url, query, args.queries, {"union-default-graph": ""})
            print(f"{name}: rdfpub p50 {statistics.median(through):.2f} ms, server p50 "
                  f"{statistics.median(direct):.2f} ms (x{statistics.median(through) / statistics.median(direct):.1f})")
    finally:
        front.kill()
        server.kill()


if __name__ == "__main__":
    main()
