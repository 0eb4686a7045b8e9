"""HTTP/1.1 keep-alive: answers with their length on one connection, which ends when it should."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from http.client import HTTPConnection, HTTPResponse

import pytest

from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.http.app import MAX_BODY

from .conftest import V3


@pytest.fixture
def served() -> Iterator[Simulator]:
    """A running simulator on the deterministic clock."""
    with Simulator(seed=1, clock="2026-01-01T00:00:00Z") as simulator:
        yield simulator


def connect(simulator: Simulator) -> HTTPConnection:
    """Open one connection to the simulator."""
    connection = HTTPConnection(simulator.host, simulator.port, timeout=30)
    connection.connect()
    return connection


def ask(connection: HTTPConnection, method: str, path: str, body: bytes | None = None) -> tuple[HTTPResponse, bytes]:
    """Send one request on a connection and return its answer and the answer's body."""
    connection.request(method, path, body=body)
    response = connection.getresponse()
    return response, response.read()


def raw_exchange(simulator: Simulator, data: bytes) -> bytes:
    """Send raw bytes on a new connection and return everything the server sends until it closes."""
    with socket.create_connection((simulator.host, simulator.port), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_several_requests_share_one_connection_and_every_answer_has_its_length(served: Simulator) -> None:
    connection = connect(served)
    first_socket = connection.sock
    for path in (f"{V3}/tickers", f"{V3}/instruments", f"{V3}/nosuchthing", f"{V3}/accounts"):
        response, body = ask(connection, "GET", path)
        assert response.getheader("Content-Length") == str(len(body))
        assert response.getheader("Connection") is None
        assert not response.will_close
    assert connection.sock is first_socket
    assert served._server is not None
    assert served._server.open_connections == 1
    connection.close()


def test_the_json_error_envelope_of_an_unknown_path_keeps_the_connection(served: Simulator) -> None:
    connection = connect(served)
    response, body = ask(connection, "GET", f"{V3}/nosuchthing")
    assert (response.status, json.loads(body)["result"], response.will_close) == (404, "error", False)
    unauthenticated, body = ask(connection, "GET", f"{V3}/accounts")
    assert (json.loads(body)["error"], unauthenticated.will_close) == ("authenticationError", False)
    assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
    connection.close()


def test_a_request_that_asks_to_close_is_answered_and_closed(served: Simulator) -> None:
    answer = raw_exchange(served, f"GET {V3}/tickers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    assert f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body)["result"] == "success"


@pytest.mark.parametrize(("extra", "answers"), [("", 1), ("Connection: keep-alive\r\n", 2)])
def test_http_1_0_keeps_the_connection_only_when_asked(served: Simulator, extra: str, answers: int) -> None:
    first = f"GET {V3}/tickers HTTP/1.0\r\n{extra}\r\n"
    second = f"GET {V3}/tickers HTTP/1.0\r\n\r\n"  # no keep-alive: the last answer on the connection
    answer = raw_exchange(served, (first + second).encode())
    assert answer.count(b"HTTP/1.1 200 OK") == answers
    assert answer.count(b"Connection: keep-alive") == answers - 1
    assert answer.count(b"Connection: close") == 1


def test_pipelined_requests_are_answered_in_order(served: Simulator) -> None:
    one = f"GET {V3}/tickers/PF_XBTUSD HTTP/1.1\r\nHost: x\r\n\r\n"
    two = f"GET {V3}/tickers/PF_ETHUSD HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(served, (one + two).encode())
    assert answer.count(b"HTTP/1.1 200 OK") == 2
    assert answer.index(b"PF_XBTUSD") < answer.index(b"PF_ETHUSD")


def test_a_body_too_large_is_refused_and_skipped_so_the_connection_serves_on(served: Simulator) -> None:
    connection = connect(served)
    refused, body = ask(connection, "POST", f"{V3}/sendorder", body=b"x" * (MAX_BODY + 1000))
    assert (refused.status, json.loads(body)["result"]) == (413, "error")
    assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
    connection.close()


def test_a_head_request_has_the_length_of_the_body_it_leaves_out(served: Simulator) -> None:
    connection = connect(served)
    _, body = ask(connection, "GET", f"{V3}/instruments")
    head, nothing = ask(connection, "HEAD", f"{V3}/instruments")
    assert (head.getheader("Content-Length"), nothing) == (str(len(body)), b"")
    assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
    connection.close()


def test_a_chunked_body_is_read_and_the_connection_then_closed(served: Simulator) -> None:
    body = b"orderType=lmt"
    request = (
        (
            f"POST {V3}/sendorder HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
        ).encode()
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )
    head, _, answer = raw_exchange(served, request).partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    assert json.loads(answer)["result"] == "error"


def test_expect_100_continue_gets_its_interim_answer(served: Simulator) -> None:
    request = f"GET {V3}/tickers HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(served, request.encode())
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n")
    assert b"HTTP/1.1 200 OK" in answer


def test_stop_ends_an_idle_keep_alive_connection() -> None:
    simulator = Simulator().start()
    connection = connect(simulator)
    assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
    simulator.stop()
    assert connection.sock is not None
    assert connection.sock.recv(1) == b""  # the server closed it; the socket's timeout guards the test
    connection.close()


def test_the_command_line_stops_on_sigterm_with_an_idle_connection_open() -> None:
    command = [sys.executable, "-m", "pytest_krakenfutures.simulator"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        host, port = base_url.removeprefix("http://").rsplit(":", 1)
        connection = HTTPConnection(host, int(port), timeout=30)
        assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert err == ""
        connection.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_connection_idle_for_too_long_is_closed(served: Simulator) -> None:
    assert served._server is not None
    served._server.idle_timeout = 0.2
    connection = connect(served)
    assert ask(connection, "GET", f"{V3}/tickers")[0].status == 200
    assert connection.sock is not None
    assert connection.sock.recv(1) == b""  # closed by the server; the socket's timeout guards the test
    connection.close()
    other = connect(served)
    assert ask(other, "GET", f"{V3}/tickers")[0].status == 200  # the server serves on
    other.close()
