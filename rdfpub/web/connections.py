"""The server's connections: a deadline to send a whole request, and a cap on open connections that drops the oldest idle one first.

uvicorn times out a connection only between keep-alive requests, and forgets even that at the first
byte of the next one: a client that sends half a request header and waits holds its connection (a
file descriptor) forever, and some thousands of them refuse everyone else. The HTTP protocol below
is uvicorn's own (httptools) with two rules added where only the protocol can see them:

- a client has `read_timeout` seconds to send a whole request, headers and body, counted from when
  its connection opens or its previous response ends; then the connection is closed (after a 408
  if part of a request came);
- at most `limit` connections are open: a new one closes the connection that has been idle the
  longest (no request of its own running), those that sent part of a request first, then silent
  ones; when every connection has a request running, the new one is answered 503 and closed. A
  half-sent request is what a connection flood sends, and dropping it loses nobody's answer,
  while a keep-alive client between two requests would have to send its next one again.
"""

from __future__ import annotations

import logging
import resource
from collections import Counter, OrderedDict

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger(__name__)

# File descriptors kept for the store's files, the query workers' pipes and the dumps.
RESERVED_DESCRIPTORS = 512


def _response(status: bytes, message: bytes, *headers: bytes) -> bytes:
    """A whole HTTP/1.1 response that closes the connection, written before any request is read."""
    head = [b"HTTP/1.1 " + status, b"content-type: text/plain; charset=utf-8", b"connection: close",
            *headers, b"content-length: " + str(len(message)).encode()]
    return b"\r\n".join(head) + b"\r\n\r\n" + message


_TIMED_OUT = _response(b"408 Request Timeout", b"the request did not arrive in time; send it whole again\n")
_FULL = _response(b"503 Service Unavailable", b"the server has all the connections it can hold; retry\n",
                  b"retry-after: 5")


class Connections:
    """The open connections of one server, the idle ones in the order they became idle."""

    def __init__(self, limit: int, read_timeout: float):
        self.limit = max(1, limit)
        self.read_timeout = read_timeout
        self.open: set = set()
        # protocol -> None, the longest idle first: those with part of a request, and silent ones
        self.stalled: OrderedDict = OrderedDict()
        self.idle: OrderedDict = OrderedDict()
        self.counts: Counter[str] = Counter()

    def admit(self, connection) -> bool:
        """Registers a new connection; False when it must be refused. Makes room by closing the
        connection idle the longest, one that sent part of a request if there is one."""
        if len(self.open) >= self.limit:
            waiting = self.stalled or self.idle
            if not waiting:
                self.counts["refused"] += 1
                return False
            oldest, _ = waiting.popitem(last=False)
            self.counts["dropped idle"] += 1
            oldest.drop()
        self.open.add(connection)
        return True

    def waiting(self, connection, partial: bool) -> None:
        """`connection` waits for (the rest of) a request."""
        self.idle.pop(connection, None)
        self.stalled.pop(connection, None)
        (self.stalled if partial else self.idle)[connection] = None

    def busy(self, connection) -> None:
        """`connection` has a request running: it is not to be dropped for a newcomer."""
        self.idle.pop(connection, None)
        self.stalled.pop(connection, None)

    def forget(self, connection) -> None:
        self.open.discard(connection)
        self.busy(connection)


def file_descriptor_room() -> int:
    """Raises this process's soft limit on open files to its hard limit (no privilege needed) and
    says how many connections that leaves room for."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft - RESERVED_DESCRIPTORS if soft != resource.RLIM_INFINITY else 1 << 30


def guarded_protocol(connections: Connections) -> type:
    """uvicorn's HTTP protocol, with the request deadline and the connection cap of `connections`."""

    class GuardedHttpProtocol(HttpToolsProtocol):
        _timer = None
        _partial = False  # part of a request has come, not all of it

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            if not connections.admit(self):
                transport.write(_FULL)
                transport.close()
                return
            self._ready_for_a_request()

        def connection_lost(self, exc) -> None:
            connections.forget(self)
            self._stop_timer()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._partial = True
            if self in connections.idle:  # now among the half-sent, the first to go
                connections.idle.pop(self)
                connections.stalled[self] = None
            if self._timer is None:  # a pipelined request, timed from its first byte
                self._start_timer()

        def on_headers_complete(self) -> None:
            connections.busy(self)
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._partial = False
            self._stop_timer()
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and not self.pipeline:
                self._ready_for_a_request()

        def _ready_for_a_request(self) -> None:
            connections.waiting(self, partial=False)
            if self._timer is None:
                self._start_timer()

        def _start_timer(self) -> None:
            self._timer = self.loop.call_later(connections.read_timeout, self._timed_out)

        def _stop_timer(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _timed_out(self) -> None:
            self._timer = None
            connections.counts["timed out"] += 1
            self.drop()

        def drop(self) -> None:
            """Closes the connection: a client that sent part of a request learns why (408)."""
            self._stop_timer()
            connections.forget(self)
            if not self.transport.is_closing():
                if self._partial and (self.cycle is None or not self.cycle.response_started):
                    self.transport.write(_TIMED_OUT)
                self.transport.close()

    return GuardedHttpProtocol


def serving_protocol(settings) -> type:
    """The protocol `serve` runs with: the settings' deadline and cap, the cap lowered (and said so)
    when the process may not open that many files."""
    room = file_descriptor_room()
    limit = settings.max_connections
    if limit > room:
        logger.warning("RDFPUB_MAX_CONNECTIONS=%d is more than this process may open files for; holding "
                       "at most %d connections (raise `ulimit -n` for more)", limit, room)
        limit = max(1, room)
    return guarded_protocol(Connections(limit, settings.read_timeout))
