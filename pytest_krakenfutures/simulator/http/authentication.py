"""Checks of private requests: the API key, the Authent signature and the per-key nonce rules."""

from __future__ import annotations

import hmac
import re
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from ... import catalog
from ...errors import ConfigurationError
from ...signing import Signer, decode_secret
from ..errors import ApiError

AUTHENTICATION_ERROR = "authenticationError"
NONCE_BELOW_THRESHOLD = "nonceBelowThreshold"
NONCE_DUPLICATE = "nonceDuplicate"
#: How many recent nonces per key are remembered to tell a duplicate from a stale nonce.
REMEMBERED_NONCES = 10000

_DIGITS = re.compile(r"[0-9]+")


#: Digits of an epoch time in seconds; nonces longer than that count time in finer units.
_SECONDS_DIGITS = 10


#: The largest nonce accepted: a signed 64-bit integer, as Kraken's servers hold it.
MAX_NONCE = 2**63 - 1
_MAX_NONCE_DIGITS = len(str(MAX_NONCE))
#: Seconds a late nonce may be behind the highest one, by default.
DEFAULT_NONCE_WINDOW = 1.0


def nonce_tolerance(highest: int, window: float = DEFAULT_NONCE_WINDOW) -> int:
    """How far below the highest nonce a late one may be: ``window`` seconds in the unit the nonces count.

    Kraken "tolerates nonces that are out of order for a brief period of time". With the default
    second, millisecond nonces (13 digits) may be 1,000 behind, microsecond ones (16 digits)
    1,000,000, and so on; small counters get no tolerance at all, and a window of 0 none either.
    """
    digits = len(str(highest))
    return int(window * 10 ** (digits - _SECONDS_DIGITS)) if digits > _SECONDS_DIGITS else 0


def nonce_value(nonce: str) -> int | None:
    """Return a Nonce header as a number, or ``None`` unless it is decimal digits that fit in 64 bits."""
    if len(nonce) > _MAX_NONCE_DIGITS or not _DIGITS.fullmatch(nonce):
        return None
    value = int(nonce)
    return value if value <= MAX_NONCE else None


#: Key access levels and what each may call (the catalog's permission of an endpoint).
FULL_ACCESS = "full"
READ_ONLY_ACCESS = "read-only"
_ALLOWED: dict[str, frozenset[str]] = {
    FULL_ACCESS: frozenset({catalog.READ_ONLY, catalog.FULL}),
    READ_ONLY_ACCESS: frozenset({catalog.READ_ONLY}),
}


@dataclass(frozen=True)
class ApiKey:
    """A key the simulator accepts: its secret, general access (full or read-only) and withdrawal right."""

    key: str
    secret: str = field(repr=False)
    access: str = FULL_ACCESS
    withdrawal: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            raise ConfigurationError("the simulator needs a non-empty API key")
        if self.access not in _ALLOWED:
            raise ConfigurationError(f"key access must be one of {', '.join(_ALLOWED)}, not {self.access!r}")
        decode_secret(self.secret)

    def may_call(self, permission: str) -> bool:
        """Whether this key may call an endpoint needing ``permission``."""
        if permission == catalog.PUBLIC:
            return True
        if permission == catalog.WITHDRAWAL:
            return self.withdrawal
        return permission in _ALLOWED[self.access]


@dataclass
class _NonceState:
    """The nonces one key has used: the highest, and the recent ones (to tell a duplicate from a stale one)."""

    window: float = DEFAULT_NONCE_WINDOW
    highest: int = -1
    seen: set[int] = field(default_factory=set)
    order: deque[int] = field(default_factory=deque)

    def accept(self, nonce: int) -> None:
        """Take a nonce, or raise ``nonceDuplicate`` / ``nonceBelowThreshold`` (nothing changes then)."""
        if nonce in self.seen:
            raise ApiError(NONCE_DUPLICATE)
        if nonce < self.highest and self.highest - nonce >= max(nonce_tolerance(self.highest, self.window), 1):
            raise ApiError(NONCE_BELOW_THRESHOLD)
        self.highest = max(self.highest, nonce)
        self.seen.add(nonce)
        self.order.append(nonce)
        if len(self.order) > REMEMBERED_NONCES:
            self.seen.discard(self.order.popleft())


def post_data_candidates(query: str, body: str) -> list[str]:
    """Return the ``postData`` strings a client may have signed: as sent, and the legacy decoded form."""
    raw = query + body
    decoded = unquote_plus(query) + unquote_plus(body)
    return [raw] if decoded == raw else [raw, decoded]


class Authenticator:
    """Verifies APIKey / Authent / Nonce headers against the accepted keys; nonce history survives resets.

    A nonce is accepted when it was not used before and is no further below the key's highest
    nonce than ``nonce_tolerance`` allows: strictly increasing clients always pass, and requests
    of one key that overtake each other on the way (threads, xdist workers) are tolerated.
    """

    def __init__(self, keys: ApiKey | list[ApiKey], nonce_window: float = DEFAULT_NONCE_WINDOW) -> None:
        listed = [keys] if isinstance(keys, ApiKey) else list(keys)
        if not listed:
            raise ConfigurationError("the simulator needs at least one API key")
        if not 0 <= nonce_window <= 3600:
            raise ConfigurationError(f"the nonce window must be 0 to 3600 seconds, not {nonce_window!r}")
        self.nonce_window = nonce_window
        #: Each key by name, with a signer of its secret (decoded and keyed once).
        self._keys = {item.key: (item, Signer(item.secret)) for item in listed}
        self._lock = threading.Lock()
        self._nonces: dict[str, _NonceState] = {}

    def __repr__(self) -> str:
        return f"<Authenticator {len(self._keys)} key(s), <redacted>>"

    @property
    def keys(self) -> list[ApiKey]:
        """The accepted keys."""
        return [key for key, _ in self._keys.values()]

    def add(self, key: ApiKey) -> None:
        """Accept one more key from now on; the same key again is a no-op, a known key otherwise a ValueError."""
        with self._lock:
            found = self._keys.get(key.key)
            if found is None:
                self._keys = {**self._keys, key.key: (key, Signer(key.secret))}  # checks in flight read the old dict
                return
        known = found[0]
        if not hmac.compare_digest(_bytes(known.secret), _bytes(key.secret)):
            raise ValueError(f"the simulator already has API key {key.key!r}, with another secret")
        if known != key:
            rights = f"{known.access} access" + ("" if known.withdrawal else " and no withdrawals")
            raise ValueError(f"the simulator already has API key {key.key!r}, with {rights}")

    def forget_nonces(self) -> None:
        """Forget every nonce seen, as a new key pair starts afresh: any client's nonces count from here."""
        with self._lock:
            self._nonces = {}

    def check(
        self,
        api_key: str | None,
        authent: str | None,
        nonce: str | None,
        paths: Iterable[str],
        query: str,
        body: str,
        permission: str = catalog.READ_ONLY,
    ) -> ApiKey:
        """Accept a private request and return its key, or raise ``ApiError`` with Kraken's error word."""
        found = self._lookup(api_key)
        if found is None or not authent:
            raise ApiError(AUTHENTICATION_ERROR)
        record, signer = found
        number = None if nonce is None else nonce_value(nonce)
        if nonce is not None and number is None:
            raise ApiError(AUTHENTICATION_ERROR)
        if not _signature_matches(signer, authent, nonce or "", paths, query, body):
            raise ApiError(AUTHENTICATION_ERROR)
        if number is not None:
            with self._lock:
                self._nonces.setdefault(record.key, _NonceState(self.nonce_window)).accept(number)
        if not record.may_call(permission):
            raise ApiError(AUTHENTICATION_ERROR)
        return record

    def _lookup(self, api_key: str | None) -> tuple[ApiKey, Signer] | None:
        if api_key is None:
            return None
        given = _bytes(api_key)
        found = None
        for name, entry in self._keys.items():
            if hmac.compare_digest(given, _bytes(name)):
                found = entry
        return found


def _signature_matches(signer: Signer, authent: str, nonce: str, paths: Iterable[str], query: str, body: str) -> bool:
    """Whether an Authent header is the signature of the request, by any path and post data a client may sign."""
    given = _bytes(authent.strip())
    matched = False
    for path in dict.fromkeys(paths):
        for post_data in post_data_candidates(query, body):
            expected = signer.authent(path, post_data, nonce)
            matched |= hmac.compare_digest(given, expected.encode("ascii"))
    return matched


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
