"""Where requests go: the ``live`` and ``sim`` environments, explicit URLs, and credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ConfigurationError

LIVE_URL = "https://futures.kraken.com"
DEMO_RETIRED = (
    "the Kraken Futures demo environment (demo-futures.kraken.com) was retired on 14 July 2026 and has "
    "no replacement; use --kf-env=sim for the bundled simulator, or --kf-env=live for production"
)
ENV_NAMES = ("live", "sim")
API_KEY_VAR = "KRAKEN_FUTURES_API_KEY"
API_SECRET_VAR = "KRAKEN_FUTURES_API_SECRET"

#: Credentials used when none are configured: against the simulator, and in replay.
DUMMY_API_KEY = "kf-simulator-public-key"
DUMMY_API_SECRET = "a2Ytc2ltdWxhdG9yLXNlY3JldC1ub3QtYS1yZWFsLWtyYWtlbi1zZWNyZXQ="


def check_env(value: str) -> str:
    """Validate an environment value (``live``, ``sim`` or an http(s) URL) and return it normalised."""
    text = value.strip()
    if text.lower() in ENV_NAMES:
        return text.lower()
    if text.lower() == "demo" or "demo-futures.kraken.com" in text.lower():
        raise ConfigurationError(DEMO_RETIRED)
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    raise ConfigurationError(
        f"{value!r} is not an environment: use 'live', 'sim' or a URL such as http://127.0.0.1:8080"
    )


def base_url_for(env: str) -> str:
    """Return the root URL of a named environment or URL (``sim`` has none until it is started)."""
    env = check_env(env)
    if env == "live":
        return LIVE_URL
    if env == "sim":
        raise ConfigurationError("the 'sim' environment has a URL only once a simulator is running")
    return env


@dataclass(frozen=True)
class Credentials:
    """An API key pair; its repr never shows either part."""

    api_key: str
    api_secret: str
    from_environment: bool = False

    def __repr__(self) -> str:
        origin = "environment" if self.from_environment else "dummy"
        return f"Credentials(<redacted>, source={origin})"


def dummy_credentials() -> Credentials:
    """Return the built-in credentials that only the simulator and replay accept."""
    return Credentials(DUMMY_API_KEY, DUMMY_API_SECRET)


def credentials_from_environment(environ: dict[str, str] | None = None) -> Credentials | None:
    """Return credentials from KRAKEN_FUTURES_API_KEY / _SECRET, ``None`` if neither is set."""
    environ = dict(os.environ) if environ is None else environ
    key = environ.get(API_KEY_VAR, "").strip()
    secret = environ.get(API_SECRET_VAR, "").strip()
    if not key and not secret:
        return None
    if not key or not secret:
        missing = API_KEY_VAR if not key else API_SECRET_VAR
        raise ConfigurationError(f"{missing} is not set; set both {API_KEY_VAR} and {API_SECRET_VAR}, or neither")
    return Credentials(key, secret, from_environment=True)
