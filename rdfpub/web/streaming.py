"""Streams bytes produced on one dedicated thread to an async response.

pyoxigraph's iterators are bound to the thread that made them (using or dropping one elsewhere
aborts the process), while Starlette would pull a plain iterator from whichever pool thread is
free. So the whole iteration runs on one thread of its own and hands chunks over a small queue,
which also holds the producer back when the client reads slowly.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator

import anyio

_DONE = object()
_POLL_SECONDS = 0.5


async def stream_from_thread(produce: Callable[[], Iterator[bytes]], buffered_chunks: int = 8) -> AsyncIterator[bytes]:
    chunks: queue.Queue = queue.Queue(maxsize=buffered_chunks)
    cancelled = threading.Event()

    def hand_over(item: object) -> bool:
        while not cancelled.is_set():
            try:
                chunks.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for chunk in produce():
                if not hand_over(chunk):
                    return  # the client went away; leaving closes the iterators on this thread
            hand_over(_DONE)
        except Exception as error:  # handed to the response, which fails the transfer
            hand_over(error)

    threading.Thread(target=work, name="rdfpub-stream", daemon=True).start()
    try:
        while True:
            item = await anyio.to_thread.run_sync(chunks.get, abandon_on_cancel=True)
            if item is _DONE:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        cancelled.set()
