"""Every fact once, measured: quads and store bytes per record, and the counts a user can make,
on generated records with skewed citations, side by side with the layout before it (each record's
graph restating every work, identifier, journal and MeSH term it mentions); then the page of the
most-cited article (303, then Turtle) over HTTP on both. Prints a table; exits 0.

    python bench/every_fact_once.py [--records 10000] [--requests 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

BASE = "http://localhost:8000"
CITES = "http://purl.org/spar/cito/cites"


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_after(files: list[Path], folder: Path) -> Path:
    """The store `rdfpub ingest` makes today."""
    store = folder / "after"
    subprocess.run([sys.executable, "-m", "rdfpub", "ingest", *map(str, files), "--store", str(store), "--quiet",
                    "--rejects", str(folder / "rejects.jsonl")], check=False, env=_environment())
    return store


def build_before(files: list[Path], folder: Path) -> Path:
    """The layout before: every triple a record maps to, in that record's own graph."""
    import pyoxigraph as ox

    from rdfpub.iris import Iris
    from rdfpub.mapping import Mapper
    from rdfpub.model import Record
    from rdfpub.settings import NLM_TERMS
    from rdfpub.sources import read_records

    store_path = folder / "before"
    store = ox.Store(str(store_path))
    mapper, lines = Mapper(Iris(BASE), NLM_TERMS), []
    for path in files:
        for item in read_records(path):
            if isinstance(item, Record):
                mapped = mapper.map_record(item)
                lines += [line[:-1] + f"<{mapped.graph_iri}> ." for line in mapped.lines]
            if len(lines) > 500_000:
                store.bulk_load("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
                lines = []
    store.bulk_load("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return store_path


def counts(store_path: Path) -> dict[str, int]:
    """What a user counts: triples as the endpoint's union returns them, the distinct ones, VoID's
    void:triples and the lines of the N-Triples dump (rdfpub's own code over the store)."""
    from rdfpub.store.embedded import Store
    from rdfpub.web.dataset import compute_stats
    from rdfpub.iris import Iris

    store = Store(store_path, shared_graph=f"{BASE}/graph/shared")

    def number(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)

    result = {
        "records": store.graph_count(),
        "quads": store.triple_count(),
        "COUNT(*)": number("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
        "distinct": number("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"),
        "void:triples": compute_stats(store, Iris(BASE), []).triples,
        "dump.nt lines": sum(chunk.count(b"\n") for chunk in store.dump("nt")),
        "most cited": number(f"SELECT (MAX(?c) AS ?n) {{ SELECT ?w (COUNT(DISTINCT ?a) AS ?c) "
                             f"{{ ?a <{CITES}> ?w }} GROUP BY ?w }}"),
    }
    row = next(iter(store.query(f"SELECT ?w (COUNT(DISTINCT ?a) AS ?c) {{ ?a <{CITES}> ?w }} "
                                "GROUP BY ?w ORDER BY DESC(?c) LIMIT 1")))
    result["most cited path"] = row["w"].value[len(BASE):]
    del store
    return result


def _environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env.update(RDFPUB_BASE_IRI=BASE, RDFPUB_ACCESS_LOG="0", **settings)
    return env


def page_latency(store_path: Path, path: str, requests: int) -> tuple[float, float, int]:
    """p50 and p99 ms of GET {path} (303) then its Turtle document, one client; the document's bytes."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              env=_environment(RDFPUB_STORE=str(store_path), RDFPUB_PORT=str(port)))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("rdfpub serve did not start")
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        latencies, size = [], 0
        for _ in range(requests + 3):  # the first three warm the server up
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": "text/turtle"})
            response = connection.getresponse()
            response.read()
            assert response.status == 303, response.status
            connection.request("GET", "/doc" + path, headers={"Accept": "text/turtle"})
            response = connection.getresponse()
            size = len(response.read())
            assert response.status == 200, response.status
            latencies.append(time.perf_counter() - started)
        latencies = sorted(latencies[3:])
        return statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.99)] * 1000, size
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    files = generate(args.records, ROOT / "bench" / "data" / f"gen-{args.records}")
    folder = Path(tempfile.mkdtemp(prefix="rdfpub-bench-facts-"))
    try:
        stores = {"before": build_before(files, folder), "after": build_after(files, folder)}
        measured = {name: counts(path) for name, path in stores.items()}
        print(f"{args.records:,} generated records (skewed citations)")
        print(f"{'':<28} {'before':>14} {'after':>14}")
        for key in ("records", "quads", "COUNT(*)", "distinct", "void:triples", "dump.nt lines", "most cited"):
            print(f"{key:<28} {measured['before'][key]:>14,} {measured['after'][key]:>14,}")
        for name in stores:
            measured[name]["bytes"] = _folder_bytes(stores[name])
        print(f"{'quads per record':<28} " + " ".join(
            f"{measured[n]['quads'] / measured[n]['records']:>14,.1f}" for n in stores))
        print(f"{'store KB per record':<28} " + " ".join(
            f"{measured[n]['bytes'] / 1024 / measured[n]['records']:>14,.1f}" for n in stores))
        for name in stores:
            equal = len({measured[name][k] for k in ("COUNT(*)", "distinct", "void:triples", "dump.nt lines")}) == 1
            print(f"{name}: COUNT(*) = distinct = void:triples = dump.nt lines: {'yes' if equal else 'NO'}")
        path = measured["after"]["most cited path"]
        print(f"\nmost-cited article {path} (303 + Turtle), one client, {args.requests} requests")
        print(f"{'':<28} {'p50 ms':>9} {'p99 ms':>9} {'Turtle KB':>10}")
        for name, store in stores.items():
            p50, p99, size = page_latency(store, path, args.requests)
            print(f"{name:<28} {p50:>9.1f} {p99:>9.1f} {size / 1024:>10.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
