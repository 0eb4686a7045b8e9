"""Recording and replay with vcrpy: the configuration of a test's cassette (origin, headers, matching, saving)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from vcr import filters

from . import matching
from .cassette import KfCassette, cassette_in_use
from .cassette_format import KEPT_REQUEST_HEADERS, KEPT_RESPONSE_HEADERS, CassetteSerializer
from .cassette_memo import ParsedCassettes
from .context import CassetteContext
from .environments import LIVE_URL, Credentials
from .errors import ConfigurationError
from .persister import RecordingPersister
from .replay_adapter import ReplayAdapter
from .scrub import Scrubber
from .session import KrakenFuturesSession
from .vcr_options import VcrOptions

#: Every cassette stores URLs on this origin, whatever host they were recorded from.
CANONICAL_ORIGIN = urlsplit(LIVE_URL)
#: vcrpy record mode behind each of ours; ``all`` and ``rewrite`` record into an empty cassette
#: and the persister decides what becomes of the old file (the same on every vcrpy version).
VCR_MODES = {
    "none": "none",
    "once": "once",
    "new_episodes": "new_episodes",
    "all": "all",
    "rewrite": "all",
    "drift": "all",
}
EXISTING = {"all": "merge", "rewrite": "replace", "drift": "merge"}
MATCH_ON = ("method", "path", "query", "body")


def canonical_request(request: Any) -> Any:
    """Put a vcrpy request on the canonical origin, with only harmless headers kept.

    vcrpy hands ``before_record_request`` functions a copy of the request it will send, so the
    request is changed in place.
    """
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


#: The keys of the response mappings vcrpy records (``url``: aiohttp's), each of a known shape.
_RESPONSE_KEYS = frozenset({"status", "headers", "body", "url"})


def decoded_response(response: dict[str, Any]) -> dict[str, Any]:
    """Return the response the cassette keeps: a copy, with a compressed body decompressed (vcrpy's filter).

    vcrpy's filter starts with a deep copy, so that the hooks after it cannot change what the
    client reads. A response of the shape vcrpy records (a status, headers of listed strings,
    a body of bytes or text) is copied here without ``copy.deepcopy``'s walk.
    """
    headers = response.get("headers")
    copied = None
    if isinstance(headers, dict) and not any(name.lower() == "content-encoding" for name in headers):
        copied = _copied(response, headers)
    if copied is None:
        decoded: dict[str, Any] = filters.decode_response(response)
        return decoded
    return copied


def _copied(response: dict[str, Any], headers: dict[str, Any]) -> dict[str, Any] | None:
    """Return a copy of a response sharing only immutable values with it (``None``: not of the recorded shape)."""
    status, body = response.get("status"), response.get("body")
    if not response.keys() <= _RESPONSE_KEYS or not isinstance(status, dict) or not isinstance(body, dict):
        return None
    if not isinstance(response.get("url", ""), str):
        return None
    if not all(isinstance(value, (str, bytes, int, type(None))) for value in (*status.values(), *body.values())):
        return None
    listed = {}
    for name, values in headers.items():
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            return None
        listed[name] = list(values)
    return {**response, "status": dict(status), "headers": listed, "body": dict(body)}


def _then(hooks: Sequence[Any], scrub: Any) -> list[Any]:
    """Return the user's hooks followed by the scrubber again, so nothing they add escapes it (none: nothing)."""
    return [*hooks, scrub] if hooks else []


def build_vcr(
    context: CassetteContext,
    provenance: dict[str, Any],
    scrubber: Scrubber,
    schema_dir: str | None = None,
    options: VcrOptions | None = None,
    parsed: ParsedCassettes | None = None,
) -> Any:
    """Return a ``vcr.VCR`` for one test's cassette: its mode, scrubbing, persister and the user's additions."""
    from vcr import VCR

    options = options or VcrOptions()
    recorder = VCR(
        record_mode=VCR_MODES[context.record_mode],
        serializer="kf-yaml",
        before_record_request=[
            canonical_request,
            scrubber.request,
            *_then(options.before_record_request, scrubber.request),
        ],
        before_record_response=[
            decoded_response,
            scrub_response,
            scrubber.response,
            *_then(options.before_record_response, scrubber.response),
        ],
        **options.vcr_arguments(),
    )
    recorder.register_matcher("query", matching.query)
    recorder.register_matcher("body", matching.body)
    match_on = list(MATCH_ON)
    for matcher in options.match_on:
        if callable(matcher):
            name = f"{getattr(matcher, '__name__', 'matcher')}-{id(matcher)}"
            recorder.register_matcher(name, matcher)
            matcher = name
        elif matcher not in recorder.matchers:
            known = ", ".join(sorted(recorder.matchers))
            raise ConfigurationError(f"match_on: {matcher!r} is not a vcrpy matcher; use a function or one of: {known}")
        if matcher not in match_on:
            match_on.append(matcher)
    recorder.match_on = tuple(match_on)
    recorder.register_serializer("kf-yaml", CassetteSerializer(provenance, parsed))
    matchers = [recorder.matchers[name] for name in match_on]
    existing = EXISTING.get(context.record_mode, "replay")
    persister = RecordingPersister(context, scrubber, existing=existing, matchers=matchers, schema_dir=schema_dir)
    recorder.register_persister(persister)
    return recorder


class CassetteSession(KrakenFuturesSession):
    """The ``kf_session`` fixture's session: its calls go through the test's cassette."""

    kf_context: CassetteContext


def session_for(cassette: KfCassette, credentials: Credentials | None) -> CassetteSession:
    """Return the signed session of a test: on its cassette's base URL, with its key pair."""
    session = CassetteSession(
        cassette.base_url,
        credentials.api_key if credentials else None,
        credentials.api_secret if credentials else None,
    )
    session.kf_context = cassette.kf_context
    session.trust_env = cassette.plan.sends
    if not cassette.plan.sends:
        adapter = ReplayAdapter(cassette)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session


@contextlib.contextmanager
def use_cassette(
    context: CassetteContext,
    provenance: dict[str, Any],
    scrubber: Scrubber,
    schema_dir: str | None = None,
    options: VcrOptions | None = None,
    parsed: ParsedCassettes | None = None,
) -> Iterator[Any]:
    """Activate the cassette of one test for every client; the recording is saved on exit."""
    recorder = build_vcr(context, provenance, scrubber, schema_dir, options, parsed)
    repeats = bool(options and options.allow_playback_repeats)
    with cassette_in_use(context, recorder, scrubber, allow_playback_repeats=repeats) as cassette:
        yield cassette
