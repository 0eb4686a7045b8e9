"""Kraken's response envelopes: success, the single-word error, and the HTTP error with an errors list."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from ..errors import ApiError, Refused, UnknownMarket


def status_of(refused: Refused) -> int:
    """Return the HTTP status a refusal is answered with: its own, 404 for an unknown market, else 200."""
    if isinstance(refused, ApiError):
        return refused.http_status
    return 404 if isinstance(refused, UnknownMarket) else 200


#: The encoder of every answer: compact separators, otherwise ``json.dumps``'s defaults.
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def dumps(payload: Any) -> bytes:
    """Serialise a response body as compact JSON."""
    return _ENCODER.encode(payload).encode("utf-8")


def success(server_time: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Return a success envelope around an endpoint's keys."""
    body: dict[str, Any] = {"result": "success", "serverTime": server_time}
    body.update(payload)
    return body


def error(server_time: str, code: str) -> dict[str, Any]:
    """Return the legacy single-string error envelope."""
    return {"result": "error", "serverTime": server_time, "error": code}


def http_error(server_time: str, status: int, code: int = 0) -> dict[str, Any]:
    """Return the newer error envelope for an HTTP-level failure, e.g. ``404 NOT_FOUND``."""
    try:
        name = HTTPStatus(status).name
    except ValueError:
        name = "ERROR"
    return {
        "status": name,
        "result": "error",
        "errors": [{"code": code, "message": f"{status} {name}"}],
        "serverTime": server_time,
    }
