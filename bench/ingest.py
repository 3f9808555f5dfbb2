"""Ingest benchmark: records/s and peak memory of `rdfpub ingest` on generated baseline-style files,
and the share of each stage, with validation on (it is never off). Prints a table; exits 0.

    python bench/ingest.py 10000 100000
"""

from __future__ import annotations

import argparse
import os
import resource
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


def run_ingest(files: list[Path], workers: int | None) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (the ingest process and its workers), peak resident KB, summary."""
    store = Path(tempfile.mkdtemp(prefix="rdfpub-bench-store-"))
    command = [sys.executable, "-m", "rdfpub", "ingest", *map(str, files), "--store", str(store / "s"),
               "--quiet", "--rejects", str(store / "rejects.jsonl")]
    if workers:
        command += ["--workers", str(workers)]
    peak = 0
    cpu_before = _children_cpu()
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
    try:  # the store goes however the run ends (an interrupted bench too)
        _, err = process.communicate()
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(store, ignore_errors=True)
    summary = next((line for line in err.splitlines() if " read, " in line), err.strip()[-200:])
    return elapsed, cpu, peak, summary


def _children_cpu() -> float:
    """User and system CPU seconds of the children waited for (a worker's count reaches its parent when
    the parent waits for it): the measure a busy machine skews least."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stage_shares(files: list[Path], sample: int = 2048) -> tuple[dict[str, float], float]:
    """Milliseconds per record of each stage, measured in one process on the first records, and
    the triples per record."""
    from rdfpub.store.catalog import Catalog
    from rdfpub.pipeline.ingest import BATCH_SIZE, STORE_TRANSACTION
    from rdfpub.iris import Iris
    from rdfpub.model import Record
    from rdfpub.pipeline.preparation import Preparer, graph_write
    from rdfpub.settings import Settings
    from rdfpub.sources import read_records
    from rdfpub.store.embedded import Store

    from rdfpub.pipeline.ingest import _collect_less
    _collect_less()  # as ingest tunes its processes' cycle collector
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
    iris = Iris(settings.base_iri)
    shared = iris.shared_graph()
    applied = {}
    for indexed in (False, True):  # the store alone, then with the search and listing index ingest keeps
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "s", shared_graph=shared)
            if indexed:
                store.attach_catalog(Catalog(store.catalog_path(), iris.journal_of))
            started = time.perf_counter()
            for start in range(0, len(writes), STORE_TRANSACTION):  # in ingest's transactions
                store.apply(writes[start:start + STORE_TRANSACTION], shared)
            applied[indexed] = time.perf_counter() - started
            del store
    timings["store"] = applied[False]
    timings["index"] = max(0.0, applied[True] - applied[False])
    shares = {stage: seconds * 1000 / len(records) for stage, seconds in timings.items()}
    return shares, sum(len(item.lines) for item in mapped) / len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="*", default=[10_000])
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; validation on for every record")
    cores = os.cpu_count() or 1
    print(f"{'records':>9} {'seconds':>8} {'records/s':>10} {'CPU s':>8} {'rec/CPU-s':>10} "
          f"{'x cores':>8} {'peak MB':>8}  summary")
    first_files = None
    for count in args.counts:
        files = generate(count, ROOT / "bench" / "data" / f"gen-{count}")
        first_files = first_files or files
        elapsed, cpu, peak_kb, summary = run_ingest(files, args.workers)
        # rec/CPU-s times the cores is the rate this machine reaches when nothing else runs on it.
        print(f"{count:>9,} {elapsed:>8.1f} {count / elapsed:>10,.0f} {cpu:>8.1f} {count / cpu:>10,.0f} "
              f"{cores * count / cpu:>8,.0f} {peak_kb / 1024:>8,.0f}  {summary}")
    shares, triples = stage_shares(first_files)
    total = sum(shares.values())
    print("\nstage shares (one process, the first 2,048 records):")
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
