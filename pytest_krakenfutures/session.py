"""``KrakenFuturesSession``: a requests session bound to one environment, signing every call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.models import PreparedRequest, Response

from ._version import __version__
from .auth import _DEFAULT, KrakenFuturesAuth
from .catalog import BASES
from .environments import base_url_for
from .errors import ConfigurationError, RedirectRefused

#: (connect, read) seconds applied to every call that does not pass its own ``timeout``.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
_SIGNING_HEADERS = ("APIKey", "Authent", "Nonce")


class KrakenFuturesSession(requests.Session):
    """A ``requests.Session`` for one Kraken Futures environment.

    ``base_url`` is ``"live"`` (futures.kraken.com) or the root URL of a server such as the
    simulator. Paths are relative to the v3 base (``get("tickers")``); paths starting with ``/``
    are taken from the host root (``get("/api/history/v2/orders")``). With a key and secret
    every request is signed.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        nonce: Callable[[], str] | None = _DEFAULT,
        timeout: float | tuple[float, float] | None = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__()
        self.base_url = base_url_for(base_url)
        self.timeout = timeout
        self.headers["User-Agent"] = f"pytest-krakenfutures/{__version__}"
        self.headers["Accept"] = "application/json"
        if api_key or api_secret:
            self.auth = KrakenFuturesAuth(api_key or "", api_secret or "", nonce)

    def __repr__(self) -> str:
        signed = "signed" if self.auth is not None else "unsigned"
        return f"<{type(self).__name__} {self.base_url} {signed}>"

    def url_for(self, path: str) -> str:
        """Return the absolute URL of a path relative to the v3 base, the host root, or a full URL."""
        if path.startswith(("http://", "https://")):
            if _origin(path) != _origin(self.base_url):
                raise ConfigurationError(
                    f"{path} is not on this session's host {self.base_url}; a signed session only talks to its own host"
                )
            return path
        root = self.base_url.rstrip("/")
        if path.startswith("/"):
            return root + path
        return f"{root}{BASES['v3']}/{path}"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Response:
        """Send a request to a path of this environment, with the session's timeout by default."""
        __tracebackhide__ = True
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        target = url.decode() if isinstance(url, bytes) else url
        return super().request(method, self.url_for(target), *args, **kwargs)

    def rebuild_auth(self, prepared_request: PreparedRequest, response: Response) -> None:
        """Refuse a redirect of a signed request to another host; re-sign one on the same host."""
        if any(name in prepared_request.headers for name in _SIGNING_HEADERS):
            source = response.request.url or ""
            target = prepared_request.url or ""
            for name in _SIGNING_HEADERS:
                prepared_request.headers.pop(name, None)
            if _origin(source) != _origin(target):
                raise RedirectRefused(
                    f"{response.status_code} redirect from {source} to {target}: a signed request is never "
                    "sent to another host; check the environment's base URL"
                )
            if isinstance(self.auth, KrakenFuturesAuth):
                self.auth(prepared_request)
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()
