"""Pure signing primitives: the Authent string and the signed parts of a request."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import urlsplit

from .errors import SigningError

DERIVATIVES_PREFIX = "/derivatives"


def signed_path(endpoint_path: str) -> str:
    """Return the path that goes into the hash: the URL path without a leading ``/derivatives``."""
    if endpoint_path == DERIVATIVES_PREFIX or endpoint_path.startswith(DERIVATIVES_PREFIX + "/"):
        return endpoint_path[len(DERIVATIVES_PREFIX) :]
    return endpoint_path


def decode_secret(api_secret: str) -> bytes:
    """Decode a base64 API secret (padding optional); the error never shows the secret."""
    text = api_secret.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError(
            "the API secret is not valid base64; copy it again from Kraken's API key page (KRAKEN_FUTURES_API_SECRET)"
        ) from None


def compute_authent(api_secret: str, endpoint_path: str, post_data: str, nonce: str = "") -> str:
    """Return Kraken's Authent header for one request.

    ``base64(HMAC-SHA512(b64decode(secret), SHA256(post_data + nonce + endpoint_path)))``, where
    a leading ``/derivatives`` is stripped from ``endpoint_path``.
    """
    mac = hmac.digest(decode_secret(api_secret), _message_digest(endpoint_path, post_data, nonce), "sha512")
    return base64.b64encode(mac).decode("ascii")


class Signer:
    """``compute_authent`` for one secret, decoded and keyed once: for a session or server signing many requests."""

    def __init__(self, api_secret: str) -> None:
        self._keyed = hmac.new(decode_secret(api_secret), digestmod=hashlib.sha512)

    def authent(self, endpoint_path: str, post_data: str, nonce: str = "") -> str:
        """Return the Authent header of one request signed with this secret."""
        mac = self._keyed.copy()
        mac.update(_message_digest(endpoint_path, post_data, nonce))
        return base64.b64encode(mac.digest()).decode("ascii")


def _message_digest(endpoint_path: str, post_data: str, nonce: str) -> bytes:
    """Return the SHA-256 of what a request signs: post data, nonce and the signed path."""
    return hashlib.sha256((post_data + nonce + signed_path(endpoint_path)).encode("utf-8")).digest()


def body_text(body: bytes | str | None) -> str:
    """Return a request body as the text that is signed, exactly as it goes on the wire."""
    if body is None:
        return ""
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise SigningError("the request body is not UTF-8 text and cannot be signed") from None
    if isinstance(body, str):
        return body
    raise SigningError(
        f"a streamed request body ({type(body).__name__}) cannot be signed; pass data= as a dict or string"
    )


def signing_input(url: str, body: bytes | str | None) -> tuple[str, str]:
    """Return ``(endpoint_path, post_data)`` for a request: its path, and query followed by body."""
    parts = urlsplit(url)
    return parts.path, parts.query + body_text(body)
