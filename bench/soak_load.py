"""The soak test's load: quick lookups, pages, bursts of slow queries, half-open connections and hostile queries, each kind on its own threads."""

from __future__ import annotations

import http.client
import itertools
import random
import select
import socket
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

PREFIXES = ("PREFIX fabio: <http://purl.org/spar/fabio/>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
            "PREFIX cito: <http://purl.org/spar/cito/>\n")
JSON = "application/sparql-results+json"
HALF_REQUEST = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half-open"

# Slow queries, sent in bursts: two that would run for hours (one only burns CPU, one also grows
# its memory without bound) and two legitimate ones that read the whole store once.
SLOW = [
    PREFIXES + "SELECT (COUNT(*) AS ?n) { ?a dcterms:title ?t . ?b dcterms:title ?u . ?c dcterms:title ?v }",
    PREFIXES + "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?a ?b ?c { ?a fabio:hasPubMedId ?x . "
               "?b fabio:hasPubMedId ?y . ?c fabio:hasPubMedId ?z } }",
    "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p",
    "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
]


def _get(path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[str, str, bytes | None, dict]:
    return ("POST" if body is not None else "GET", path, body, headers or {})


# Hostile requests from the probe: (name, method, path, body, headers).
HOSTILE = [
    ("10,000 UNION branches", *_get("/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT*{" + "UNION".join(["{}"] * 10_000) + "}"}))),
    ("3,000 MINUS clauses", *_get("/sparql?" + urllib.parse.urlencode({"query": "SELECT*{" + "MINUS{}" * 3_000 + "}"}))),
    ("3,000 BINDs", *_get("/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT*{" + "".join(f"BIND(1 AS?v{i})" for i in range(3_000)) + "}"}))),
    ("5,000 nested groups", *_get("/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE " + "{" * 5_000 + "}" * 5_000}))),
    ("5,000 operators", *_get("/sparql?" + urllib.parse.urlencode({"query": "ASK{FILTER(" + "1+" * 5_000 + "1>0)}"}))),
    ("SERVICE", *_get("/sparql?" + urllib.parse.urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}))),
    ("ORDER BY every object", *_get("/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?o LIMIT 10"}))),
    ("update as a query", *_get("/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}))),
    ("update by POST", *_get("/sparql", b"update=LOAD+%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E",
                             {"Content-Type": "application/x-www-form-urlencoded"})),
    ("2 MB body", *_get("/sparql", b"query=" + b"A" * 2_000_000, {"Content-Type": "application/x-www-form-urlencoded"})),
    ("bad UTF-8", *_get("/sparql?query=ASK%7B%22%FF%22%7D")),
]


@dataclass
class Record:
    """What every request of a kind got: (when it was sent, seconds taken, status or error name)."""

    rows: dict[str, list[tuple[float, float, str]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    bursts: list[list[float]] = field(default_factory=list)  # [start, end] of each burst of slow queries
    half_open: dict[str, int] = field(default_factory=lambda: {"opened": 0, "closed by the server": 0, "held": 0})

    def add(self, kind: str, sent: float, seconds: float, status: str) -> None:
        with self.lock:
            self.rows[kind].append((sent, seconds, status))


class Client:
    """One keep-alive HTTP connection that reconnects after an error. A GET that finds its idle
    connection closed by the server is sent once more on a new one, as browsers and HTTP libraries
    do (RFC 9112, section 9.3.1); `retried` counts them."""

    retried = 0

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout, self.connection = port, timeout, None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> str:
        reused = self.connection is not None
        status = self._request(method, path, body, headers)
        if reused and method == "GET" and status in ("RemoteDisconnected", "ConnectionResetError", "BrokenPipeError"):
            Client.retried += 1
            status = self._request(method, path, body, headers)
        return status

    def _request(self, method: str, path: str, body: bytes | None, headers: dict | None) -> str:
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            text = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return str(response.status) + _why(response.status, text)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return type(error).__name__

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# What rdfpub's 503s say, in a word: which of its rules refused the request.
_REASONS = {b"could start within": " (waited too long)", b"so that quick": " (slow lane full)",
            b"ran long lately": " (known slow)", b"not ready within": " (page deadline)",
            b"being prepared": " (shared work not ready)", b"worker could start": " (worker start)",
            b"all the connections": " (connections full)"}


def _why(status: int, text: bytes) -> str:
    if status != 503:
        return ""
    return next((reason for words, reason in _REASONS.items() if words in text), "")


def _timed(record: Record, kind: str, client: Client, *request) -> None:
    sent = time.monotonic()
    status = client.request(*request)
    record.add(kind, sent, time.monotonic() - sent, status)


def _paced(interval: float, until: float):
    """Moments `interval` apart until `until`, starting at a random offset; one that is already past
    (the last request took longer) is kept at once, and the schedule goes on from there."""
    rng = random.Random()
    moment = time.monotonic() + rng.uniform(0, interval)
    while moment < until:
        time.sleep(max(0.0, moment - time.monotonic()))
        yield
        moment = max(moment + interval, time.monotonic())


def lookups(port: int, pmids: list[str], record: Record, until: float, interval: float) -> None:
    client, rng = Client(port, 60), random.Random()
    for _ in _paced(interval, until):
        query = PREFIXES + f'SELECT ?a ?t {{ ?a fabio:hasPubMedId "{rng.choice(pmids)}" ; dcterms:title ?t }}'
        _timed(record, "point lookup", client, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
               None, {"Accept": JSON})
    client.close()


def pages(port: int, pmids: list[str], record: Record, until: float, interval: float, html: bool) -> None:
    """rdfpub's article page; for a server without pages, the CONSTRUCT of the article's own triples."""
    client, rng = Client(port, 60), random.Random()
    for _ in _paced(interval, until):
        pmid = rng.choice(pmids)
        if html:
            request = ("GET", f"/doc/pubmed/{pmid}", None, {"Accept": "text/html"})
        else:
            article = f"http://localhost:8000/pubmed/{pmid}"
            query = f"CONSTRUCT {{ <{article}> ?p ?o }} WHERE {{ <{article}> ?p ?o }}"
            request = ("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None,
                       {"Accept": "application/n-triples"})
        _timed(record, "page", client, *request)
    client.close()


def bursts(port: int, record: Record, until: float, size: int, every: float, first: float) -> None:
    """`size` slow queries at once, every `every` seconds; each waits for its answer."""
    next_burst = time.monotonic() + first
    while next_burst < until:
        time.sleep(max(0.0, next_burst - time.monotonic()))
        window = [time.monotonic(), float("inf")]
        record.bursts.append(window)
        threads = [threading.Thread(target=_one_slow, args=(port, record, SLOW[n % len(SLOW)])) for n in range(size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        window[1] = time.monotonic()
        next_burst += every


def _one_slow(port: int, record: Record, query: str) -> None:
    client = Client(port, 90)
    _timed(record, "slow (bursts)", client, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None,
           {"Accept": JSON})
    client.close()


def hostile(port: int, record: Record, until: float, pause: float) -> None:
    client = Client(port, 60)
    for name, method, path, body, headers in itertools.cycle(HOSTILE):
        if time.monotonic() >= until:
            break
        sent = time.monotonic()
        status = client.request(method, path, body, headers)
        record.add("hostile", sent, time.monotonic() - sent, status)
        record.add(f"hostile: {name}", sent, time.monotonic() - sent, status)
        time.sleep(pause)
    client.close()


def half_open(port: int, record: Record, until: float, count: int) -> None:
    """Keeps trying to hold `count` connections that send half a request header and wait; counts the
    ones the server closes, and opens others in their place."""
    held: list[socket.socket] = []
    while time.monotonic() < until:
        while len(held) < count and time.monotonic() < until:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(HALF_REQUEST)
                sock.setblocking(False)
                held.append(sock)
                record.half_open["opened"] += 1
            except OSError:
                break
        record.half_open["held"] = max(record.half_open["held"], len(held))
        poll = select.poll()  # select() takes no descriptor past 1024
        by_fd = {sock.fileno(): sock for sock in held}
        for fd in by_fd:
            poll.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        for fd, _ in poll.poll(500):
            sock = by_fd[fd]  # an answer (408) or the end: either way the server let it go
            record.half_open["closed by the server"] += 1
            held.remove(sock)
            sock.close()
        time.sleep(0.5)
    for sock in held:
        sock.close()
