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
    return authent_with_key(decode_secret(api_secret), endpoint_path, post_data, nonce)


def authent_with_key(key: bytes, endpoint_path: str, post_data: str, nonce: str = "") -> str:
    """Return the Authent header of ``compute_authent`` from the already decoded secret (a server checks many)."""
    message = (post_data + nonce + signed_path(endpoint_path)).encode("utf-8")
    mac = hmac.digest(key, hashlib.sha256(message).digest(), "sha512")
    return base64.b64encode(mac).decode("ascii")


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
