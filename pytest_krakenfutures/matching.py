"""How a request finds its recorded answer: method, path, query and body, with every client's nonce left out.

Kraken Futures sends the nonce as a header, which cassettes never hold; some clients also put
one in the query or the body (as Kraken's spot API wants). Those change on every call, so the
query and body matchers compare everything else.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

#: Query and body fields that hold a nonce (compared case-insensitively) and are never matched.
NONCE_FIELDS = frozenset({"nonce"})
_SHOWN = 200


def query(sent: Any, recorded: Any) -> None:
    """Match two requests on their queries: the same parameters  nonces aside (a vcrpy matcher)."""
    if _without_nonces(sent.query) != _without_nonces(recorded.query):
        raise AssertionError(f"{_short(recorded.query)} recorded, {_short(sent.query)} sent")


def body(sent: Any, recorded: Any) -> None:
    """Match two requests on their bodies: form fields or JSON read as such, nonces aside (a vcrpy matcher)."""
    if comparable_body(sent) != comparable_body(recorded):
        raise AssertionError(f"{_short(_raw(recorded))} recorded, {_short(_raw(sent))} sent")


def comparable_body(request: Any) -> Any:
    """Return what a request's body is compared by: its form fields or JSON without nonces, else its bytes."""
    raw = _raw(request)
    if not raw:
        return b""
    content_type = _content_type(request)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    if "json" in content_type:
        try:
            return ("json", _json_without_nonce(json.loads(text)))
        except ValueError:
            return raw
    if "x-www-form-urlencoded" in content_type:
        fields = parse_qsl(text, keep_blank_values=True)
        grouped: dict[str, list[str]] = {}
        for name, value in fields:
            if name.lower() not in NONCE_FIELDS:
                grouped.setdefault(name, []).append(value)
        return ("form", sorted(grouped.items()))
    return raw


#: The matchers of every cassette, by vcrpy's names, in the order they are applied.
BASE_MATCHERS = ("method", "path", "query", "body")


def match_key(request: Any) -> tuple[Any, ...]:
    """Return what the base matchers compare, as one hashable key: equal keys match, other keys never do.

    A JSON body is left out of the key (JSON equality has its own rules: ``1 == 1.0``); requests
    under such a key are told apart by the body matcher.
    """
    return (request.method, request.path or "/", tuple(_without_nonces(request.query)), hashable_body(request))


#: The body part of ``match_key`` for a JSON body, which the body matcher decides.
JSON_BODY = ("json",)


def hashable_body(request: Any) -> Any:
    """Return the body part of ``match_key``: the form fields or bytes compared, or ``JSON_BODY``."""
    compared = comparable_body(request)
    if isinstance(compared, bytes):
        return compared
    if compared[0] == "json":
        return JSON_BODY
    return ("form", tuple((name, tuple(values)) for name, values in compared[1]))


def _without_nonces(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return query pairs without nonce parameters."""
    return [(name, value) for name, value in pairs if name.lower() not in NONCE_FIELDS]


def _json_without_nonce(node: Any) -> Any:
    """Return a JSON body without a top-level nonce field."""
    if isinstance(node, dict):
        return {key: value for key, value in node.items() if key.lower() not in NONCE_FIELDS}
    return node


def _raw(request: Any) -> bytes:
    """Return a request's body as bytes (vcrpy keeps bytes, text or nothing)."""
    value = request.body
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


def _content_type(request: Any) -> str:
    """Return a request's Content-Type, lower-case ('' when it has none)."""
    for name, value in request.headers.items():
        if name.lower() == "content-type":
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            return text.lower()
    return ""


def _short(value: Any) -> str:
    """Return a value's repr cut to a readable length."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
