"""The simulator's HTTP/1.1 server: keep-alive connections, a Content-Length on every answer, JSON errors.

Werkzeug's development server closes every connection after one answer (and waits 10 ms for
stray body bytes first). Here a connection stays open for the next request as long as the
request's body was read to its declared end; answers are written in one piece with their
length. Idle connections are closed after ``IDLE_TIMEOUT`` seconds, and all of them at once
when the server stops.
"""

from __future__ import annotations

import contextlib
import email.utils
import math
import re
import selectors
import socket
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from ..domain.clock import iso_ms
from .envelope import dumps, http_error
from .wire import CountingInput, HeaderFields, version_number

#: Seconds a keep-alive connection may wait for its next request before it is closed.
IDLE_TIMEOUT = 60.0
#: The idle-since time of a connection that is answering a request (never idle too long).
BUSY = math.inf
#: Unread request-body bytes skipped to keep a connection; beyond that it is closed instead.
DRAIN_LIMIT = 4 << 20
#: Limits of a header block, as ``http.client`` has them: bytes per line, and lines.
_MAX_LINE = 65536
_MAX_HEADERS = 100
#: Answers that never carry a body (RFC 9110: 1xx, 204 and 304).
_BODILESS = frozenset({204, 304})
#: An HTTP method: a token (RFC 9110); anything else is no HTTP client, and its connection is closed.
_METHOD = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: Response headers the server sets itself.
_OWN_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "server", "date"})


class JsonErrorsHandler(WSGIRequestHandler):
    """HTTP/1.1 request handler: keep-alive, sized answers, and JSON for requests it cannot parse."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: KeepAliveServer
    headers: HeaderFields  # type: ignore[assignment]  # in place of HTTPMessage: the get, get_all and items read

    def handle_one_request(self) -> None:
        """Serve one request; from its answer on, the connection counts as idle."""
        super().handle_one_request()
        self.server.mark(self.connection, busy=False)

    def parse_request(self) -> bool:
        """Parse the request line and headers as ``http.server`` does, without its slow email parser.

        Return whether the request may be served; when not, its error answer was sent.
        """
        self.server.mark(self.connection, busy=True)
        self.command = None  # type: ignore[assignment]  # set once the request line is understood
        self.request_version = version = self.default_request_version
        self.close_connection = True
        self.requestline = requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = requestline.split()
        if not words:
            return False
        if len(words) >= 3:
            version = words[-1]
            number = version_number(version)
            if number is None:
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            if number >= (1, 1):
                self.close_connection = False
            if number >= (2, 0):
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, f"Invalid HTTP version ({version[5:]})")
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({requestline!r})")
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad HTTP/0.9 request type ({command!r})")
                return False
        self.command = command
        self.path = "/" + path.lstrip("/") if path.startswith("//") else path
        headers = self._read_headers()
        if headers is None:
            return False
        self.headers = headers
        connection = headers.get("Connection", "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        expect = headers.get("Expect", "").lower()
        if expect == "100-continue" and self.request_version >= "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def _read_headers(self) -> HeaderFields | None:
        """Read the header block (folded lines joined); ``None`` after answering 431 when it is too large."""
        fields: list[list[str]] = []
        for _ in range(_MAX_HEADERS + 1):
            line = self.rfile.readline(_MAX_LINE + 1)
            if len(line) > _MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                return None
            if line in (b"\r\n", b"\n", b""):
                return HeaderFields([(name, value) for name, value in fields])
            text = line.decode("iso-8859-1")
            if text[:1] in (" ", "\t") and fields:
                fields[-1][1] += " " + text.strip(" \t\r\n")  # a folded line continues the last field
                continue
            name, colon, value = text.partition(":")
            if colon:
                fields.append([name, value.strip(" \t\r\n")])
        self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
        return None

    def run_wsgi(self) -> None:
        """Serve one request through the WSGI application and answer it in one write."""
        self.environ = environ = self.make_environ()
        declared = self._declared_length()
        body_input = None
        if declared is None or not _METHOD.fullmatch(self.command):
            self.close_connection = True  # chunked or unclear framing, or not HTTP: the connection ends here
        if declared is not None:
            body_input = CountingInput(environ["wsgi.input"])
            environ["wsgi.input"] = body_input
        try:
            status, headers, body = self._call_application(environ)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        except Exception as exc:  # the application answers its own errors; this is a last resort
            self.log_error("the simulator failed on %s %s: %r", self.command, self.path, exc)
            self.send_error(500)
            return
        left = 0 if body_input is None or declared is None else self._skip_rest(body_input, declared)
        code = int(status.split(None, 1)[0])
        try:
            self.wfile.write(self._answer(status, headers, body, code))
        except OSError:
            self.close_connection = True
            return
        self.log_request(code, len(body))
        if left:
            self._linger()

    def _declared_length(self) -> int | None:
        """Return the body length the request declares (0 without one), or ``None`` when it is not plain."""
        if self.headers.get("Transfer-Encoding") is not None:
            return None
        values = {value.strip() for value in self.headers.get_all("Content-Length") or ()}
        if not values:
            return 0
        if len(values) > 1:
            return None
        (value,) = values
        return int(value) if value.isdigit() else None

    def _call_application(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        """Run the application and return its status line, headers and whole body."""
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [(status, headers)]
            return lambda data: None

        chunks: Iterable[bytes] = self.server.app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        status, headers = started[0]
        return status, headers, body

    def _skip_rest(self, body_input: CountingInput, declared: int) -> int:
        """Read past the body bytes the application left; return how many are left (the connection then ends)."""
        remaining = declared - body_input.consumed
        if remaining <= 0:
            return 0
        if remaining <= DRAIN_LIMIT:
            try:
                while remaining > 0:
                    data = body_input.read(min(remaining, 1 << 16))
                    if not data:
                        break
                    remaining -= len(data)
            except OSError:
                pass
        if remaining > 0:
            self.close_connection = True
        return remaining

    def _linger(self) -> None:
        """Read what a client still sends of a body too large to keep the connection for, so it sees the answer."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.connection, selectors.EVENT_READ)
            reads = 0
            try:
                while reads < 1000 and selector.select(timeout=0.01):
                    reads += 1
                    if not self.connection.recv(1 << 20):
                        break
            except OSError:
                pass

    def _answer(self, status: str, headers: list[tuple[str, str]], body: bytes, code: int) -> bytes:
        """Return the status line, headers and body of an answer, with its Content-Length."""
        lines = [f"{self.protocol_version} {status}", f"Server: {self.version_string()}"]
        lines.append(f"Date: {self.date_time_string()}")
        given_length = None
        for name, value in headers:
            lowered = name.lower()
            if lowered == "content-length":
                given_length = value
            if lowered == "connection" and value.strip().lower() == "close":
                self.close_connection = True
            if lowered not in _OWN_HEADERS:
                lines.append(f"{name}: {value}")
        bodiless = code < 200 or code in _BODILESS
        if self.command == "HEAD":
            lines.append(f"Content-Length: {given_length if given_length is not None else len(body)}")
        elif not bodiless:
            lines.append(f"Content-Length: {len(body)}")
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head if bodiless or self.command == "HEAD" else head + body

    def date_time_string(self, timestamp: float | None = None) -> str:
        """Return the Date header value of a time (by default now, formatted once per second by the server)."""
        return self.server.http_date() if timestamp is None else super().date_time_string(timestamp)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a malformed request line or header block with JSON, as every other error is answered."""
        body = dumps(http_error(iso_ms(datetime.now(timezone.utc)), code))
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # an unreadable request line: still answer with a status line
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in _BODILESS:
                self.wfile.write(body)
        except OSError:
            pass
        self.close_connection = True


class QuietRequestHandler(JsonErrorsHandler):
    """Request handler that writes no access-log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing for a served request."""


class KeepAliveServer(ThreadedWSGIServer):
    """Werkzeug's threaded WSGI server that knows its open connections: it ends idle ones, and all at the end.

    Sockets stay blocking (a socket timeout would cost a ``poll`` before every read and write);
    instead the serving loop ends a connection that has waited ``idle_timeout`` seconds for its
    next request.
    """

    idle_timeout = IDLE_TIMEOUT

    def __init__(self, host: str, port: int, app: Any, handler: type[WSGIRequestHandler]) -> None:
        #: Each open connection, with when it went idle (``BUSY`` while a request is being answered).
        self._connections: dict[socket.socket, float] = {}
        self._connections_lock = threading.Lock()
        self._checked = time.monotonic()
        #: The second of the last Date header, and the header.
        self._date = (0, "")
        super().__init__(host, port, app, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Note a new connection, then serve it in its own (daemon) thread."""
        with self._connections_lock:
            self._connections[request] = time.monotonic()
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget a connection its thread is done with, and close it."""
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def mark(self, connection: socket.socket, busy: bool) -> None:
        """Note that a connection started answering a request, or went idle after one."""
        with self._connections_lock:
            if connection in self._connections:
                self._connections[connection] = BUSY if busy else time.monotonic()

    def http_date(self) -> str:
        """Return the Date header value of the current second (RFC 9110), formatted once per second."""
        second = int(time.time())
        date = self._date
        if date[0] != second:
            date = self._date = (second, email.utils.formatdate(second, usegmt=True))
        return date[1]

    def service_actions(self) -> None:
        """Between polls of the serving loop: end the connections idle for too long (checked every second)."""
        now = time.monotonic()
        if now - self._checked < min(1.0, self.idle_timeout):
            return
        self._checked = now
        with self._connections_lock:
            idle = [connection for connection, since in self._connections.items() if now - since > self.idle_timeout]
        _end(idle)

    def close_connections(self) -> None:
        """End every open connection: an idle one at once, one in the middle of an answer after it."""
        with self._connections_lock:
            connections = list(self._connections)
        _end(connections)

    @property
    def open_connections(self) -> int:
        """How many connections are open."""
        with self._connections_lock:
            return len(self._connections)


def _end(connections: Iterable[socket.socket]) -> None:
    """Stop reading from connections: a thread waiting for the next request sees the end and closes."""
    for connection in connections:
        with contextlib.suppress(OSError):  # already gone
            connection.shutdown(socket.SHUT_RD)
