"""Recording and replay with vcrpy: the configuration of a test's cassette (origin, headers, matching, saving)."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .cassette import cassette_in_use
from .cassette_format import KEPT_REQUEST_HEADERS, KEPT_RESPONSE_HEADERS, CassetteSerializer
from .context import CassetteContext
from .environments import LIVE_URL
from .persister import RecordingPersister
from .scrub import Scrubber
from .session import KrakenFuturesSession

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


def build_vcr(
    context: CassetteContext, provenance: dict[str, Any], scrubber: Scrubber, schema_dir: str | None = None
) -> Any:
    """Return a ``vcr.VCR`` configured for one test's cassette: its mode, scrubbing and persister."""
    from vcr import VCR

    recorder = VCR(
        record_mode=VCR_MODES[context.record_mode],
        serializer="kf-yaml",
        match_on=MATCH_ON,
        before_record_request=[canonical_request, scrubber.request],
        before_record_response=[scrub_response, scrubber.response],
        decode_compressed_response=True,
    )
    recorder.register_serializer("kf-yaml", CassetteSerializer(provenance))
    matchers = [recorder.matchers[name] for name in MATCH_ON]
    existing = EXISTING.get(context.record_mode, "replay")
    persister = RecordingPersister(context, scrubber, existing=existing, matchers=matchers, schema_dir=schema_dir)
    recorder.register_persister(persister)
    return recorder


class CassetteSession(KrakenFuturesSession):
    """The ``kf_session`` fixture's session: its calls go through the test's cassette."""

    kf_context: CassetteContext


@contextlib.contextmanager
def use_cassette(
    context: CassetteContext, provenance: dict[str, Any], scrubber: Scrubber, schema_dir: str | None = None
) -> Iterator[Any]:
    """Activate the cassette of one test for every client; the recording is saved on exit."""
    recorder = build_vcr(context, provenance, scrubber, schema_dir)
    with cassette_in_use(context, recorder, scrubber) as cassette:
        yield cassette
