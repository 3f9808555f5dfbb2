"""PubMed on one machine: ingest N generated records, then serve them and time what researchers ask.

Prints the ingest rate as the store grows (from ingest's own progress log), the store's size on
disk, peak memory of ingest and of the server, PMID look-ups and article pages (p50/p99), a cited-by
count, the most-cited query and the dump; then the same figures extrapolated to 1,000,000 records
where they grow with the store. Exits 0.

    python bench/at_scale.py 100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.generate import FIRST_PMID, generate  # noqa: E402
from bench.ingest import _tree_rss_kb  # noqa: E402
from servers import clean_environment  # noqa: E402

CITO = "http://purl.org/spar/cito/"
FABIO = "http://purl.org/spar/fabio/"


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


class PeakMemory:
    """Samples a process tree's resident memory four times a second, keeping the peak."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            time.sleep(0.25)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024


def ingest(files: list[Path], store: Path, env: dict) -> tuple[float, float, list[tuple[float, int]], str]:
    """Wall seconds, peak MB, (seconds, records) from the progress log lines, and the summary."""
    command = [sys.executable, "-m", "rdfpub", "ingest", *map(str, files), "--store", str(store),
               "--rejects", str(store.parent / "rejects.jsonl")]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    memory = PeakMemory(process.pid)
    progress, summary = [], ""
    for line in process.stderr:  # not a terminal: one log line a minute, then the summary
        found = re.search(r"([\d,]+) records", line)
        if found and " rdfpub: " in line:
            progress.append((time.perf_counter() - started, int(found.group(1).replace(",", ""))))
        elif " read, " in line:
            summary = line.strip()
    process.wait()
    return time.perf_counter() - started, memory.stop(), progress, summary


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 303 is the answer measured (/resolve), not the page it leads to."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _get(url: str, accept: str = "*/*", timeout: float = 600) -> tuple[float, int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read()
            return time.perf_counter() - started, response.status, body, dict(response.headers)
    except urllib.error.HTTPError as error:
        return time.perf_counter() - started, error.code, error.read(), dict(error.headers)


def _sparql(base: str, query: str) -> tuple[float, dict]:
    seconds, status, body, _ = _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
                                    "application/sparql-results+json")
    if status != 200:
        raise RuntimeError(f"query answered {status}: {body[:300]!r}")
    return seconds, json.loads(body)


def _timed(urls: list[str], expected: int) -> list[float]:
    """Seconds of each GET, each of which must answer `expected`."""
    times = []
    for url in urls:
        seconds, status, _, _ = _get(url)
        if status != expected:
            raise RuntimeError(f"{url} answered {status}, not {expected}")
        times.append(seconds)
    return times


def _percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"p50 {statistics.median(ms):7.1f} ms   p99 {ms[min(len(ms) - 1, int(len(ms) * 0.99))]:7.1f} ms"


def serve_and_measure(store: Path, count: int, env: dict) -> dict[str, str]:
    port = _free_port()
    log = (store.parent / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve", "--store", str(store), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    base, found = f"http://127.0.0.1:{port}", {}
    try:
        started = time.perf_counter()
        while True:
            try:
                if _get(base + "/", timeout=5)[1] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.perf_counter() - started > 600:
                raise RuntimeError("rdfpub serve did not start: see " + str(store.parent / "server.log"))
            time.sleep(0.5)
        found["server start (to the first page)"] = f"{time.perf_counter() - started:.1f} s"
        memory = PeakMemory(process.pid)
        rng = random.Random(1)
        pmids = [str(FIRST_PMID + rng.randrange(count)) for _ in range(300)]
        lookups = [_sparql(base, f'SELECT ?a {{ ?a <{FABIO}hasPubMedId> "{pmid}" }}')[0] for pmid in pmids]
        found["PMID look-up (SPARQL, 300)"] = _percentiles(lookups)
        found["PMID look-up (/resolve: the 303, 200)"] = _percentiles(
            _timed([f"{base}/resolve?pmid={pmid}" for pmid in pmids[:200]], 303))
        found["article page (HTML, 200)"] = _percentiles(
            _timed([f"{base}/doc/pubmed/{pmid}.html" for pmid in pmids[:200]], 200))
        seconds, top = _sparql(base, f"SELECT ?work (COUNT(?citing) AS ?n) {{ ?citing <{CITO}cites> ?work }} "
                                     "GROUP BY ?work ORDER BY DESC(?n) LIMIT 10")
        rows = top["results"]["bindings"]
        found["top-cited query (GROUP BY over every citation)"] = f"{seconds * 1000:.0f} ms, top work cited {rows[0]['n']['value']} times"
        most = rows[0]["work"]["value"]
        seconds, counted = _sparql(base, f"SELECT (COUNT(?citing) AS ?n) {{ ?citing <{CITO}cites> <{most}> }}")
        found["cited-by count of the most-cited work"] = f"{seconds * 1000:.1f} ms ({counted['results']['bindings'][0]['n']['value']})"
        page = _get(f"{base}/doc{urllib.parse.urlparse(most).path}.html")
        found["page of the most-cited work"] = f"{page[0] * 1000:.0f} ms (status {page[1]})"
        started = time.perf_counter()
        while True:  # the first request starts the dump; 503 with Retry-After until it is made
            seconds, status, body, headers = _get(f"{base}/dump.nt.gz")
            if status == 200:
                break
            if status != 503 or time.perf_counter() - started > 3600:
                raise RuntimeError(f"/dump.nt.gz answered {status}")
            time.sleep(float(headers.get("Retry-After", "5")))
        made = time.perf_counter() - started
        again = _get(f"{base}/dump.nt.gz")[0]
        found["dump.nt.gz: made and downloaded"] = f"{made:.1f} s, {len(body) / 1e6:,.1f} MB; again (made): {again:.2f} s"
        found["server peak memory"] = f"{memory.stop():,.0f} MB"
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the store (in /tmp) for a look afterwards")
    args = parser.parse_args()
    files = generate(args.count, ROOT / "bench" / "data" / f"gen-{args.count}")
    folder = Path(tempfile.mkdtemp(prefix="rdfpub-at-scale-"))
    store = folder / "store"
    env = clean_environment()
    try:
        seconds, peak, progress, summary = ingest(files, store, env)
        size = _folder_mb(store)
        print(f"machine: {os.cpu_count()} cores; {args.count:,} generated records (bench/generate.py)")
        print(f"ingest: {seconds:,.0f} s = {args.count / seconds:,.0f} records/s; peak memory {peak:,.0f} MB")
        print(f"        {summary}")
        print("rate as the store grows (ingest's progress lines):")
        last = (0.0, 0)
        for at, records in progress:
            if records > last[1]:
                print(f"  {at:7.0f} s {records:>10,} records  {(records - last[1]) / (at - last[0]):6,.0f} records/s since the last line")
                last = (at, records)
        print(f"store on disk: {size:,.0f} MB = {size * 1e6 / args.count / 1024:,.1f} KB a record")
        found = serve_and_measure(store, args.count, env)
        print("served:")
        for name, value in found.items():
            print(f"  {name:<50} {value}")
        scale = 1_000_000 / args.count
        print(f"extrapolated to 1,000,000 records (linear in records): ingest {seconds * scale / 3600:,.1f} h at this "
              f"rate, store {size * scale / 1000:,.1f} GB")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"store kept in {store}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
