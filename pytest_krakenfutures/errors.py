"""Exceptions and warnings of pytest-krakenfutures, all under one root."""

from __future__ import annotations

from typing import Any


class KrakenFuturesError(Exception):
    """Root of every error this package raises."""


class ConfigurationError(KrakenFuturesError, ValueError):
    """A setting, option, environment or credential is wrong; the message says how to fix it."""


class SigningError(KrakenFuturesError, ValueError):
    """A request could not be signed (for example a secret that is not base64)."""


class RedirectRefused(KrakenFuturesError):
    """A signed request was answered with a redirect to another host, which is never followed."""


class CassetteError(KrakenFuturesError):
    """A cassette is missing, malformed, or has no recorded answer for a request."""


class NetworkBlocked(KrakenFuturesError):
    """A test tried to reach a host (connect, DNS lookup or datagram) that the run does not allow."""


class RequestRefused(KrakenFuturesError):
    """A request was refused before a byte was sent: unsafe for the environment without a switch."""


class SecretInCassette(CassetteError):
    """A recording still held a secret after scrubbing, so it was not written."""


class UnknownEndpoint(KrakenFuturesError, KeyError):
    """An endpoint id, or a response's method and URL, that no catalogued endpoint has."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class SchemaNotFound(KrakenFuturesError, LookupError):
    """No schema of that name exists in the user's schema directory or among the bundled ones."""


class ContractUsageError(KrakenFuturesError, TypeError):
    """``assert_contract`` was given something it cannot check (a wrong type of body or outcome)."""


class ContractViolation(KrakenFuturesError, AssertionError):
    """A response broke its contract: wrong envelope, schema violation or unexpected outcome."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        schema_name: str | None = None,
        errors: list[Any] | None = None,
        outcome: str | None = None,
    ) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.schema_name = schema_name
        self.errors: list[Any] = list(errors or [])
        self.outcome = outcome


class Terminated(KeyboardInterrupt):
    """SIGTERM reached a recording run, which stops as Ctrl-C stops it (teardown runs, nothing half-written).

    It derives from ``KeyboardInterrupt`` only, not from the package's root: ``except Exception`` in a
    client library must not swallow it.
    """


class KrakenFuturesWarning(UserWarning):
    """Base of every warning this package emits."""
