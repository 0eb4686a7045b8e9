"""Ready-made settings that point ccxt and python-kraken-sdk at a test's base URL with its key pair."""

from __future__ import annotations

from typing import Any

from .environments import Credentials

#: ccxt ``krakenfutures`` API groups and the path each one lives under.
CCXT_API_PATHS = {
    "public": "/derivatives/api/",
    "private": "/derivatives/api/",
    "charts": "/api/charts/",
    "history": "/api/history/",
    "feeschedules": "/api/feeschedules/",
}


def ccxt_urls(base_url: str) -> dict[str, str]:
    """Return ccxt's ``urls["api"]`` mapping for a Kraken Futures base URL."""
    root = base_url.rstrip("/")
    return {group: root + path for group, path in CCXT_API_PATHS.items()}


def ccxt_config(base_url: str, credentials: Credentials | None) -> dict[str, Any]:
    """Return the settings of ``ccxt.krakenfutures(...)`` (sync or async) for a base URL and key pair."""
    config: dict[str, Any] = {"urls": {"api": ccxt_urls(base_url)}}
    if credentials is not None:
        config.update(apiKey=credentials.api_key, secret=credentials.api_secret)
    return config


def kraken_sdk_config(base_url: str, credentials: Credentials | None) -> dict[str, Any]:
    """Return the keyword arguments of python-kraken-sdk's Futures clients (``User(**config)``...)."""
    config: dict[str, Any] = {"url": base_url.rstrip("/")}
    if credentials is not None:
        config.update(key=credentials.api_key, secret=credentials.api_secret)
    return config
