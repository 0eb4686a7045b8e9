"""``KrakenFuturesAuth``: a requests auth that signs the prepared request exactly as it is sent."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from requests.auth import AuthBase
from requests.models import PreparedRequest

from .errors import ConfigurationError
from .nonces import default_nonce
from .signing import Signer, signing_input

_DEFAULT: Any = object()


class KrakenFuturesAuth(AuthBase):
    """Sign requests with Kraken's APIKey / Authent / Nonce headers.

    ``nonce`` is a callable returning the next nonce string, or ``None`` to send no Nonce
    header (the empty string is then signed); left out, the built-in monotonic source is used.
    """

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        nonce: Callable[[], str] | None = _DEFAULT,
    ) -> None:
        if not api_key or not api_secret:
            raise ConfigurationError(
                "KrakenFuturesAuth needs an API key and secret (KRAKEN_FUTURES_API_KEY and KRAKEN_FUTURES_API_SECRET)"
            )
        self._signer = Signer(api_secret)  # decodes the secret: fails now, not on the first request
        self._api_key = api_key
        self._api_secret = api_secret
        self._nonce = default_nonce if nonce is _DEFAULT else nonce

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        """Add the signing headers to a fully prepared request."""
        path, post_data = signing_input(r.url or "", r.body)
        nonce = self._nonce() if self._nonce is not None else ""
        r.headers["APIKey"] = self._api_key
        if self._nonce is not None:
            r.headers["Nonce"] = nonce
        r.headers["Authent"] = self._signer.authent(path, post_data, nonce)
        return r

    def __getstate__(self) -> dict[str, Any]:
        """Copy or pickle the key pair and nonce source; the keyed HMAC is made again from the secret."""
        state = dict(self.__dict__)
        del state["_signer"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a copied or unpickled auth, keying its HMAC again."""
        self.__dict__.update(state)
        self._signer = Signer(self._api_secret)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KrakenFuturesAuth):
            return NotImplemented
        return hmac.compare_digest(self._api_key, other._api_key) and hmac.compare_digest(
            self._api_secret, other._api_secret
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        nonce = "none" if self._nonce is None else "custom" if self._nonce is not default_nonce else "default"
        return f"<KrakenFuturesAuth api_key=<redacted> api_secret=<redacted> nonce={nonce}>"
