"""One writer at a time on a shared remote store: Lamport's bakery algorithm over the store's own triples.

Several `rdfpub ingest` processes, on one machine or several, may write to one SPARQL server.
Each batch reads what the store holds of its records and then writes the newer ones; two
processes doing that at once for the same PMID could each see the record absent, and the server
(Oxigraph at least) runs the two updates side by side, leaving a graph that mixes both copies.
SPARQL has no compare-and-set, but the bakery algorithm needs nothing more than registers each
process writes alone and everyone reads: here a few triples per process in one lock graph.

A process takes a ticket one higher than every ticket it sees, then waits until no one is still
choosing a ticket and no live process holds a smaller (ticket, name). Tickets carry the server's
NOW(), renewed while their process waits or writes, so a process that died holding one stops
counting after LEASE seconds: clocks of the ingest machines never matter.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

# The lock's triples live in this graph, never among the record graphs: dumps, counts and
# pages list record graphs only.
LOCK_GRAPH = "urn:rdfpub:ingest-writers"
_TERMS = "urn:rdfpub:ingest-writers#"
CHOOSING, TICKET, ALIVE = f"<{_TERMS}choosing>", f"<{_TERMS}ticket>", f"<{_TERMS}alive>"
# A ticket not renewed for this long belongs to a process that died: it no longer blocks anyone.
LEASE = 120
# How long to sleep between two looks at the other writers' tickets.
POLL = 0.02


class WriterLock:
    """Mutual exclusion among the processes writing to `store` (a RemoteStore), per batch."""

    def __init__(self, store, name: str | None = None):
        self.store = store
        self.name = name or uuid.uuid4().hex  # the tie-break between equal tickets: unique per process
        self.me = f"<{_TERMS}writer-{self.name}>"
        self.ticket = 0

    def _live_writers(self) -> dict[str, tuple[bool, int]]:
        """Every other live writer: (still choosing, ticket or 0). The lease is checked here against
        the server's NOW(): SPARQL 1.1 has no arithmetic on dates (Oxigraph's, from XPath, is its own)."""
        rows = self.store.query(f"""SELECT ?w ?alive ?now ?choosing ?ticket WHERE {{ GRAPH <{LOCK_GRAPH}> {{
            ?w {ALIVE} ?alive . OPTIONAL {{ ?w {CHOOSING} ?choosing }} OPTIONAL {{ ?w {TICKET} ?ticket }} }}
            BIND(NOW() AS ?now) }}""")
        writers = {}
        for row in rows:
            writer = f"<{row['w'].value}>"
            alive = datetime.fromisoformat(row["alive"].value)
            if writer != self.me and alive > datetime.fromisoformat(row["now"].value) - timedelta(seconds=LEASE):
                writers[writer] = (row["choosing"] is not None,
                                   int(row["ticket"].value) if row["ticket"] is not None else 0)
        return writers

    def _renew(self, insert: str = "", delete: str = "") -> None:
        """Rewrites this writer's registers in one update request (one transaction): ALIVE := the
        server's NOW(). Two operations, not one DELETE/INSERT over an OPTIONAL: Virtuoso inserts
        nothing for a solution that leaves a variable of the DELETE template unbound."""
        self.store.update(f"""DELETE WHERE {{ GRAPH <{LOCK_GRAPH}> {{ {self.me} {ALIVE} ?old }} }} ;
            {f"DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ {delete} }} }} ;" if delete else ""}
            INSERT {{ GRAPH <{LOCK_GRAPH}> {{ {self.me} {ALIVE} ?now . {insert} }} }} WHERE {{ BIND(NOW() AS ?now) }}""")

    def acquire(self) -> None:
        self._renew(insert=f"{self.me} {CHOOSING} true .")
        tickets = [ticket for _, ticket in self._live_writers().values()]
        self.ticket = max(tickets, default=0) + 1
        self._renew(insert=f"{self.me} {TICKET} {self.ticket} .", delete=f"{self.me} {CHOOSING} true .")
        mine = (self.ticket, self.me)
        last_renewal = time.monotonic()
        while True:
            blockers = [writer for writer, (choosing, ticket) in self._live_writers().items()
                        if choosing or (ticket and (ticket, writer) < mine)]
            if not blockers:
                return
            if time.monotonic() - last_renewal > LEASE / 4:  # still waiting: still alive
                self._renew()
                last_renewal = time.monotonic()
            time.sleep(POLL)

    def release(self) -> None:
        self.store.update(f"""DELETE WHERE {{ GRAPH <{LOCK_GRAPH}> {{ {self.me} ?p ?o }} }}""")
        self.ticket = 0

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
