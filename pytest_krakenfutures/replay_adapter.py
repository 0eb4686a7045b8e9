"""A requests transport adapter that answers ``kf_session`` from its cassette, when the test sends nothing.

In replay, vcrpy answers a ``requests`` call deep inside urllib3: a connection pool is made, a
stub connection leased, the request written to it, and the recorded answer read back. The
adapter asks the cassette the same questions at the transport level instead, and hands requests
the very response object vcrpy's stub would have returned, so answers are byte for byte the same.
A request the cassette does not answer (a host the user lets bypass it) takes the normal way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from http.client import HTTPMessage
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from requests.adapters import HTTPAdapter
from requests.models import PreparedRequest, Response
from urllib3 import HTTPHeaderDict
from vcr.request import Request
from vcr.stubs import VCRHTTPResponse, compat, parse_headers

if TYPE_CHECKING:
    from .cassette import KfCassette

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: A header name the email parser reads as one (printable ASCII, no colon), and a value it reads as one line.
_PLAIN_NAME = re.compile(r"[\x21-\x39\x3b-\x7e]+")
_PLAIN_VALUE = re.compile(r"[\t\x20-\x7e]*")
#: How many header lines ``http.client`` reads before it gives up on an answer, and how long one may be.
_MAX_HEADERS = 100
_MAX_LINE = 65536


def vcr_request(prepared: PreparedRequest) -> Request:
    """Return the request as vcrpy's stub connection records it (the default port left out of the URI)."""
    parts = urlsplit(prepared.url or "")
    netloc = parts.hostname or ""
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        netloc = f"{netloc}:{parts.port}"
    uri = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    headers: Mapping[str, Any] = prepared.headers
    return Request(method=prepared.method, uri=uri, body=prepared.body, headers=headers)


class ReplayAdapter(HTTPAdapter):
    """Answer requests from a replaying cassette without a connection pool; other requests go the normal way."""

    def __init__(self, cassette: KfCassette) -> None:
        super().__init__()
        self.cassette = cassette

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        """Return the recorded answer to ``request`` (a miss is the cassette's explained error)."""
        __tracebackhide__ = True
        recorded = vcr_request(request)
        if not self.cassette.can_play_response_for(recorded):
            return super().send(request, *args, **kwargs)
        answer = replay_response(self.cassette.play_response(recorded), recorded.uri)
        return self.build_response(request, answer)


def replay_response(recorded_response: dict[str, Any], request_url: str) -> VCRHTTPResponse:
    """Return vcrpy's stub response to a recorded answer, its headers read without a pass through the email parser."""
    answer = VCRHTTPResponse({**recorded_response, "headers": {}}, request_url)
    answer.recorded_response = recorded_response
    headers = recorded_response["headers"]
    # As vcrpy's stub does: a recorded Transfer-Encoding goes, the recorded body is no longer chunked.
    chunked = [name for name in headers if name.upper() == "TRANSFER-ENCODING"]
    if chunked:
        del headers[chunked[0]]
    answer.msg = recorded_message(headers)
    answer.headers = held_headers(answer.msg)
    answer.length = compat.get_header(answer.msg, "content-length") or None
    return answer


def recorded_message(headers: Mapping[str, list[str]]) -> HTTPMessage:
    """Return a recorded answer's headers as the ``HTTPMessage`` vcrpy's stub parses them into.

    Headers that parser could read otherwise than line by line (text beyond printable ASCII, a
    name it does not take for one, more lines than ``http.client`` accepts) go through it as in vcrpy.
    """
    lines = [(name, value) for name, values in headers.items() for value in values]
    if len(lines) > _MAX_HEADERS or not all(_plain_line(name, value) for name, value in lines):
        parsed: HTTPMessage = parse_headers(headers)
        return parsed
    message = HTTPMessage()
    for name, value in lines:
        message[name] = value.lstrip(" \t")
    message.set_payload("")
    return message


def _plain_line(name: str, value: str) -> bool:
    """Whether a header line parses as just its name and its value: printable ASCII, one line, not too long."""
    return (
        _PLAIN_NAME.fullmatch(name) is not None
        and _PLAIN_VALUE.fullmatch(value) is not None
        and len(name) + len(value) + len(":\r\n") <= _MAX_LINE
    )


def held_headers(message: HTTPMessage) -> HTTPHeaderDict:
    """Return the headers of a parsed message as urllib3 holds them: each name once, its values joined."""
    held = HTTPHeaderDict()
    for name, value in message.items():
        held.add(name, value)
    return held
