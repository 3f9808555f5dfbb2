"""Real SPARQL servers for the tests, started on a free loopback port and polled until they answer."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` over `folder` (rdfpub asks it for the union default graph query by query)."""

    def __init__(self, folder: Path):
        if not Path(OXIGRAPH).exists():
            pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/query"
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer within 30 s")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.process.stderr.close()


@contextmanager
def rdfpub_server(env: dict[str, str], folder: Path, port: int | None = None) -> Iterator[str]:
    """`rdfpub serve` as a real process with `env` (RDFPUB_* settings), polled until its landing
    page answers; yields its URL and stops it after. Its log goes to a file in `folder`: a pipe
    nobody reads would fill up and stall the server."""
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    environment.update(env, RDFPUB_PORT=str(port))
    log_path = folder / f"server-{port}.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], env=environment, cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("rdfpub serve did not start:\n" + log_path.read_text(errors="replace"))
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
