"""pytest-krakenfutures: signed sessions, contract assertions and VCR cassettes for Kraken Futures REST v3.

Public names are served lazily so that loading the plugin imports nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS: dict[str, str] = {
    "compute_authent": "signing",
    "KrakenFuturesAuth": "auth",
    "KrakenFuturesSession": "session",
    "assert_contract": "contract",
    "Outcome": "outcome",
    "classify": "outcome",
    "endpoint": "catalog",
    "endpoints": "catalog",
    "Endpoint": "catalog",
    "KrakenFuturesError": "errors",
    "ContractViolation": "errors",
    "ConfigurationError": "errors",
    "CassetteError": "errors",
    "NetworkBlocked": "errors",
    "RedirectRefused": "errors",
    "RequestRefused": "errors",
    "SecretInCassette": "errors",
    "SigningError": "errors",
    "UnknownEndpoint": "errors",
    "SchemaNotFound": "errors",
    "ContractUsageError": "errors",
    "ContractChecker": "contract",
    "CassetteSession": "recording",
    "KrakenFuturesWarning": "errors",
    "KfCassette": "cassette",
    "Credentials": "environments",
    "SimulatorState": "seeding",
    "ccxt_config": "clients",
    "kraken_sdk_config": "clients",
}

__all__ = [
    "CassetteError",
    "CassetteSession",
    "ConfigurationError",
    "ContractChecker",
    "ContractUsageError",
    "ContractViolation",
    "Credentials",
    "Endpoint",
    "KfCassette",
    "KrakenFuturesAuth",
    "KrakenFuturesError",
    "KrakenFuturesSession",
    "KrakenFuturesWarning",
    "NetworkBlocked",
    "Outcome",
    "RedirectRefused",
    "RequestRefused",
    "SchemaNotFound",
    "SecretInCassette",
    "SigningError",
    "SimulatorState",
    "UnknownEndpoint",
    "__version__",
    "assert_contract",
    "ccxt_config",
    "classify",
    "compute_authent",
    "endpoint",
    "endpoints",
    "kraken_sdk_config",
]

if TYPE_CHECKING:
    from .auth import KrakenFuturesAuth
    from .cassette import KfCassette
    from .catalog import Endpoint, endpoint, endpoints
    from .clients import ccxt_config, kraken_sdk_config
    from .contract import ContractChecker, assert_contract
    from .environments import Credentials
    from .errors import (
        CassetteError,
        ConfigurationError,
        ContractUsageError,
        ContractViolation,
        KrakenFuturesError,
        KrakenFuturesWarning,
        NetworkBlocked,
        RedirectRefused,
        RequestRefused,
        SchemaNotFound,
        SecretInCassette,
        SigningError,
        UnknownEndpoint,
    )
    from .outcome import Outcome, classify
    from .recording import CassetteSession
    from .seeding import SimulatorState
    from .session import KrakenFuturesSession
    from .signing import compute_authent


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_krakenfutures' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
