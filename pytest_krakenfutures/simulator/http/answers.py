"""The application's answers as WSGI output: the status line, headers and body werkzeug's ``Response`` sends.

Building a werkzeug ``Response`` per answer costs more than working out most answers; an
``Answer`` holds the body and its few headers and starts the WSGI response itself, with the
same status line, header order and body (none for ``HEAD``). The statuses that never carry a
body (1xx, 204, 304), and answers with a header werkzeug rewrites (a location, the length), are
still answered through ``Response``. Every JSON answer, the control API's included, is made
by ``json_answer``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from . import envelope

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

#: Statuses whose answers never carry a body; werkzeug drops or adjusts their entity headers.
_BODILESS = frozenset({204, 304})
#: Headers werkzeug rewrites on the way out (locations made absolute URLs, the length of the body).
_REWRITTEN = frozenset({"location", "content-location", "content-length"})


def status_line(code: int) -> str:
    """Return the status of a code as werkzeug writes it, e.g. ``200 OK`` or ``429 TOO MANY REQUESTS``."""
    name = HTTP_STATUS_CODES.get(code)
    return f"{code} {name.upper()}" if name is not None else f"{code} UNKNOWN"


@dataclass(frozen=True)
class Answer:
    """A whole answer: body, status, content type and further headers (set in turn, as ``headers[name] = value``)."""

    body: bytes
    status: int
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Start the WSGI response and return its body."""
        if 100 <= self.status < 200 or self.status in _BODILESS or self._rewritten():
            return self.response()(environ, start_response)
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]
        for name, value in self.headers:
            _set(headers, name, value)
        start_response(status_line(self.status), headers)
        return () if environ["REQUEST_METHOD"] == "HEAD" else (self.body,)

    def _rewritten(self) -> bool:
        """Whether werkzeug would rewrite one of the further headers."""
        return any(name.lower() in _REWRITTEN for name, _ in self.headers)

    def response(self) -> Response:
        """Return the answer as a werkzeug ``Response``."""
        response = Response(self.body, status=self.status, content_type=self.content_type)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def json_answer(payload: Any, status: int, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    """Return a JSON answer: the payload as compact JSON, its status and further headers."""
    return Answer(envelope.dumps(payload), status, "application/json", headers)


def _set(headers: list[tuple[str, str]], name: str, value: str) -> None:
    """Set a header as werkzeug's ``Headers`` does: in place of the first of that name (others dropped), else last."""
    lowered = name.lower()
    found = [index for index, (key, _) in enumerate(headers) if key.lower() == lowered]
    if not found:
        headers.append((name, value))
        return
    headers[found[0]] = (name, value)
    for index in reversed(found[1:]):
        del headers[index]
