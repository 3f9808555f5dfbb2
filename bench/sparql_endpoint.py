"""Compares rdfpub's /sparql with `oxigraph serve-read-only` and rdflib-endpoint on the same data and queries, over HTTP on loopback.

Usage (needs the `bench` extra, pip install -e '.[bench]': the `oxigraph` binary and rdflib-endpoint):

    python bench/sparql_endpoint.py [--requests 400] [--rdflib-seconds 15] [--rdflib-timeout 60]
                                    [--xml ../shared/data/pubmed/xml]

Data goes to bench/data/endpoint-NAME/ (ignored by git), NAME being the input folder's: the records
are ingested into a store there once, dumped as N-Quads, and loaded into an Oxigraph store beside it;
rdflib-endpoint loads the same N-Quads into memory at each run (bench/rdflib_endpoint_server.py), so
it is left out when the dump is past --rdflib-max-quads. All three answer queries without GRAPH over
the union of the record graphs.

Six query kinds (bench/endpoint_queries.py): point lookup by PMID, article document (CONSTRUCT),
cited-by count, top-cited (aggregate), articles by MeSH term, author's articles. Each is a template
filled with up to 500 values sampled from the store, and requests go round them, so no server
answers the same request twice in a row. Before measuring a kind, a few of its queries are checked
to get the same answer from each server. Prints, per kind and at concurrency 1 and 8, p50/p99
latency and requests per second for each server, rdfpub's ratios to Oxigraph and its speed-up over
rdflib-endpoint; then each server's memory (proportional set size, so pages shared between rdfpub's
processes count once). rdfpub and rdflib-endpoint run without an access log, as `oxigraph serve`
logs no requests either. rdflib-endpoint gets fewer requests where it is slow (column n) and a
per-request timeout, past which its cell reads "timeout".
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.clients import run_clients  # noqa: E402
from bench.endpoint_queries import KINDS, PREFIXES, Kind, bindings, same, spread  # noqa: E402
from bench.endpoint_table import HEADER, LEGEND, Result, row  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
# The development data set sits beside the checkout, in shared/.
DEV_XML = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed" / "xml"
BIN = Path(sys.executable).parent
RDFLIB_SERVER = Path(__file__).resolve().parent / "rdflib_endpoint_server.py"
VALUES = 500
CHECKS = 5


def _run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def prepare(xml: Path) -> tuple[Path, Path, Path]:
    """rdfpub's store, its N-Quads dump and an Oxigraph store with the same quads, made once per input folder."""
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
    return store, dump, oxi


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def fetch(port: int, query: str, accept: str, timeout: float = 60) -> tuple[bytes, float]:
    """One GET of `query`: (body, seconds taken)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", _path(query), headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body[:300]
        return body, time.perf_counter() - started
    finally:
        connection.close()


def sample(port: int, kind: Kind) -> list[str]:
    """Values for the kind's template, spread over the store (the first column of its sampling query)."""
    body, _ = fetch(port, PREFIXES + kind.values, "application/sparql-results+json")
    return spread([next(iter(row.values()))["value"] for row in bindings(body)], VALUES)


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


class Refused(Exception):
    """A server answered a benchmark request with another status than 200 (rdfpub's 503 when slow
    queries hold its workers, say); the cell shows the status instead of figures."""

    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def load(port: int, paths: list[str], accept: str, requests: int, concurrency: int,
         timeout: float = 60, offset: int = 0) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, requests per second) for `requests` GETs from `concurrency` keep-alive clients,
    going round the query's variants from `offset` on, so that no answer is asked for twice in a row.
    Raises TimeoutError when a request takes past `timeout` seconds."""
    per_client = max(1, requests // concurrency)

    def client(index: int) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine = []
        try:
            for number in range(per_client):
                path = paths[(offset + index * per_client + number) % len(paths)]
                started = time.perf_counter()
                connection.request("GET", path, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise Refused(response.status)
                mine.append(time.perf_counter() - started)
        finally:
            connection.close()
        return mine

    return run_clients(concurrency, client)


def _refused_or(run) -> Result:
    try:
        return run()
    except Refused as refusal:
        return f"refused: {refusal}"


def check(kind: Kind, variants: list[str], ours: int, theirs: int, rdflib: int | None,
          timeout: float) -> float | str | None:
    """Asserts that the servers answer a few of the kind's queries alike: rdfpub and Oxigraph row for
    row, rdflib-endpoint by the set of rows or the graph. rdflib-endpoint's median latency over them,
    "timeout" when it took too long, None without it."""
    took = []
    for query in spread(variants, CHECKS):
        mine = fetch(ours, query, kind.accept)[0]
        assert same(kind, mine, fetch(theirs, query, kind.accept)[0], exact=True), (kind.name, query)
        if rdflib is not None:
            try:
                body, seconds = fetch(rdflib, query, kind.accept, timeout)
            except TimeoutError:
                return "timeout"
            assert same(kind, mine, body, exact=False), ("rdflib-endpoint", kind.name, query)
            took.append(seconds)
    return statistics.median(took) if took else None


def drained(port: int) -> bool:
    """Whether rdflib-endpoint, which runs one query at a time, gets through what timed-out clients
    left queued and answers again within ten minutes."""
    try:
        fetch(port, "ASK {}", "application/sparql-results+json", timeout=600)
        return True
    except OSError:
        return False


def rdflib_requests(latency: float, seconds: float, most: int) -> int:
    """As many requests as take about `seconds` at `latency` each, in multiples of 8, 8 to `most`."""
    return min(most, max(8, 8 * round(seconds / latency / 8)))


def _start_rdflib(dump: Path, port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as err:
        return subprocess.Popen([sys.executable, str(RDFLIB_SERVER), str(dump), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=err)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400,
                        help="requests per query and concurrency to rdfpub and Oxigraph (a multiple of 8)")
    parser.add_argument("--rdflib-seconds", type=float, default=15,
                        help="about how long each rdflib-endpoint measurement may take, which sets its number of requests")
    parser.add_argument("--rdflib-timeout", type=float, default=60,
                        help="seconds rdflib-endpoint has for one request before its cell reads timeout")
    parser.add_argument("--rdflib-max-quads", type=int, default=2_000_000,
                        help="leave rdflib-endpoint out when the dump has more quads (it holds ~1.4 GB per 700,000)")
    parser.add_argument("--xml", type=Path, default=DEV_XML, help="records to ingest")
    args = parser.parse_args()
    if shutil.which("oxigraph", path=str(BIN)) is None:
        print("needs the oxigraph binary: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    DATA.mkdir(exist_ok=True)
    store, dump, oxi = prepare(args.xml)
    quads = sum(1 for _ in dump.open("rb"))
    ours, theirs, rdflib_port = _free_port(), _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env["RDFPUB_ACCESS_LOG"] = "0"
    servers = {
        "rdfpub": subprocess.Popen([str(BIN / "rdfpub"), "serve", "--store", str(store), "--port", str(ours)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "oxigraph": subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi), "--bind",
                                      f"127.0.0.1:{theirs}", "--union-default-graph"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    }
    if importlib.util.find_spec("rdflib_endpoint") is None:
        rdflib_note = "rdflib-endpoint: not installed (pip install -e '.[bench]')"
    elif quads > args.rdflib_max_quads:
        rdflib_note = f"rdflib-endpoint: left out, the dump has {quads:,} quads (--rdflib-max-quads {args.rdflib_max_quads:,})"
    else:
        log = dump.parent / "rdflib-endpoint.log"
        servers["rdflib-endpoint"] = _start_rdflib(dump, rdflib_port, log)
    try:
        _wait(ours, servers["rdfpub"])
        _wait(theirs, servers["oxigraph"])
        values = {kind.name: sample(theirs, kind) for kind in KINDS}
        if "rdflib-endpoint" in servers:
            _wait(rdflib_port, servers["rdflib-endpoint"], seconds=900)
            loaded = next(line for line in log.read_text().splitlines() if line.startswith("loaded"))
            rdflib_note = (f"rdflib-endpoint: {loaded}; at most "
                           f"{args.requests} requests a cell, fewer where slow (~{args.rdflib_seconds:.0f} s a cell, "
                           f"column n), {args.rdflib_timeout:g} s timeout per request")
        rdflib = rdflib_port if "rdflib-endpoint" in servers else None
        print(f"data: {store}, {quads:,} quads; {args.requests} requests a cell to rdfpub and oxigraph")
        print(rdflib_note)
        print("values each query goes round: " + ", ".join(f"{name} {len(v)}" for name, v in values.items()))
        print(HEADER)
        for kind in KINDS:
            variants = [kind.template(value) for value in values[kind.name]]
            paths = [_path(query) for query in variants]
            latency = check(kind, variants, ours, theirs, rdflib, args.rdflib_timeout)
            if latency == "timeout" and not drained(rdflib):
                rdflib = None
            rdflib_result: Result = "n/a" if rdflib is None else "timeout"
            requests = min(args.requests, kind.most_requests or args.requests)
            count = rdflib_requests(latency, args.rdflib_seconds, requests) if isinstance(latency, float) else "-"
            done = {ours: 0, theirs: 0, rdflib: 0}

            def measure(port: int, requests: int, concurrency: int) -> tuple[float, float, float]:
                # Each server goes on round the variants from where it stopped, so that a query comes
                # back only after all the others (rdflib-endpoint keeps its last 128 parsed queries).
                timeout = args.rdflib_timeout if port == rdflib else 60
                result = load(port, paths, kind.accept, requests, concurrency, timeout, done[port])
                done[port] += requests
                return result

            for concurrency in (1, 8):
                for port in (ours, theirs):  # warm each before measuring
                    _refused_or(lambda port=port: measure(port, min(40, requests), concurrency))
                a, b = (_refused_or(lambda port=port: measure(port, requests, concurrency)) for port in (ours, theirs))
                if rdflib is not None and isinstance(count, int):
                    try:
                        measure(rdflib, 8, concurrency)
                        rdflib_result = measure(rdflib, count, concurrency)
                    except TimeoutError:
                        rdflib_result, count = "timeout", "-"
                        if not drained(rdflib):
                            rdflib, rdflib_result = None, "stuck"
                print(row(kind.name, concurrency, a, b, rdflib_result, count), flush=True)
                if rdflib_result == "timeout":
                    rdflib_result = "n/a"  # not tried at concurrency 8 once it timed out at 1
        print(LEGEND)
        processes, ours_mb = memory_mb(servers["rdfpub"].pid)
        memory = (f"memory after the run: rdfpub {ours_mb:.0f} MB in {processes} processes (server and query "
                  f"workers); oxigraph {memory_mb(servers['oxigraph'].pid)[1]:.0f} MB")
        if "rdflib-endpoint" in servers:
            memory += f"; rdflib-endpoint {memory_mb(servers['rdflib-endpoint'].pid)[1]:.0f} MB"
        print(memory)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
