"""Checks of private requests: the API key, the Authent signature and the per-key nonce rules."""

from __future__ import annotations

import hmac
import re
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from ..signing import compute_authent, decode_secret
from .envelope import ApiError

AUTHENTICATION_ERROR = "authenticationError"
NONCE_BELOW_THRESHOLD = "nonceBelowThreshold"
NONCE_DUPLICATE = "nonceDuplicate"
#: How many recent nonces per key are remembered to tell a duplicate from a stale nonce.
REMEMBERED_NONCES = 10000

_DIGITS = re.compile(r"[0-9]+")


@dataclass
class _NonceState:
    highest: int = -1
    recent: set[int] = field(default_factory=set)
    order: deque[int] = field(default_factory=deque)

    def remember(self, nonce: int) -> None:
        self.highest = max(self.highest, nonce)
        self.recent.add(nonce)
        self.order.append(nonce)
        if len(self.order) > REMEMBERED_NONCES:
            self.recent.discard(self.order.popleft())


def post_data_candidates(query: str, body: str) -> list[str]:
    """Return the ``postData`` strings a client may have signed: as sent, and the legacy decoded form."""
    raw = query + body
    decoded = unquote_plus(query) + unquote_plus(body)
    return [raw] if decoded == raw else [raw, decoded]


class Authenticator:
    """Verifies APIKey / Authent / Nonce headers for one key pair; nonce history survives resets."""

    def __init__(self, api_key: str, api_secret: str) -> None:
        decode_secret(api_secret)
        self._api_key = api_key
        self._api_secret = api_secret
        self._lock = threading.Lock()
        self._nonces: dict[str, _NonceState] = {}

    def __repr__(self) -> str:
        return "<Authenticator api_key=<redacted> api_secret=<redacted>>"

    def check(
        self,
        api_key: str | None,
        authent: str | None,
        nonce: str | None,
        paths: Iterable[str],
        query: str,
        body: str,
    ) -> None:
        """Accept a private request or raise ``ApiError`` with Kraken's error word."""
        if api_key is None or not hmac.compare_digest(_bytes(api_key), _bytes(self._api_key)):
            raise ApiError(AUTHENTICATION_ERROR)
        if not authent:
            raise ApiError(AUTHENTICATION_ERROR)
        if nonce is not None and not _DIGITS.fullmatch(nonce):
            raise ApiError(AUTHENTICATION_ERROR)
        if not self._signature_matches(authent, nonce or "", paths, query, body):
            raise ApiError(AUTHENTICATION_ERROR)
        if nonce is not None:
            self._use_nonce(api_key, int(nonce))

    def _signature_matches(self, authent: str, nonce: str, paths: Iterable[str], query: str, body: str) -> bool:
        given = _bytes(authent.strip())
        matched = False
        for path in dict.fromkeys(paths):
            for post_data in post_data_candidates(query, body):
                expected = compute_authent(self._api_secret, path, post_data, nonce)
                matched |= hmac.compare_digest(given, expected.encode("ascii"))
        return matched

    def _use_nonce(self, api_key: str, nonce: int) -> None:
        with self._lock:
            state = self._nonces.setdefault(api_key, _NonceState())
            if nonce in state.recent:
                raise ApiError(NONCE_DUPLICATE)
            if nonce < state.highest:
                raise ApiError(NONCE_BELOW_THRESHOLD)
            state.remember(nonce)


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
