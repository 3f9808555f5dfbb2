"""A query worker process: opens a checkpoint of the store read-only and runs one query at a time for the server.

It is started as a script (`python -I query_worker.py READ_FD WRITE_FD MEMORY_BYTES CHECKPOINT`), not as part of the
package, so it imports pyoxigraph and the standard library only and starts in a fraction of a
second. The server kills it at a query's deadline: a pyoxigraph query cannot be interrupted any
other way, and a query that crashes the engine takes down this process, not the server.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import signal
import struct
import sys

import pyoxigraph as ox

# The writers live beside this file; the folder is added by hand because the package itself
# (whose __init__ pulls in FastAPI and rdflib) is not imported here.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_writers import Spool, write_result  # noqa: E402

_PR_SET_PDEATHSIG = 1
FRAME = struct.Struct("<I")  # each message is a pickle behind its length, as in worker_process.py


def _die_with_parent() -> None:
    """Asks Linux to kill this worker when the server dies, even in the middle of a query."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the worker still exits when it reads end-of-file from the server


class Worker:
    def __init__(self):
        self.checkpoint: str | None = None
        self.store: ox.Store | None = None

    def open(self, checkpoint: str) -> ox.Store:
        # Between queries only: the server publishes a new checkpoint and every worker moves to it.
        if checkpoint != self.checkpoint:
            self.store = None
            self.store = ox.Store.read_only(checkpoint)
            self.checkpoint = checkpoint
        return self.store

    def query(self, job: dict) -> dict:
        store = self.open(job["checkpoint"])
        options: dict = {}
        try:
            if job["dataset"] == "request":  # SPARQL 1.1 Protocol 2.1.4: the request's graphs win
                options["default_graph"] = [ox.NamedNode(iri) for iri in job["default_graphs"]]
                options["named_graphs"] = [ox.NamedNode(iri) for iri in job["named_graphs"]]
            elif job["dataset"] == "union":
                options["use_default_graph_as_union"] = True
            # "query": the query's own FROM / FROM NAMED name graphs of the store; nothing is fetched.
            result = store.query(job["query"], **options)
        except SyntaxError as error:
            return {"status": 400, "message": f"the query is not valid SPARQL 1.1: {error}"}
        except ValueError as error:
            return {"status": 400, "message": f"the request is not valid: {error}"}
        is_graph = isinstance(result, ox.QueryTriples)
        choice = job["graph"] if is_graph else job["results"]
        if isinstance(choice, str):  # no acceptable format for this kind of result
            return {"status": job["format_status"], "message": choice}
        media_type, name = choice
        spool = Spool(job["spool"])
        try:
            truncated = write_result(result, is_graph, name, spool, job["max_rows"], job["max_bytes"])
        except (OSError, ValueError, RuntimeError) as error:  # evaluation is lazy: engine errors surface here
            spool.discard()
            return {"status": 500, "message": f"the query failed while running: {error}"}
        return {"status": 200, "media_type": media_type, "truncated": truncated, **spool.finish()}

    def stats(self, job: dict) -> dict:
        store = self.open(job["checkpoint"])
        counts = {}
        for name, query in job["queries"].items():
            counts[name] = int(next(iter(store.query(query)))["n"].value)
        return {"status": 200, "stats": counts}

    def handle(self, job: dict) -> dict:
        return self.stats(job) if job["kind"] == "stats" else self.query(job)


def _read(fd: int, size: int) -> bytes:
    """Exactly `size` bytes from the pipe; fewer only at its end (the server has gone)."""
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000


def leave_the_network() -> bool:
    """Moves this process into a network namespace of its own, with no interface but a loopback that
    is down: whatever a query names (SERVICE, an IRI to load), the engine cannot reach any host.
    Root may do this; others need unprivileged user namespaces. Where neither works, the server's
    query guard is the only wall, and the worker says so once on standard error."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
        if libc.unshare(flags) == 0:
            return True
        reason = os.strerror(ctypes.get_errno())
    except (OSError, AttributeError) as error:
        reason = str(error)
    print(f"rdfpub query worker: running with the network ({reason}); SERVICE is refused by the "
          "query guard only", file=sys.stderr, flush=True)
    return False


def limit_memory(limit: int) -> None:
    """Caps the data this process may hold (heap and private mappings: RLIMIT_DATA, which counts
    what the engine allocates but not the store's files mapped from disk). An allocation past it
    fails: the engine then aborts the process, and Python raises MemoryError."""
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _send(fd: int, reply: dict) -> None:
    data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    _write(fd, FRAME.pack(len(data)) + data)


def main(read_fd: int, write_fd: int, memory_limit: int, checkpoint: str) -> None:
    _die_with_parent()
    leave_the_network()
    limit_memory(memory_limit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server's terminal is the server's to handle
    worker = Worker()
    worker.open(checkpoint)
    try:
        _send(write_fd, {"status": "ready"})  # the server starts timing a query from here
    except OSError:
        return
    while True:
        try:
            header = _read(read_fd, FRAME.size)
            if len(header) < FRAME.size:
                return
            (size,) = FRAME.unpack(header)
            job = pickle.loads(_read(read_fd, size))
        except (OSError, pickle.UnpicklingError, EOFError):
            return
        try:
            reply = worker.handle(job)
        except MemoryError:  # the server reads this on standard error: the query needed more than the cap
            print("rdfpub query worker: MemoryError: the query needed more memory than this worker may hold",
                  file=sys.stderr, flush=True)
            os._exit(1)
        except Exception as error:  # a reply, never a dead worker, for anything the engine raises
            reply = {"status": 500, "message": f"the query failed: {type(error).__name__}: {error}"}
        try:
            _send(write_fd, reply)
        except OSError:
            return


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
