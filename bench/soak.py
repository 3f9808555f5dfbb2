"""Soak test: rdfpub serve and oxigraph serve-read-only on the development data, each under minutes of mixed load.

Usage (needs the `bench` extra for the `oxigraph` binary):

    python bench/soak.py [--minutes 3] [--lookup-clients 16] [--lookup-rate 100] [--page-clients 8]
                         [--page-rate 20] [--burst 20] [--burst-every 30] [--half-open 1000]
                         [--memory-guard 6] [--data ../shared/data/pubmed]

The development data set is ingested once into bench/data/soak/store (ignored by git), dumped as
N-Quads and loaded into an Oxigraph store beside it. Each server then gets the same load for the
same time (bench/soak_load.py): point lookups by PMID and article pages from many keep-alive
clients, each sending at a steady pace so that together they keep the given rates, well below
what either server can answer, as real visitors would (a client whose answer comes late sends its
next request at once); rdfpub gets its HTML page /doc/pubmed/{PMID}, Oxigraph, which has no pages,
the CONSTRUCT of the article's triples. Beside them: bursts of slow queries (two that would run
for hours, one of them growing its memory without bound, and two that read the whole store
once), connections that send half a request header and wait (re-opened as the server closes
them), and hostile requests from the probe's list (bench/soak_load.py, HOSTILE). rdfpub runs with its default settings and no access
log; Oxigraph with the same 30 s query timeout and the union default graph.

Prints per kind and server: requests, the status codes they got, p50 and p99 latency, and the p99
of the quick kinds among requests sent while a burst was running; then the peak memory of each
server's process tree (resident, and proportional set size, which counts pages shared between
rdfpub's processes once), and how the half-open connections fared. A server whose tree passes
--memory-guard GB is killed and started again (the table says how often), so the machine survives.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import soak_load  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "soak"
DEV_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed"
BIN = Path(sys.executable).parent
QUICK = ("point lookup", "page")


def prepare(source: Path) -> tuple[Path, Path]:
    """rdfpub's store and an Oxigraph store with the same quads, made once."""
    DATA.mkdir(parents=True, exist_ok=True)
    store, dump, oxi = DATA / "store", DATA / "dump.nq", DATA / "oxigraph"
    if not store.exists():  # exit code 1 only says some records were rejected
        subprocess.run([str(BIN / "rdfpub"), "ingest", str(source), "--store", str(store), "--quiet",
                        "--rejects", str(DATA / "rejects.jsonl")], check=False)
    if not dump.exists():
        subprocess.run([str(BIN / "rdfpub"), "dump", "--store", str(store), "--format", "nq", "-o", str(dump)], check=True)
    if not oxi.exists():
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(oxi), "--file", str(dump)], check=True,
                       stdout=subprocess.DEVNULL)
    return store, oxi


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, pending = [], [pid]
    while pending:
        one = pending.pop()
        found.append(one)
        pending += children.get(one, [])
    return found


def _memory(pids: list[int]) -> tuple[float, float]:
    """(RSS MB, PSS MB) summed over `pids`."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass  # gone meanwhile
    return rss / 1024, pss / 1024


class Server:
    """One server process, watched: peak memory of its tree, and killed and restarted past the guard."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, guard_mb: float):
        self.name, self.command, self.env, self.port, self.guard_mb = name, command, env, port, guard_mb
        self.peak_rss = self.peak_pss = 0.0
        self.peak_processes = 0
        self.restarts: list[str] = []
        self.process: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._log = open(DATA / f"{name}.log", "wb")

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited; see {DATA / (self.name + '.log')}") from None
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start")

    def watch(self) -> None:
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.25):
            pids = _tree(self.process.pid)
            rss, pss = _memory(pids)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            died = self.process.poll() is not None
            if rss > self.guard_mb or died:
                self.restarts.append(f"died ({self.process.returncode})" if died else f"killed at {rss / 1024:.1f} GB")
                self.stop_process()
                self.start()

    def stop_process(self) -> None:
        for pid in reversed(_tree(self.process.pid)):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        self.process.wait()

    def stop(self) -> None:
        self._stop.set()
        self._watcher.join()
        self.stop_process()
        self._log.close()


def _pmids(port: int) -> list[str]:
    query = "SELECT ?p { ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a . ?a <http://purl.org/spar/fabio/hasPubMedId> ?p }"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query}),
                                timeout=120) as response:
        rows = json.load(response)["results"]["bindings"]
    return [row["p"]["value"] for row in rows]


def soak(server: Server, pmids: list[str], args, html: bool) -> soak_load.Record:
    record = soak_load.Record()
    soak_load.Client.retried = 0
    until = time.monotonic() + args.minutes * 60
    port = server.port
    server.watch()
    lookup_every, page_every = args.lookup_clients / args.lookup_rate, args.page_clients / args.page_rate
    threads = [threading.Thread(target=soak_load.lookups, args=(port, pmids, record, until, lookup_every))
               for _ in range(args.lookup_clients)]
    threads += [threading.Thread(target=soak_load.pages, args=(port, pmids, record, until, page_every, html))
                for _ in range(args.page_clients)]
    threads += [threading.Thread(target=soak_load.bursts, args=(port, record, until, args.burst, args.burst_every, 10)),
                threading.Thread(target=soak_load.hostile, args=(port, record, until, 0.2)),
                threading.Thread(target=soak_load.half_open, args=(port, record, until, args.half_open))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.stop()
    record.half_open["GETs sent again after a keep-alive close"] = soak_load.Client.retried
    return record


def _percentile(values: list[float], share: float) -> str:
    if not values:
        return "-"
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(len(values) * share))] * 1000:,.0f}"


def _in_burst(sent: float, bursts: list[list[float]]) -> bool:
    return any(start <= sent <= end for start, end in bursts)


def table(results: dict[str, tuple[Server, soak_load.Record]], minutes: float) -> None:
    print(f"\nsoak: {minutes:g} min per server on the development data set\n")
    print(f"{'kind':<31} {'server':<9} {'requests':>8}  {'p50 ms':>7} {'p99 ms':>8} {'p99 in bursts':>13}  statuses")
    kinds = ["point lookup", "page", "slow (bursts)", "hostile"] + [f"hostile: {h[0]}" for h in soak_load.HOSTILE]
    for kind in kinds:
        for name, (server, record) in results.items():
            rows = record.rows.get(kind, [])
            statuses: dict[str, int] = {}
            for _, _, status in rows:
                statuses[status] = statuses.get(status, 0) + 1
            took = [seconds for _, seconds, _ in rows]
            during = [seconds for sent, seconds, _ in rows if _in_burst(sent, record.bursts)] if kind in QUICK else []
            shown = ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items()))
            print(f"{kind:<31} {name:<9} {len(rows):>8,}  {_percentile(took, 0.5):>7} {_percentile(took, 0.99):>8} "
                  f"{_percentile(during, 0.99) if kind in QUICK else '':>13}  {shown}")
    print()
    for name, (server, record) in results.items():
        half = record.half_open
        print(f"{name:<9} process tree peak: {server.peak_rss:,.0f} MB resident, {server.peak_pss:,.0f} MB PSS, "
              f"{server.peak_processes} processes; restarts: {', '.join(server.restarts) or 'none'}")
        print(f"{'':<9} half-open connections: {half['opened']:,} opened, {half['closed by the server']:,} closed "
              f"by the server, at most {half['held']:,} held at once; GETs sent again after the server closed "
              f"an idle keep-alive connection: {half['GETs sent again after a keep-alive close']:,}")
    if "rdfpub" not in results:
        return
    server, record = results["rdfpub"]
    quick = [row for kind in QUICK for row in record.rows.get(kind, [])]
    errors = [sent for sent, _, status in quick if status != "200"]
    in_bursts = sum(_in_burst(sent, record.bursts) for sent in errors)
    during = [seconds for sent, seconds, _ in quick if _in_burst(sent, record.bursts)]
    p99 = float(_percentile(during, 0.99).replace(",", "")) if during else 0.0
    print(f"\nrdfpub against the goal: quick errors {len(errors)} ({in_bursts} in bursts; goal 0), quick p99 in "
          f"bursts {p99:,.0f} ms (goal < 300), tree peak {server.peak_rss / 1024:.2f} GB resident (goal < 4)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3, help="how long each server is loaded")
    parser.add_argument("--lookup-clients", type=int, default=16, help="keep-alive clients sending point lookups")
    parser.add_argument("--lookup-rate", type=float, default=100, help="point lookups per second, all clients together")
    parser.add_argument("--page-clients", type=int, default=8, help="keep-alive clients reading article pages")
    parser.add_argument("--page-rate", type=float, default=20, help="pages per second, all clients together")
    parser.add_argument("--burst", type=int, default=20, help="slow queries sent at once in each burst")
    parser.add_argument("--burst-every", type=float, default=30, help="seconds from one burst to the next")
    parser.add_argument("--half-open", type=int, default=1000, help="half-open connections kept trying")
    parser.add_argument("--memory-guard", type=float, default=6, help="GB past which a server is killed")
    parser.add_argument("--data", type=Path, default=DEV_DATA, help="the records to ingest")
    parser.add_argument("--servers", default="rdfpub,oxigraph", help="which servers to load, comma-separated")
    args = parser.parse_args()
    store, oxi = prepare(args.data)
    guard = args.memory_guard * 1024
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    results = {}
    pmids: list[str] = []
    for name in args.servers.split(","):
        port = _free_port()
        if name == "rdfpub":
            command = [str(BIN / "rdfpub"), "serve", "--store", str(store), "--port", str(port)]
            server = Server(name, command, dict(environment, RDFPUB_ACCESS_LOG="0"), port, guard)
        else:
            command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi), "--bind",
                       f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "30"]
            server = Server(name, command, environment, port, guard)
        server.start()
        if not pmids:
            pmids = _pmids(port)
            random.shuffle(pmids)
        results[name] = (server, soak(server, pmids, args, html=name == "rdfpub"))
    table(results, args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
