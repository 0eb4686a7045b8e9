"""Request parameters: merged query and form values, typed readers, and the sendorder and editorder readers."""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qsl

from ..domain.clock import parse_start
from ..domain.order_requests import EditRequest, OrderRequest
from ..errors import INVALID, MISSING, ApiError

#: Order types ``sendorder`` accepts; ``mkt`` is an IOC with price protection, ``fok`` fills whole or not at all.
SUPPORTED_ORDER_TYPES = ("lmt", "post", "ioc", "mkt", "fok", "stp", "take_profit", "trailing_stop")
LIMIT_ORDER_TYPES = ("lmt", "post", "ioc", "fok")
SIDES = ("buy", "sell")
TRIGGER_SIGNALS = {"mark": "mark", "last": "last", "index": "index", "spot": "index"}
DEVIATION_UNITS = ("PERCENT", "QUOTE_CURRENCY")
QTY_MODES = ("RELATIVE", "ABSOLUTE")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class Params:
    """The parameters of one request: query string values, then form body values (the body wins)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._values: dict[str, list[str]] = {}
        for key, value in pairs:
            if value != "":
                self._values.setdefault(key, []).append(value)

    @classmethod
    def parse(cls, query: str, body: str | None) -> Params:
        """Merge a raw query string and an optional raw form body."""
        pairs = fields_of(query)
        if body:
            pairs += fields_of(body)
        return cls(pairs)

    def get(self, name: str) -> str | None:
        """Return the last non-empty value of a parameter, or ``None``."""
        values = self._values.get(name)
        return values[-1] if values else None

    def getlist(self, name: str) -> list[str]:
        """Return every non-empty value of a parameter, in order."""
        return list(self._values.get(name, ()))

    def names(self) -> list[str]:
        """Return the name of every parameter given (empty ones too), once each, in order."""
        return list(dict.fromkeys(key for key, _ in self._pairs))

    def required(self, name: str) -> str:
        """Return a parameter that must be present, else fail with ``requiredArgumentMissing``."""
        value = self.get(name)
        if value is None:
            raise ApiError(MISSING)
        return value

    def decimal(self, name: str) -> Decimal | None:
        """Return a numeric parameter, ``None`` if absent; a non-number fails with ``invalidArgument``."""
        value = self.get(name)
        return None if value is None else _number(value)

    def boolean(self, name: str, default: bool = False) -> bool:
        """Return a ``true``/``false`` parameter; anything else fails with ``invalidArgument``."""
        value = self.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise ApiError(INVALID)
        return lowered == "true"

    def time(self, name: str) -> datetime | None:
        """Return an ISO-8601 time parameter, ``None`` if absent; a bad time fails with ``invalidArgument``."""
        value = self.get(name)
        if value is None:
            return None
        try:
            return parse_start(value)
        except ValueError:
            raise ApiError(INVALID) from None


def fields_of(text: str) -> list[tuple[str, str]]:
    """Split a query string or form body into (name, value) as ``parse_qsl(keep_blank_values=True)`` does.

    Without an escape (``%``) or a ``+`` there is nothing to decode, and the fields are split directly.
    """
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    return [(name, value) for name, _, value in (field.partition("=") for field in text.split("&") if field)]


def order_request(params: Params) -> OrderRequest:
    """Read a ``sendorder`` request: missing arguments first, then malformed ones."""
    order_type, symbol, side, size_text = (params.required(n) for n in ("orderType", "symbol", "side", "size"))
    order_type, side = order_type.strip().lower(), side.strip().lower()
    if order_type not in SUPPORTED_ORDER_TYPES or side not in SIDES:
        raise ApiError(INVALID)
    size = _number(size_text)
    limit_price = params.decimal("limitPrice")
    stop_price = params.decimal("stopPrice")
    max_deviation = params.decimal("trailingStopMaxDeviation")
    unit = params.get("trailingStopDeviationUnit")
    signal = (params.get("triggerSignal") or "mark").strip().lower()
    if signal not in TRIGGER_SIGNALS or (unit is not None and unit.upper() not in DEVIATION_UNITS):
        raise ApiError(INVALID)
    if order_type in LIMIT_ORDER_TYPES and limit_price is None:
        raise ApiError(MISSING)
    if order_type in ("stp", "take_profit") and stop_price is None:
        raise ApiError(MISSING)
    if order_type == "trailing_stop" and max_deviation is None:
        raise ApiError(MISSING)
    return OrderRequest(
        order_type=order_type,
        symbol=symbol.strip(),
        side=side,
        size=size,
        limit_price=None if order_type in ("mkt", "trailing_stop") else limit_price,
        cli_ord_id=params.get("cliOrdId"),
        reduce_only=params.boolean("reduceOnly"),
        process_before=params.time("processBefore"),
        stop_price=stop_price if order_type in ("stp", "take_profit") else None,
        trigger_signal=TRIGGER_SIGNALS[signal],
        max_deviation=max_deviation if order_type == "trailing_stop" else None,
        deviation_unit=(unit or "PERCENT").upper() if order_type == "trailing_stop" else None,
    )


def edit_request(params: Params, order_id_name: str = "orderId") -> EditRequest:
    """Read an ``editorder`` request (``orderId`` there, ``order_id`` in a batch)."""
    order_id, cli_ord_id = params.get(order_id_name), params.get("cliOrdId")
    if order_id is None and cli_ord_id is None:
        raise ApiError(MISSING)
    unit = params.get("trailingStopDeviationUnit")
    qty_mode = (params.get("qtyMode") or "RELATIVE").strip().upper()
    if qty_mode not in QTY_MODES or (unit is not None and unit.upper() not in DEVIATION_UNITS):
        raise ApiError(INVALID)
    return EditRequest(
        order_id=order_id,
        cli_ord_id=cli_ord_id if order_id is None else None,
        size=params.decimal("size"),
        limit_price=params.decimal("limitPrice"),
        stop_price=params.decimal("stopPrice"),
        max_deviation=params.decimal("trailingStopMaxDeviation"),
        deviation_unit=None if unit is None else unit.upper(),
        qty_mode=qty_mode,
        process_before=params.time("processBefore"),
    )


def batch_size(params: Params) -> int:
    """Return how many instructions a ``batchorder`` carries (0 when its ``json`` is unreadable)."""
    try:
        document = json.loads(params.get("json") or "")
    except ValueError:
        return 0
    instructions = document.get("batchOrder") if isinstance(document, dict) else None
    return len(instructions) if isinstance(instructions, list) else 0


#: The largest magnitude (a power of ten) and the most decimal places a numeric parameter may have.
MAX_MAGNITUDE = 15
MAX_DECIMALS = 18


def _number(value: str) -> Decimal:
    """Return a decimal number; anything else (``NaN``, ``1_000``, words, ``1e300``) fails with ``invalidArgument``."""
    text = value.strip()
    if len(text) > 64 or not _NUMBER.fullmatch(text):
        raise ApiError(INVALID)
    number = Decimal(text)
    if not number:
        return Decimal(0)
    exponent = number.as_tuple().exponent
    if number.adjusted() > MAX_MAGNITUDE or (isinstance(exponent, int) and exponent < -MAX_DECIMALS):
        raise ApiError(INVALID)
    return number
