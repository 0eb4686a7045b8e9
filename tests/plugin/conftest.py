"""Servers the plugin tests point recordings at: a counting proxy in front of a simulator, an echo server."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from pytest_krakenfutures import KrakenFuturesSession
from pytest_krakenfutures.simulator import Simulator

#: A key pair that is not the built-in dummy one: what a user's production keys stand for in these tests.
TEST_API_KEY = "kf-test-key-" + "7" * 44
TEST_API_SECRET = base64.b64encode(bytes(range(64))).decode()
_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT) (\S+) HTTP/1\.[01]\r\n")


class CountingProxy:
    """A TCP proxy on 127.0.0.1 that counts every byte a client sends through it to the server behind."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.received = bytearray()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_lines(self) -> list[str]:
        """The request lines (``POST /derivatives/api/v3/sendorder``) among the bytes received."""
        with self._lock:
            data = bytes(self.received)
        return [f"{method.decode()} {target.decode()}" for method, target in _REQUEST_LINE.findall(data)]

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()
        self._pipe(client, server, True)

    def _pipe(self, source: socket.socket, target: socket.socket, count: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if count:
                    with self._lock:
                        self.received.extend(chunk)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


class _Echo(BaseHTTPRequestHandler):
    """Answers every GET with a success envelope that repeats the request's headers (as echo services do)."""

    def do_GET(self) -> None:
        body = json.dumps(
            {"result": "success", "serverTime": "2026-12-01T00:00:00.000Z", "accounts": {}, "echo": dict(self.headers)}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def production_keys(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Put a key pair in the environment as a user does before recording from production."""
    monkeypatch.setenv("KRAKEN_FUTURES_API_KEY", TEST_API_KEY)
    monkeypatch.setenv("KRAKEN_FUTURES_API_SECRET", TEST_API_SECRET)
    return TEST_API_KEY, TEST_API_SECRET


@pytest.fixture
def exchange(production_keys: tuple[str, str]) -> Iterator[CountingProxy]:
    """A simulator that knows the production keys, behind a counting proxy: a stand-in for production."""
    with Simulator(api_key=production_keys[0], api_secret=production_keys[1]) as simulator:
        proxy = CountingProxy((simulator.host, simulator.port))
        try:
            yield proxy
        finally:
            proxy.close()


@pytest.fixture
def echo_server() -> Iterator[str]:
    """A server on 127.0.0.1 that puts the request's headers (APIKey, Authent) into its answers."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def simulator_identities() -> set[str]:
    """The identity values the simulator hands out (account and subaccount uids, e-mails, names, IIBAN)."""
    with Simulator() as simulator:
        session = KrakenFuturesSession(simulator.base_url, simulator.api_key, simulator.api_secret)
        check = session.get("/api/auth/v1/api-keys/v3/check").json()
        listing = session.get("subaccounts").json()
    values = {check["accountUid"], check["iiban"], listing["masterAccountUid"]}
    for sub in listing["subaccounts"]:
        values |= {sub["accountUid"], sub["email"]} | ({sub["fullName"]} if sub["fullName"] else set())
    return values


Rule = Callable[[Any], tuple[int, str, bytes] | None]


class AlteringServer:
    """An HTTP server on 127.0.0.1 that forwards to a simulator and changes some answers on the way back.

    ``rules`` maps a request path to a function of the decoded JSON answer that returns the
    status, content type and body to send instead (or ``None`` to pass the answer through).
    """

    def __init__(self, upstream: str, rules: dict[str, Rule]) -> None:
        self.upstream = upstream
        self.rules = rules
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
                answer = requests.request(self.command, server.upstream + self.path, data=body, headers=headers)
                status, kind, content = answer.status_code, answer.headers.get("Content-Type", ""), answer.content
                rule = server.rules.get(self.path.split("?", 1)[0])
                if rule is not None:
                    changed = rule(json.loads(content))
                    if changed is not None:
                        status, kind, content = changed
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = _forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_port}"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def altered(production_keys: tuple[str, str]) -> Iterator[Callable[..., AlteringServer]]:
    """Start a simulator (seed 1, fixed clock) behind a server whose answers the test changes."""
    started: list[AlteringServer] = []
    with Simulator(
        api_key=production_keys[0], api_secret=production_keys[1], seed=1, clock="2026-11-02T09:30:00Z"
    ) as simulator:

        def start(rules: dict[str, Rule]) -> AlteringServer:
            server = AlteringServer(simulator.base_url, rules)
            started.append(server)
            return server

        try:
            yield start
        finally:
            for server in started:
                server.close()
