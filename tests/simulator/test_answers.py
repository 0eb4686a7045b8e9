"""Answers and request bodies as the application handles them: exactly as werkzeug's Response and Request would."""

from __future__ import annotations

import io
from typing import Any

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from pytest_krakenfutures.simulator.http.answers import Answer
from pytest_krakenfutures.simulator.http.app import MAX_BODY, Incoming

STATUSES = (200, 201, 400, 401, 404, 405, 413, 429, 500, 599, 102, 204, 304)
HEADERS: tuple[tuple[tuple[str, str], ...], ...] = (
    (),
    (("Allow", "GET, HEAD"),),
    (("rate-limit-reset", "7"),),
    (("content-type", "text/csv"), ("X-A", "1"), ("x-a", "2")),
    (("Location", "/elsewhere"),),
)


def served(app: Any, method: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Return what a WSGI application answers a request of a method: status line, headers and body."""
    environ = {"REQUEST_METHOD": method, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    started: list[Any] = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: started.append((status, headers))))
    status, headers = started[0]
    return status, list(headers), body


def werkzeug_response(answer: Answer) -> Response:
    """Return the werkzeug Response the application built before: the body, status and type, then each header."""
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    for name, value in answer.headers:
        response.headers[name] = value
    return response


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_answer_is_served_as_werkzeug_serves_its_response(
    status: int, headers: tuple[tuple[str, str], ...], method: str
) -> None:
    answer = Answer(b'{"result":"success"}', status, "application/json", headers)
    assert served(answer, method) == served(werkzeug_response(answer), method)


def environ_with(body: bytes, length: str | None, **more: Any) -> dict[str, Any]:
    """Return a POST environ with a body stream and, unless ``None``, a declared length."""
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(body), **more}
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    return environ


def read(environ_of: Any, reader: Any) -> Any:
    """Return the body a reader reads from a fresh environ, or the name of the refusal it raises."""
    try:
        return reader(environ_of())
    except HTTPException as refusal:
        return type(refusal).__name__


CASES = [
    (b"a=1&b=2", "7", {}),
    (b"a=1&b=2", "3", {}),
    (b"a=1", "0", {}),
    (b"a=1", None, {}),
    (b"a=1", "9", {}),
    (b"a=1", "", {}),
    (b"a=1", " 3", {}),
    (b"a=1", "-3", {}),
    (b"a=1", "+3", {}),
    (b"a=1", "\u0663", {}),
    (b"x" * 10, str(MAX_BODY + 1), {}),
    (b"a=1", "3", {"HTTP_TRANSFER_ENCODING": "chunked"}),
    (b"a=1", None, {"wsgi.input_terminated": True}),
]


@pytest.mark.parametrize(("body", "length", "more"), CASES)
def test_a_body_is_read_as_werkzeug_reads_it(body: bytes, length: str | None, more: dict[str, Any]) -> None:
    def werkzeug(environ: dict[str, Any]) -> bytes:
        request = Request(environ)
        request.max_content_length = MAX_BODY
        return request.get_data(cache=True)

    expected = read(lambda: environ_with(body, length, **more), werkzeug)
    assert read(lambda: environ_with(body, length, **more), lambda env: Incoming.of(env).body()) == expected
