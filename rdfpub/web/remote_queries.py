"""SPARQL for a remote store: the query pool's interface, sending each query straight to the store's server.

The checks before (read-only, SERVICE, size, depth) and the result writers after are the ones the
local workers use, so a client sees the same endpoint whichever store is behind it. The deadline is
the same too: the server is asked to stop the query at it (its own timeout setting, where it has
one, stops the work; closing the connection is all a standard client can do).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from urllib.parse import urlencode

import httpx
from starlette.concurrency import run_in_threadpool

from rdfpub.store.remote.answers import RemoteTriples, parse_answer
from rdfpub.store.remote.client import FORM_HEADERS, UNION, RemoteStore
from rdfpub.web.query_workers import QueryFailed
from rdfpub.web.result_writers import Spool, write_result

# The store's answer is read up to this many times the response cap: a SPARQL JSON document is
# bigger than most formats the client may ask for, but not by more than this.
DOWNLOAD_FACTOR = 4
STATS_SECONDS = 10.0  # the service description's counts are trusted this long


class RemoteQueryPool:
    """At most `size` queries at once on the store's server, each stopped at `timeout` seconds."""

    def __init__(self, store: RemoteStore, size: int, timeout: float):
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self.spool = ""
        self._slots: asyncio.Semaphore | None = None
        self._stats: tuple[float, dict] | None = None
        self._counting: asyncio.Task | None = None

    def start(self) -> None:
        self.spool = tempfile.mkdtemp(prefix="rdfpub-results-")

    def close(self) -> None:
        if self.spool:
            shutil.rmtree(self.spool, ignore_errors=True)

    async def run(self, job: dict) -> dict:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except asyncio.TimeoutError:
            raise QueryFailed(503, f"the server is busy: no query slot became free within {self.timeout:g} s; "
                                   "try again later", {"Retry-After": "10"}) from None
        try:
            return await run_in_threadpool(self._run, job, time.monotonic() + deadline - loop.time())
        finally:
            self._slots.release()

    def _form(self, job: dict) -> list[tuple[str, str]]:
        form = [("query", job["query"])]
        if job["dataset"] == "request":  # SPARQL 1.1 Protocol 2.1.4: the request's graphs win
            form += [("default-graph-uri", iri) for iri in job["default_graphs"]]
            form += [("named-graph-uri", iri) for iri in job["named_graphs"]]
        elif job["dataset"] == "union":
            form.append(UNION)
        # "query": the query's own FROM names graphs of the store.
        return form

    def _run(self, job: dict, deadline: float) -> dict:
        """Sends the query, reads the answer into the spool folder, then writes it as the client asked;
        on one thread, to which pyoxigraph binds the result it parses."""
        limit = DOWNLOAD_FACTOR * job["max_bytes"] + (1 << 20)
        with tempfile.TemporaryFile(dir=self.spool) as answer:
            try:
                with self.store._client.stream(
                        "POST", self.store.url, content=urlencode(self._form(job)).encode("ascii"), headers=FORM_HEADERS,
                        timeout=httpx.Timeout(max(0.1, deadline - time.monotonic()))) as response:
                    if response.status_code >= 400:
                        response.read()
                        if response.status_code == 400:
                            return {"status": 400, "message": "the query is not valid SPARQL 1.1 (the store "
                                                              f"says: {response.text[:1000].strip()})"}
                        return {"status": 502, "message": f"the store refused the query: {response.text[:1000]}"}
                    size = 0
                    for block in response.iter_bytes():
                        size += len(block)
                        if size > limit or time.monotonic() > deadline:
                            break
                        answer.write(block)
                    content_type = response.headers.get("content-type", "")
            except httpx.TimeoutException:
                size = 0
                deadline = time.monotonic() - 1
            except httpx.HTTPError as error:
                return {"status": 502, "message": f"the store could not be reached: {error}"}
            if time.monotonic() > deadline:
                return {"status": 504, "message": f"the query ran longer than the {self.timeout:g} s limit and "
                                                  "was stopped; narrow it down (a LIMIT, more specific patterns) and retry"}
            if size > limit:
                return {"status": 507, "message": f"the store's answer passed {limit:,} bytes; ask for fewer rows "
                                                  "(a LIMIT) or fewer columns"}
            answer.seek(0)
            return self._write(job, content_type, answer)

    def _write(self, job: dict, content_type: str, answer) -> dict:
        try:
            result = parse_answer(content_type, answer)
        except Exception as error:  # the store's own document is broken: not the client's fault
            return {"status": 502, "message": f"the store's answer could not be read: {error}"}
        is_graph = isinstance(result, RemoteTriples)
        choice = job["graph"] if is_graph else job["results"]
        if isinstance(choice, str):  # no acceptable format for this kind of result
            return {"status": job["format_status"], "message": choice}
        media_type, name = choice
        spool = Spool(self.spool)
        try:
            truncated = write_result(result, is_graph, name, spool, job["max_rows"], job["max_bytes"])
        except (OSError, ValueError, SyntaxError) as error:
            spool.discard()
            return {"status": 502, "message": f"the store's answer could not be read: {error}"}
        return {"status": 200, "media_type": media_type, "truncated": truncated, **spool.finish()}

    async def stats(self, queries: dict[str, str]) -> dict[str, int]:
        """Counts for the service description, asked of the store at most every STATS_SECONDS, and
        once however many ask at once."""
        if self._stats is not None and time.monotonic() - self._stats[0] <= STATS_SECONDS:
            return self._stats[1]
        loop = asyncio.get_running_loop()
        if self._counting is None or self._counting.done() or self._counting.get_loop() is not loop:
            self._counting = loop.create_task(self._count(queries))
        return await asyncio.shield(self._counting)

    async def _count(self, queries: dict[str, str]) -> dict[str, int]:
        def count() -> dict[str, int]:
            return {name: int(next(iter(self.store.query(query)))["n"].value) for name, query in queries.items()}
        try:
            counts = await asyncio.wait_for(run_in_threadpool(count), self.timeout)
        except Exception as error:
            raise QueryFailed(502, f"the store could not count: {error}") from None
        self._stats = (time.monotonic(), counts)
        return counts
