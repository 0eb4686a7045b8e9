"""The simulator's errors: how the exchange refuses a request, in Kraken's own words, and the shell's own.

The exchange, its order engine and its back office raise the domain errors, which know nothing
of HTTP; the HTTP shell decides how each is answered (which envelope, which status). The last
three classes are the shell's: refusals it raises itself while reading a request, with the status
they are answered with.
"""

from __future__ import annotations

from ..catalog import HISTORY_POOL

#: Kraken's error words that several parts of the simulator refuse with.
MISSING = "requiredArgumentMissing"
INVALID = "invalidArgument"
NOT_FOUND = "notFound"

#: Kraken's reasons for refusing a settings change.
CONTRACT_DOES_NOT_EXIST = "CONTRACT_DOES_NOT_EXIST"
CONTRACT_NOT_MULTI_COLLATERAL = "CONTRACT_NOT_MULTI_COLLATERAL"
CURRENCY_DOES_NOT_EXIST = "CURRENCY_DOES_NOT_EXIST"
CURRENCY_NOT_MULTI_COLLATERAL = "CURRENCY_NOT_ENABLED_FOR_MULTI_COLLATERAL"
WOULD_CAUSE_LIQUIDATION = "WOULD_CAUSE_LIQUIDATION"

#: The analytics API's error type for an unknown symbol or analytics type (its other types say how a field is wrong).
ANALYTICS_NOT_FOUND = "not_found"


class SimulatorError(Exception):
    """Root of the errors the simulated exchange raises."""


class Refused(SimulatorError):
    """A request refused with one of Kraken's error words (``invalidArgument``, ``insufficientFunds``, ...).

    ``detail`` says more, where the simulator's own control API answers (Kraken's paths never show it).
    """

    def __init__(self, error: str, detail: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.detail = detail


class UnknownMarket(Refused):
    """A ticker or instrument asked for by a symbol the exchange does not list (``notFound``)."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


class Declined(SimulatorError):
    """A request refused with one of Kraken's reasons (``CONTRACT_DOES_NOT_EXIST``, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ArgumentInvalid(Declined):
    """A named argument outside what it may be; the reason names it (``Argument invalid: sort``)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Argument invalid: {name}")
        self.name = name


class ChartsError(SimulatorError):
    """A charts request refused with Kraken's plain-text reason (``Invalid tick type``, ``Invalid from``, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AnalyticsError(SimulatorError):
    """An analytics request refused in the analytics API's validation words.

    ``kind`` is the error type (``missing``, ``enum``, ``int_parsing``, or ``not_found`` for a symbol or
    analytics type that does not exist), ``name`` the field, ``message`` the text, ``value`` what was sent.
    """

    def __init__(self, kind: str, name: str, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.name, self.message, self.value = kind, name, message, value

    @property
    def not_found(self) -> bool:
        """Whether the request named something that does not exist (rather than a malformed field)."""
        return self.kind == ANALYTICS_NOT_FOUND


# -- raised by the HTTP shell, with the status each is answered with ------------------------------


class ApiError(Refused):
    """A refusal the HTTP layer raises itself, answered as ``{"result":"error","error":<code>}``.

    It is answered with ``http_status`` (200 unless told otherwise).
    """

    def __init__(self, code: str, http_status: int = 200, detail: str | None = None) -> None:
        super().__init__(code, detail)
        self.http_status = http_status

    @property
    def code(self) -> str:
        """Kraken's error word."""
        return self.error


API_LIMIT_EXCEEDED = "apiLimitExceeded"


class RateLimited(ApiError):
    """A call its pool cannot pay for; ``retry_after`` is how many seconds until it could."""

    def __init__(self, pool: str, retry_after: int) -> None:
        super().__init__(API_LIMIT_EXCEEDED, 429 if pool == HISTORY_POOL else 200)
        self.pool = pool
        self.retry_after = retry_after


class Refusal(SimulatorError):
    """A request refused with the errors-list envelope: HTTP status, numeric code and message."""

    def __init__(self, http_status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.message = message
