"""Serves an N-Quads file at /sparql with rdflib-endpoint, its default graph the union of the named graphs.

Usage: python bench/rdflib_endpoint_server.py FILE.nq --port PORT

The endpoint benchmark starts this as a server of its own to compare with. It is rdflib-endpoint as its
`serve` command sets it up (an in-memory `Dataset(default_union=True)` behind `SparqlEndpoint`), but at
/sparql and without uvicorn's access log, as rdfpub and `oxigraph serve` run in the benchmark.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="N-Quads file, one named graph per record")
    parser.add_argument("--port", type=int, required=True, help="port to listen on, on 127.0.0.1")
    args = parser.parse_args()
    started = time.monotonic()
    # default_union: a query without GRAPH sees every named graph, as in rdfpub and `oxigraph serve
    # --union-default-graph`. The port only opens once the file is loaded, which is how the
    # benchmark knows the server is ready.
    dataset = Dataset(default_union=True)
    dataset.parse(args.file, format="nquads")
    print(f"loaded {len(dataset)} triples in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    app = SparqlEndpoint(graph=dataset, path="/sparql")
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
