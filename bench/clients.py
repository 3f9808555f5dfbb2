"""Concurrent HTTP clients for the benchmarks: run them, and turn their latencies into p50, p99 and req/s."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable


def run_clients(concurrency: int, client: Callable[[int], list[float]]) -> tuple[float, float, float]:
    """Starts `concurrency` threads running `client(index)`, each returning its request latencies in
    seconds; (p50 ms, p99 ms, requests per second) over all of them. The first exception a client
    raises (a timeout, say) is raised here once every thread has ended, rather than lost in its thread."""
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            mine = client(index)
        except Exception as error:
            with lock:
                errors.append(error)
            return
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return statistics.median(latencies) * 1000, p99 * 1000, len(latencies) / elapsed
