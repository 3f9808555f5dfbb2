"""Dump and dereferencing benchmark: rdfpub's dump writer against pyoxigraph's own serializer on the
same store (MB/s, peak memory), and an article IRI dereferenced over HTTP (303, then Turtle) in
requests per second at concurrency 1 and 8. Prints a table; exits 0.

    python bench/dumps_and_pages.py [--records 10000] [--requests 400]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.clients import run_clients  # noqa: E402
from bench.generate import FIRST_PMID, generate  # noqa: E402

DATA = ROOT / "bench" / "data"


def _store(records: int) -> Path:
    """A store of `records` generated records, ingested once and kept in bench/data/."""
    store = DATA / f"store-{records}"
    if not (store / ".complete").exists():
        shutil.rmtree(store, ignore_errors=True)
        store.mkdir(parents=True)
        files = generate(records, DATA / f"gen-{records}")
        subprocess.run([sys.executable, "-m", "rdfpub", "ingest", *map(str, files), "--store", str(store / "s"),
                        "--quiet", "--rejects", str(store / "rejects.jsonl")], check=False)
        (store / ".complete").write_text("done\n")
    return store / "s"


_PEAK = "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def _child(code: str) -> tuple[float, float, int]:
    """Runs `code` in a fresh Python; its seconds, its own peak memory in MB, and the bytes it wrote."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code + _PEAK], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    size, peak_kb = result.stdout.split()[-2:]
    return elapsed, int(peak_kb) / 1024, int(size)


def dump_rates(store: Path) -> list[tuple[str, float, float, int]]:
    out = DATA / "dump-bench"
    out.mkdir(exist_ok=True)
    rows = []
    for label, code in (
        ("rdfpub dump nt", f"""
import sys; sys.argv = ['rdfpub', 'dump', '--store', {str(store)!r}, '--format', 'nt', '-o', {str(out / 'a.nt')!r}]
from rdfpub.cli.main import main; main(sys.argv[1:]); import os; print(os.path.getsize({str(out / 'a.nt')!r}))"""),
        ("pyoxigraph dump nq", f"""
import pyoxigraph as ox, os
s = ox.Store.read_only({str(store)!r}); s.dump({str(out / 'b.nq')!r}, format=ox.RdfFormat.N_QUADS)
print(os.path.getsize({str(out / 'b.nq')!r}))"""),
        ("rdfpub dump nq", f"""
import sys; sys.argv = ['rdfpub', 'dump', '--store', {str(store)!r}, '--format', 'nq', '-o', {str(out / 'c.nq')!r}]
from rdfpub.cli.main import main; main(sys.argv[1:]); import os; print(os.path.getsize({str(out / 'c.nq')!r}))"""),
        ("rdfpub dump turtle.gz", f"""
import sys; sys.argv = ['rdfpub', 'dump', '--store', {str(store)!r}, '--gzip', '-o', {str(out / 'd.ttl.gz')!r}]
from rdfpub.cli.main import main; main(sys.argv[1:]); import os; print(os.path.getsize({str(out / 'd.ttl.gz')!r}))"""),
    ):
        elapsed, peak, size = _child(code)
        rows.append((label, elapsed, peak, size))
    shutil.rmtree(out, ignore_errors=True)
    return rows


def _deref(port: int, pmids: list[int]) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies = []
    for pmid in pmids:
        started = time.perf_counter()
        connection.request("GET", f"/pubmed/{pmid}", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        location = response.getheader("Location")
        response.read()
        connection.request("GET", location.split(f":{port}", 1)[-1], headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        latencies.append(time.perf_counter() - started)
    connection.close()
    return latencies


def deref_rates(store: Path, records: int, requests: int) -> list[tuple[int, float, float, float]]:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env.update(RDFPUB_STORE=str(store), RDFPUB_PORT=str(port), RDFPUB_ACCESS_LOG="0",
               RDFPUB_BASE_IRI="http://localhost:8000")
    server = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("HEAD", "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        rows = []
        for concurrency in (1, 8):
            share = requests // concurrency
            p50, p99, rate = run_clients(concurrency, lambda t, share=share: _deref(
                port, [FIRST_PMID + (i * 7919 + t) % records for i in range(share)]))
            rows.append((concurrency, p50, p99, rate))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    store = _store(args.records)
    print(f"store of {args.records:,} generated records")
    print(f"{'dump':<24} {'seconds':>8} {'MB':>8} {'MB/s':>8} {'peak MB':>8}")
    rows = dump_rates(store)
    for label, elapsed, peak, size in rows:
        print(f"{label:<24} {elapsed:>8.1f} {size / 1e6:>8.1f} {size / 1e6 / elapsed:>8.1f} {peak:>8.0f}")
    ours = next(r for r in rows if r[0] == "rdfpub dump nq")
    theirs = next(r for r in rows if r[0] == "pyoxigraph dump nq")
    print(f"N-Quads rate, rdfpub / pyoxigraph: {(ours[3] / ours[1]) / (theirs[3] / theirs[1]):.2f}")
    print(f"\n{'dereference (303 + Turtle)':<28} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for concurrency, p50, p99, rate in deref_rates(store, args.records, args.requests):
        print(f"concurrency {concurrency:<16} {p50:>8.2f} {p99:>8.2f} {rate:>8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
