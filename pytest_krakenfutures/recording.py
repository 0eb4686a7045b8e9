"""Recording and replay with vcrpy: cassette setup, scrubbing, matching, network guard, clear misses."""

from __future__ import annotations

import contextlib
import copy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from requests.models import PreparedRequest, Response

from . import catalog
from .cassette_format import KEPT_REQUEST_HEADERS, KEPT_RESPONSE_HEADERS, AtomicPersister, CassetteSerializer
from .environments import LIVE_URL
from .errors import CassetteError, ConfigurationError, NetworkBlocked
from .session import KrakenFuturesSession

#: Every cassette stores URLs on this origin, whatever host they were recorded from.
CANONICAL_ORIGIN = urlsplit(LIVE_URL)
#: vcrpy record mode behind each of ours; ``all`` and ``rewrite`` record into an empty cassette
#: and the persister decides what becomes of the old file (the same on every vcrpy version).
VCR_MODES = {"none": "none", "once": "once", "new_episodes": "new_episodes", "all": "all", "rewrite": "all"}
EXISTING = {"all": "merge", "rewrite": "replace"}
MATCH_ON = ("method", "path", "query", "body")


def canonical_request(request: Any) -> Any:
    """Return a copy of a vcrpy request on the canonical origin, with only harmless headers kept."""
    request = copy.deepcopy(request)
    parts = urlsplit(request.uri)
    request.uri = urlunsplit((CANONICAL_ORIGIN.scheme, CANONICAL_ORIGIN.netloc, parts.path, parts.query, ""))
    for name in list(request.headers):
        if name.lower() not in KEPT_REQUEST_HEADERS:
            del request.headers[name]
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop response headers that are volatile or private (dates, cookies, server ids)."""
    headers = response.get("headers") or {}
    response["headers"] = {name: value for name, value in headers.items() if name.lower() in KEPT_RESPONSE_HEADERS}
    return response


def build_vcr(record_mode: str, provenance: dict[str, Any]) -> Any:
    """Return a configured ``vcr.VCR`` for one record mode."""
    from vcr import VCR

    recorder = VCR(
        record_mode=VCR_MODES[record_mode],
        serializer="kf-yaml",
        match_on=MATCH_ON,
        before_record_request=canonical_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_serializer("kf-yaml", CassetteSerializer(provenance))
    matchers = [recorder.matchers[name] for name in MATCH_ON]
    recorder.register_persister(AtomicPersister(existing=EXISTING.get(record_mode, "replay"), matchers=matchers))
    return recorder


@dataclass
class CassetteContext:
    """What a recorded session needs to explain itself: its cassette, mode, test and switches."""

    path: Path
    record_mode: str
    env: str
    test_id: str
    allow_trading: bool = False
    cassette: Any = field(default=None, repr=False)


class CassetteSession(KrakenFuturesSession):
    """A session whose calls go through a cassette, with misses and refusals explained."""

    kf_context: CassetteContext

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        """Send (or replay) a request; turn vcrpy's refusal into a message that says what to do."""
        from vcr.errors import CannotOverwriteExistingCassetteException

        self._guard_trading(request)
        try:
            return super().send(request, **kwargs)
        except CannotOverwriteExistingCassetteException as exc:
            raise CassetteError(explain_miss(self.kf_context, request, exc)) from None

    def _guard_trading(self, request: PreparedRequest) -> None:
        context = self.kf_context
        if context.env == "sim" or context.record_mode == "none" or context.allow_trading:
            return
        path = urlsplit(request.url or "").path
        target = catalog.resolve(request.method or "GET", path)
        if target is not None and target.mutates:
            raise ConfigurationError(
                f"refused before sending: {request.method} {path} ({target.id}) changes state on "
                f"{context.env}; recording it needs --kf-allow-trading (or record from --kf-env=sim)"
            )


def explain_miss(context: CassetteContext, request: PreparedRequest, exc: Any) -> str:
    """Say why a request has no recorded answer and which option would record it."""
    path = urlsplit(request.url or "")
    what = f"{request.method} {path.path}" + (f"?{path.query}" if path.query else "")
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    if body:
        what += f" with body {body!r}"
    record = f"pytest --kf-record-mode=once --kf-env={context.env} {context.test_id}"
    if not context.path.exists():
        return (
            f"no cassette {context.path} for {context.test_id}, and --kf-record-mode={context.record_mode} does "
            f"not record; {what} was not sent to {path.hostname}. Record it with: {record}"
        )
    lines = [
        f"cassette {context.path} has no unplayed answer for {what}; with --kf-record-mode={context.record_mode} "
        f"it was not sent to {path.hostname}."
    ]
    similar_requests = _similar_requests(exc)
    for similar, _succeeded, failed in similar_requests[:3]:
        if not failed:
            continue
        differences = "; ".join(f"{name}: {' '.join(str(message).split())}" for name, message in failed)
        lines.append(f"  closest recorded: {similar.method} {urlsplit(similar.uri).path} differs in {differences}")
    if similar_requests and not similar_requests[0][2]:
        lines.append("  every matching recorded answer was already played: the test makes this call more often")
    lines.append(
        "To record the difference: --kf-record-mode=new_episodes (add) or --kf-record-mode=rewrite (start over)"
    )
    return "\n".join(lines)


def _similar_requests(exc: Any) -> list[Any]:
    """Return vcrpy's closest recorded requests for a miss, as (request, succeeded, failed) tuples."""
    similar = getattr(exc, "similar_requests", None)
    if similar is None:
        cassette, failed_request = getattr(exc, "cassette", None), getattr(exc, "failed_request", None)
        if cassette is None or failed_request is None:
            return []
        similar = cassette.find_requests_with_most_matches(failed_request)
    return list(similar)


@contextlib.contextmanager
def use_cassette(context: CassetteContext, provenance: dict[str, Any]) -> Iterator[Any]:
    """Activate the cassette of one test; everything recorded in the block is saved on exit."""
    recorder = build_vcr(context.record_mode, provenance)
    with recorder.use_cassette(str(context.path)) as cassette:
        context.cassette = cassette
        yield cassette


@contextlib.contextmanager
def network_guard(allow: Callable[[str], bool], option_hint: str) -> Iterator[None]:
    """Refuse socket connections to hosts ``allow`` rejects, naming the host and the option to allow it."""
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        if not allow(host):
            port = address[1] if isinstance(address, tuple) and len(address) > 1 else "?"
            raise NetworkBlocked(f"connection to {host}:{port} blocked by pytest-krakenfutures; {option_hint}")

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        original_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return original_connect_ex(sock, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]


def is_loopback(host: str) -> bool:
    """Whether a host address is on this machine's loopback."""
    import ipaddress

    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host == "localhost"
