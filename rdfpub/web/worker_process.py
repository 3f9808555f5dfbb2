"""One query worker process as the server sees it: pipes each way, its memory cap, its CPU priority, and why it died.

Messages on the pipes are pickles behind a 4-byte length; the event loop reads replies as they
arrive, never blocking on a pipe. What the worker writes to its standard error (the engine's
last words when it aborts) comes back on a pipe too, is logged, and tells a query that needed
more memory than the worker may hold (507) from one that crashed the engine (500).
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("query_worker.py")
# Each message on a pipe, either way, is a pickle behind its length (query_worker.py reads the same).
FRAME = struct.Struct("<I")
READ_SIZE = 1 << 16  # a pipe holds 64 KiB: one read never returns more
# The niceness of a worker whose query turned out slow: the kernel then gives quick queries'
# workers (niceness 0) about 98% of a core they contend for (CFS weights 1024 against 15).
SLOW_NICENESS = 19
# What the worker's runtime prints when an allocation fails under its memory cap: Rust's handler
# ("memory allocation of N bytes failed"), C++'s (RocksDB), and a thread that found no memory for
# its stack; the worker itself says "MemoryError" for Python's.
_OUT_OF_MEMORY = (b"memory allocation of", b"std::bad_alloc", b"Resource temporarily unavailable", b"MemoryError")
_KEPT_OUTPUT = 8192
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """The worker process ended while it held a job."""

    def __init__(self, worker: "WorkerProcess"):
        super().__init__(worker.death())
        self.out_of_memory = worker.out_of_memory()


class WorkerProcess:
    """One worker process running `query_worker.py` over `checkpoint`, capped at `memory_bytes` of
    data (0: no cap). It says when it is ready; a query's time starts then, not while it starts up."""

    def __init__(self, checkpoint: str, memory_bytes: int = 0):
        job_read, job_write = os.pipe()
        reply_read, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), str(job_read), str(reply_write), str(memory_bytes), checkpoint],
            pass_fds=(job_read, reply_write), stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(job_read)
        os.close(reply_write)
        for fd in (reply_read, self.process.stderr.fileno()):
            os.set_blocking(fd, False)
        self.jobs = job_write
        self.replies = reply_read
        self.errors = self.process.stderr.fileno()
        self.checkpoint: str | None = checkpoint
        self.ready = False
        self._buffer = bytearray()
        self._output = bytearray()  # the end of what the worker wrote to standard error
        self._line = bytearray()
        self._reply: dict | None = None
        self._dead = False
        self._waiter: asyncio.Future | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def call(self, job: dict) -> None:
        self.checkpoint = job.get("checkpoint", self.checkpoint)
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        frame = memoryview(FRAME.pack(len(data)) + data)
        try:
            while frame:  # a job is small (the guard caps a query at 100,000 characters)
                frame = frame[os.write(self.jobs, frame):]
        except OSError:
            self._dead = True
            raise WorkerDied(self) from None

    async def started(self, timeout: float) -> bool:
        """True once the worker has started and opened its checkpoint; False if it has not within
        `timeout` seconds. Raises WorkerDied if it could not start."""
        if not self.ready:
            self.ready = await self.reply(timeout) is not None
        return self.ready

    def cpu_seconds(self) -> float | None:
        """CPU time the worker has used so far (Linux, in 10 ms ticks); None where it cannot be read."""
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _TICKS
        except (OSError, IndexError, ValueError):
            return None

    def demote(self) -> None:
        """Lowers the worker's CPU priority for good: only a privileged process may raise it back,
        so the pool retires the worker after its slow query instead of reusing it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, SLOW_NICENESS)
        except OSError:
            pass  # it has just died: its reply says so

    def _readable(self) -> None:
        """Called by the event loop when the reply pipe has bytes (or the worker has died)."""
        try:
            chunk = os.read(self.replies, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._dead = True
            self._stop_reading()
            self._read_errors()  # what it said before it died comes with its death
        self._buffer += chunk
        if len(self._buffer) >= FRAME.size:
            (size,) = FRAME.unpack_from(self._buffer)
            if len(self._buffer) >= FRAME.size + size:
                self._reply = pickle.loads(memoryview(self._buffer)[FRAME.size:FRAME.size + size])
                del self._buffer[:FRAME.size + size]
        if (self._reply is not None or self._dead) and self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _read_errors(self) -> None:
        """Reads what the worker wrote to standard error and logs it line by line."""
        while True:
            try:
                chunk = os.read(self.errors, READ_SIZE)
            except (BlockingIOError, OSError):
                return
            if not chunk:  # the worker has gone: stop watching a pipe that stays readable
                if self._loop is not None and not self._loop.is_closed():
                    self._loop.remove_reader(self.errors)
                return
            self._output = (self._output + chunk)[-_KEPT_OUTPUT:]
            self._line += chunk
            *lines, rest = self._line.split(b"\n")
            self._line = bytearray(rest[-_KEPT_OUTPUT:])
            for line in lines:
                logger.warning("query worker %d: %s", self.pid, line.decode("utf-8", "replace").rstrip())

    def _stop_reading(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self.replies)
            self._loop.remove_reader(self.errors)
        self._loop = None

    async def reply(self, timeout: float) -> dict | None:
        """The worker's reply, or None when it has not come within `timeout` seconds; raises
        WorkerDied when the worker ended without one."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop and not self._dead:  # a test client may run each request in a new loop
            self._stop_reading()
            loop.add_reader(self.replies, self._readable)
            loop.add_reader(self.errors, self._read_errors)
            self._loop = loop
        if self._reply is None and not self._dead:
            self._waiter = loop.create_future()
            timer = loop.call_later(max(timeout, 0), self._waiter.set_result, None)
            try:
                await self._waiter
            finally:
                timer.cancel()
                self._waiter = None
        reply, self._reply = self._reply, None
        if reply is None and self._dead:
            self.process.wait()
            raise WorkerDied(self)
        return reply

    def out_of_memory(self) -> bool:
        return any(marker in self._output for marker in _OUT_OF_MEMORY)

    def death(self) -> str:
        """How the worker ended, and the last line it wrote, for the log."""
        code = self.process.poll()
        how = ("still running" if code is None else f"killed by {signal.Signals(-code).name}" if code < 0
               else f"exit status {code}")
        last = self._output.strip().splitlines()[-1:] or [b"nothing"]
        return f"{how}; its last output: {last[0].decode('utf-8', 'replace')[:500]}"

    def kill(self) -> None:
        self._stop_reading()
        self.process.kill()
        self.process.wait()
        os.close(self.jobs)
        os.close(self.replies)
        self.process.stderr.close()
