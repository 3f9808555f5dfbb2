"""Publishing while serving, measured: a batch applied over the store owner's channel against Store.apply
in-process (bulk load, and one update as the owner does), and `rdfpub ingest` records/s into an idle
store against one a live `rdfpub serve` holds.

    python bench/generate.py 3000 && python bench/while_serving.py bench/data/gen-3000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from rdfpub.store.channel.client import ChannelStore  # noqa: E402
from rdfpub.pipeline.ingest import _batches, _items  # noqa: E402
from rdfpub.iris import Iris  # noqa: E402
from rdfpub.model import Record  # noqa: E402
from rdfpub.pipeline.preparation import Prepared, Preparer  # noqa: E402
from rdfpub.settings import Settings  # noqa: E402
from rdfpub.store.embedded import Store  # noqa: E402
from rdfpub.store.channel.owner import ChannelServer  # noqa: E402


def _apply_times(store, batches: list[list], iris: Iris) -> list[float]:
    times = []
    for batch in batches:
        writes = [result.write for result in batch if isinstance(result, Prepared)]
        start = time.perf_counter()
        store.apply(writes, iris.shared_graph(), iris.withdrawn_graph())
        times.append(time.perf_counter() - start)
    return times


def apply_latency(inputs: Path, folder: Path, batch_size: int) -> None:
    settings = Settings.load(environ={}, store=folder / "direct")
    iris = Iris(settings.base_iri)
    preparer = Preparer(settings)
    batches = [preparer.prepare_batch(batch) for batch in _batches(_items([inputs], None), batch_size)]
    direct = Store(folder / "direct", iris.shared_graph(), iris.withdrawn_graph())
    direct_times = _apply_times(direct, batches, iris)
    atomic = Store(folder / "atomic", iris.shared_graph(), iris.withdrawn_graph())
    atomic.atomic_writes = True  # as the owner writes while it serves
    atomic_times = _apply_times(atomic, batches, iris)
    owner = Store(folder / "owned", iris.shared_graph(), iris.withdrawn_graph())
    server = ChannelServer(owner).start()
    try:
        client = ChannelStore.connect(folder / "owned")
        channel_times = _apply_times(client, batches, iris)
        client.close()
    finally:
        server.close()
    for name, times in (("Store.apply, bulk load", direct_times), ("Store.apply, one update", atomic_times),
                        ("ChannelStore.apply", channel_times)):
        print(f"{name:<24} {len(times)} batches of {batch_size}: median {statistics.median(times) * 1000:.1f} ms, "
              f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.1f} ms, total {sum(times):.2f} s")


def _ingest(inputs: Path, store: Path, cwd: Path) -> float:
    from servers import clean_environment

    environment = clean_environment()
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "rdfpub", "ingest", "--quiet", str(inputs), "--store", str(store),
                          "--rejects", str(cwd / "rejects.jsonl")], env=environment, cwd=cwd, check=False,
                         capture_output=True, text=True)
    seconds = time.perf_counter() - start
    print(run.stderr.strip().splitlines()[-1])
    return seconds


def ingest_rates(inputs: Path, folder: Path, records: int) -> None:
    from servers import rdfpub_server

    idle = _ingest(inputs, folder / "idle", folder)
    with rdfpub_server({"RDFPUB_STORE": str(folder / "served")}, folder):
        served = _ingest(inputs, folder / "served", folder)
    for name, seconds in (("ingest into an idle store", idle), ("ingest while serving", served)):
        print(f"{name:<26} {records} records in {seconds:.1f} s: {records / seconds:,.0f} records/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", type=Path)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--skip-apply", action="store_true", help="only the ingest rates")
    args = parser.parse_args()
    args.inputs = args.inputs.resolve()  # the ingest processes run in a folder of their own
    records = sum(1 for item in _items([args.inputs], None) if isinstance(item, Record))
    with tempfile.TemporaryDirectory(prefix="rdfpub-bench-") as folder:
        if not args.skip_apply:
            apply_latency(args.inputs, Path(folder), args.batch_size)
        ingest_rates(args.inputs, Path(folder), records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
