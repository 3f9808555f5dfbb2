"""Ingest benchmark: records/s and peak memory of `rdfpub ingest` on generated baseline-style files,
and the share of each stage, with validation on (it is never off). Prints a table; exits 0.

    python bench/ingest.py 10000 100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    while stack:
        current = stack.pop()
        try:
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def run_ingest(files: list[Path], workers: int | None) -> tuple[float, int, str]:
    store = Path(tempfile.mkdtemp(prefix="rdfpub-bench-store-"))
    command = [sys.executable, "-m", "rdfpub", "ingest", *map(str, files), "--store", str(store / "s"),
               "--quiet", "--rejects", str(store / "rejects.jsonl")]
    if workers:
        command += ["--workers", str(workers)]
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    shutil.rmtree(store, ignore_errors=True)
    summary = next((line for line in err.splitlines() if " read, " in line), err.strip()[-200:])
    return elapsed, peak, summary


def stage_shares(files: list[Path], sample: int = 300) -> tuple[dict[str, float], float]:
    """Milliseconds per record of each stage, measured in one process on the first records, and
    the triples per record."""
    from rdfpub.ingest import BATCH_SIZE
    from rdfpub.iris import Iris
    from rdfpub.model import Record
    from rdfpub.pipeline import Preparer, graph_write
    from rdfpub.settings import Settings
    from rdfpub.sources import read_records
    from rdfpub.store import Store

    started = time.perf_counter()
    records = []
    for item in read_records(files[0]):
        if isinstance(item, Record):
            records.append(item)
        if len(records) == sample:
            break
    timings = {"parse": time.perf_counter() - started}
    settings = Settings.load(environ={})
    preparer = Preparer(settings)
    started = time.perf_counter()
    mapped = [preparer.mapper.map_record(record) for record in records]
    timings["map"] = time.perf_counter() - started
    started = time.perf_counter()
    writes = [graph_write(item) for item in mapped]
    timings["serialise"] = time.perf_counter() - started
    started = time.perf_counter()
    texts = [write.all_ntriples for write in writes]
    for start in range(0, len(texts), BATCH_SIZE):  # in the batches ingest checks together
        preparer.validator.problems_of_batch(texts[start:start + BATCH_SIZE])
    timings["validate"] = time.perf_counter() - started
    shared = Iris(settings.base_iri).shared_graph()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "s", shared_graph=shared)
        started = time.perf_counter()
        store.apply(writes, shared)
        timings["store"] = time.perf_counter() - started
        del store
    shares = {stage: seconds * 1000 / len(records) for stage, seconds in timings.items()}
    return shares, sum(len(item.lines) for item in mapped) / len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="*", default=[10_000])
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; validation on for every record")
    print(f"{'records':>9} {'seconds':>8} {'records/s':>10} {'peak MB':>8}  summary")
    first_files = None
    for count in args.counts:
        files = generate(count, ROOT / "bench" / "data" / f"gen-{count}")
        first_files = first_files or files
        elapsed, peak_kb, summary = run_ingest(files, args.workers)
        print(f"{count:>9,} {elapsed:>8.1f} {count / elapsed:>10,.0f} {peak_kb / 1024:>8,.0f}  {summary}")
    shares, triples = stage_shares(first_files)
    total = sum(shares.values())
    print("\nstage shares (one process, first 300 records):")
    for stage, ms in shares.items():
        print(f"  {stage:<10} {ms:6.2f} ms/record  {100 * ms / total:5.1f} %")
    print(f"  {'total':<10} {total:6.2f} ms/record  = {1000 / total:,.0f} records/s per core")
    without = total - shares["validate"]
    print(f"the store alone: {triples:,.0f} triples a record, bulk-loaded at {triples * 1000 / shares['store']:,.0f} "
          f"triples/s, caps ingest at {1000 / shares['store']:,.0f} records/s however fast the rest")
    print(f"validation on: {1000 / total:,.0f} records/s per core; off (the same path less the checker): "
          f"{1000 / without:,.0f}; validation is {100 * shares['validate'] / total:.0f} % of the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
