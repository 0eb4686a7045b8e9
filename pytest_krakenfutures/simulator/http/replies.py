"""Answers outside the success envelope: Kraken's errors-list refusals and the 404 of an unserved path."""

from __future__ import annotations

import functools
from enum import IntEnum
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .. import errors
from ..domain.clock import iso_ms
from ..errors import ArgumentInvalid, Declined, Refusal
from .calls import Raw

if TYPE_CHECKING:
    from .calls import Call, Handler


class ErrorCode(IntEnum):
    """The numeric codes of the errors-list envelope (facts §3.1)."""

    NOT_FOUND = 0
    ARGUMENT_INVALID = 11
    WOULD_CAUSE_LIQUIDATION = 41
    CONTRACT_DOES_NOT_EXIST = 87
    CONTRACT_NOT_MULTI_COLLATERAL = 88
    CURRENCY_DOES_NOT_EXIST = 89
    CURRENCY_NOT_MULTI_COLLATERAL = 90


#: The code of each reason the domain declines with.
_CODES = {
    errors.WOULD_CAUSE_LIQUIDATION: ErrorCode.WOULD_CAUSE_LIQUIDATION,
    errors.CONTRACT_DOES_NOT_EXIST: ErrorCode.CONTRACT_DOES_NOT_EXIST,
    errors.CONTRACT_NOT_MULTI_COLLATERAL: ErrorCode.CONTRACT_NOT_MULTI_COLLATERAL,
    errors.CURRENCY_DOES_NOT_EXIST: ErrorCode.CURRENCY_DOES_NOT_EXIST,
    errors.CURRENCY_NOT_MULTI_COLLATERAL: ErrorCode.CURRENCY_NOT_MULTI_COLLATERAL,
}


def errors_body(server_time: str, http_status: int, code: int, message: str) -> dict[str, Any]:
    """Return the errors-list envelope, e.g. ``{"status":"BAD_REQUEST",...,"errors":[{"code":11,...}]}``."""
    return {
        "status": HTTPStatus(http_status).name,
        "result": "error",
        "errors": [{"code": int(code), "message": message}],
        "serverTime": server_time,
    }


def refused(call: Call, refusal: Refusal) -> Raw:
    """Return the answer to a refused call."""
    body = errors_body(iso_ms(call.now), refusal.http_status, refusal.code, refusal.message)
    return Raw(body, refusal.http_status)


def refusal_of(declined: Declined) -> Refusal:
    """Return how a declined request is answered: ``400`` with the reason's code (11 for an invalid argument)."""
    code = ErrorCode.ARGUMENT_INVALID if isinstance(declined, ArgumentInvalid) else _CODES[declined.reason]
    return Refusal(400, code, declined.reason)


def guarded(handler: Handler) -> Handler:
    """Wrap a handler so that a ``Refusal`` or ``Declined`` it raises becomes the errors-list answer."""

    @functools.wraps(handler)
    def serve(call: Call) -> Any:
        """Answer the call, or the errors-list refusal the handler raised."""
        try:
            return handler(call)
        except Refusal as refusal:
            return refused(call, refusal)
        except Declined as declined:
            return refused(call, refusal_of(declined))

    return serve


def not_served(call: Call) -> Raw:
    """Answer as futures.kraken.com answers a path it does not serve: the ``404 NOT_FOUND`` envelope."""
    return Raw(errors_body(iso_ms(call.now), 404, ErrorCode.NOT_FOUND, "404 NOT_FOUND"), 404)
