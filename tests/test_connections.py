"""A real `rdfpub serve` sheds half-sent and idle connections itself: a deadline to send a request, and a cap that drops the oldest idle first."""

import socket
import time

import httpx
import pytest

from servers import rdfpub_server

HALF = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half"  # never finished


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.settimeout(30)  # liveness only: every wait below ends long before, or the test fails
    return sock


def _closed(sock: socket.socket) -> bytes:
    """What the server sent before it closed the connection (waits for the close)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def _still_open(sock: socket.socket) -> bool:
    """True while the server has neither answered nor closed the connection."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)  # an answer, or the end of the connection
        return False
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False
    finally:
        sock.settimeout(30)


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """At most 20 connections; a request deadline far longer than the test, so only the cap closes them."""
    folder = tmp_path_factory.mktemp("capped")
    env = {"RDFPUB_STORE": str(folder / "store"), "RDFPUB_MAX_CONNECTIONS": "20", "RDFPUB_READ_TIMEOUT": "600",
           "RDFPUB_QUERY_WORKERS": "2", "RDFPUB_ACCESS_LOG": "0"}
    with rdfpub_server(env, folder) as url:
        yield url


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """One second to send a whole request."""
    folder = tmp_path_factory.mktemp("strict")
    env = {"RDFPUB_STORE": str(folder / "store"), "RDFPUB_READ_TIMEOUT": "1", "RDFPUB_QUERY_WORKERS": "2",
           "RDFPUB_ACCESS_LOG": "0"}
    with rdfpub_server(env, folder) as url:
        yield url


def test_the_oldest_idle_connections_make_room_for_new_clients(capped):
    half_open = []
    try:
        for _ in range(100):
            sock = _connect(capped)
            sock.sendall(HALF)
            half_open.append(sock)
            time.sleep(0.005)  # in order of arrival
        # A new client is served: its connection takes the place of the oldest idle one.
        with httpx.Client() as client:
            assert client.get(f"{capped}/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
        # The connections are dropped as the new ones come, so all have been by the time it is served.
        dropped = [sock for sock in half_open if not _still_open(sock)]
        assert len(dropped) >= 81  # 100 half-open and the new client: at most 20 open at once
        assert dropped == half_open[:len(dropped)]  # the oldest went first
        assert all(_closed(sock).startswith(b"HTTP/1.1 408") for sock in dropped)
    finally:
        for sock in half_open:
            sock.close()


def _ask(sock: socket.socket) -> bytes:
    """Sends a whole request and reads its whole answer (head and body may come in several reads)."""
    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = b""
    while b'"boolean":true' not in answer:
        chunk = sock.recv(65536)
        assert chunk, answer
        answer += chunk
    return answer


def test_half_sent_requests_go_before_a_keep_alive_client_between_requests(capped):
    with _connect(capped) as client:
        assert _ask(client).startswith(b"HTTP/1.1 200")  # then idle, the oldest of all
        half_open = []
        try:
            for _ in range(60):
                half_open.append(_connect(capped))
                half_open[-1].sendall(HALF)
                time.sleep(0.005)
            assert _ask(client).startswith(b"HTTP/1.1 200")  # the same connection, still open
            assert sum(not _still_open(sock) for sock in half_open) >= 41
        finally:
            for sock in half_open:
                sock.close()


def test_a_connection_has_a_deadline_to_send_its_request(strict):
    with _connect(strict) as silent, _connect(strict) as half:
        half.sendall(HALF)
        assert _closed(silent) == b""  # idle: closed without a word
        assert _closed(half).startswith(b"HTTP/1.1 408 Request Timeout")


def test_trickling_a_request_does_not_reset_the_deadline(strict):
    with _connect(strict) as sock:
        _trickle(sock)


def _trickle(sock: socket.socket) -> None:
    _ask(sock)  # one whole request first
    sent = 0
    try:
        for byte in HALF:  # then the next one a byte at a time, each within uvicorn's keep-alive timeout
            sock.sendall(bytes([byte]))
            sent += 1
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert sent < len(HALF)  # closed before the trickle could end


def test_a_body_sent_too_slowly_is_cut_off(strict):
    with _connect(strict) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")
        assert _closed(sock).startswith(b"HTTP/1.1 408")


def test_requests_in_time_are_served_on_one_connection(strict):
    with httpx.Client() as client:
        for _ in range(5):
            assert client.get(f"{strict}/sparql", params={"query": "ASK {}"}).status_code == 200
        time.sleep(1.5)  # idle past the deadline: the connection is closed, and the client opens another
        assert client.get(f"{strict}/sparql", params={"query": "ASK {}"}).status_code == 200
