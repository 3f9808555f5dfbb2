"""How fast a point lookup over HTTP can be in Python here: rdfpub against the floors of its own stack and `oxigraph serve`.

Usage (after bench/sparql_endpoint.py has built its stores; needs the `oxigraph` binary):

    python bench/endpoint_floor.py [--requests 3000]

Four servers answer the same point lookups (going round 500 PMIDs), one after the other, to one
keep-alive client: uvicorn with an ASGI app that sends a fixed answer (the HTTP layer alone);
uvicorn with an app that runs the query in its own process with pyoxigraph and writes JSON with
the engine's own serializer (no guard, no worker process, no deadline: the least any Python
endpoint can do); rdfpub; and `oxigraph serve-read-only`. Prints p50 and mean latency and each
one's ratio to Oxigraph's p50.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.sparql_endpoint import BIN, DEV_XML, _free_port, _wait, prepare  # noqa: E402

# The two floor apps, run by uvicorn in a process of their own; the store comes in by environment.
FIXED_ANSWER = '''
BODY = b'{"head":{"vars":["a","t"]},"results":{"bindings":[]}}'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/sparql-results+json"), (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})
'''
IN_PROCESS = '''
import os
from urllib.parse import parse_qsl
import pyoxigraph as ox
STORE = ox.Store.read_only(os.environ["FLOOR_STORE"])
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    query = dict(parse_qsl(scope["query_string"].decode()))["query"]
    body = STORE.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/sparql-results+json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
'''


def _latencies(port: int, paths: list[str], requests: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    found = []
    for number in range(requests + 200):
        started = time.perf_counter()
        connection.request("GET", paths[number % len(paths)], headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        found.append(time.perf_counter() - started)
    return found[200:]  # the first ones warm the server up


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--xml", type=Path, default=DEV_XML)
    args = parser.parse_args()
    store, _, oxi = prepare(args.xml)
    folder = store.parent
    (folder / "floor_fixed.py").write_text(FIXED_ANSWER)
    (folder / "floor_in_process.py").write_text(IN_PROCESS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env.update(RDFPUB_ACCESS_LOG="0", FLOOR_STORE=str(oxi), PYTHONPATH=str(folder))
    uvicorn = [str(BIN / "uvicorn"), "--no-access-log", "--log-level", "warning", "--host", "127.0.0.1", "--port"]
    servers = {
        "uvicorn, fixed answer": lambda port: uvicorn + [str(port), "floor_fixed:app"],
        "uvicorn + pyoxigraph in process": lambda port: uvicorn + [str(port), "floor_in_process:app"],
        "rdfpub serve": lambda port: [str(BIN / "rdfpub"), "serve", "--store", str(store), "--port", str(port)],
        "oxigraph serve-read-only": lambda port: [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi),
                                                  "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
    }
    rows = ox.Store.read_only(str(oxi)).query(
        "SELECT ?p { ?a <http://purl.org/spar/fabio/hasPubMedId> ?p } ORDER BY ?p", use_default_graph_as_union=True)
    every = [row["p"].value for row in rows]
    pmids = every[:: max(1, len(every) // 500)][:500]
    paths = ["/sparql?" + urllib.parse.urlencode({"query": (
        f'SELECT ?a ?t {{ ?a <http://purl.org/spar/fabio/hasPubMedId> "{pmid}" ; '
        '<http://purl.org/dc/terms/title> ?t }')}) for pmid in pmids]
    results = {}
    for name, command in servers.items():
        port = _free_port()
        process = subprocess.Popen(command(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(port, process)
            found = _latencies(port, paths, args.requests)
            results[name] = (statistics.median(found) * 1000, statistics.mean(found) * 1000)
        finally:
            process.terminate()
            process.wait(timeout=20)
    oxigraph = results["oxigraph serve-read-only"][0]
    print(f"point lookups over 500 PMIDs, {args.requests} requests each, one keep-alive client, one server at a time")
    print(f"{'server':<34} {'p50 ms':>7} {'mean ms':>8} {'p50 / oxigraph':>15}")
    for name, (p50, mean) in results.items():
        print(f"{name:<34} {p50:>7.3f} {mean:>8.3f} {p50 / oxigraph:>14.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
