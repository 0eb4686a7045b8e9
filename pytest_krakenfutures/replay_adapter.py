"""A requests transport adapter that answers ``kf_session`` from its cassette, when the test sends nothing.

In replay, vcrpy answers a ``requests`` call deep inside urllib3: a connection pool is made, a
stub connection leased, the request written to it, and the recorded answer read back. The
adapter asks the cassette the same questions at the transport level instead, and hands requests
the very response object vcrpy's stub would have returned, so answers are byte for byte the same.
A request the cassette does not answer (a host the user lets bypass it) takes the normal way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from requests.adapters import HTTPAdapter
from requests.models import PreparedRequest, Response
from urllib3 import HTTPHeaderDict
from vcr.request import Request
from vcr.stubs import VCRHTTPResponse

if TYPE_CHECKING:
    from .cassette import KfCassette

_DEFAULT_PORTS = {"http": 80, "https": 443}


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
        answer = VCRHTTPResponse(self.cassette.play_response(recorded), recorded.uri)
        answer.headers = recorded_headers(answer.recorded_response["headers"])
        return self.build_response(request, answer)


def recorded_headers(headers: Mapping[str, list[str]]) -> HTTPHeaderDict:
    """Return a recorded answer's headers as urllib3 holds them: each name once, its values joined.

    This is what urllib3 makes of vcrpy's stub ``getheaders()``, without its second parse of the
    header block: that parse reads UTF-8 text as Latin-1 and drops the blanks a value starts with.
    """
    held = HTTPHeaderDict()
    for name, values in headers.items():
        for value in values:
            held.add(name, value.encode("utf-8").decode("latin-1").lstrip(" \t"))
    return held
