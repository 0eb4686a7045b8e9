"""Kraken's shapes of the account log: the AccountLogEntry JSON and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timezone
from decimal import Decimal
from typing import Any

from ..domain.account.identity import derived_uuid
from ..domain.account.wallets import FLEX
from ..domain.clock import iso_ms
from ..domain.records.ledger import LogLine
from .numbers import decimal_string, float_or_none

#: The most rows the CSV export holds.
CSV_ROWS = 500_000
CSV_COLUMNS = (
    "uid",
    "dateTime",
    "account",
    "type",
    "symbol",
    "contract",
    "change",
    "new balance",
    "new average entry price",
    "realized pnl",
    "fee",
    "margin account",
    "trade price",
    "mark price",
    "funding rate",
    "realized funding",
    "collateral",
    "conversion spread percentage",
    "liquidation fee",
)
CONVERSION_COLUMNS = ("exchange rate", "exchange rate from", "conversion fee")


def log_line_json(line: LogLine, conversion_details: bool = False) -> dict[str, Any]:
    """Return the AccountLogEntry shape of a line."""
    b = line.booking.ledger
    wallet = b.margin_account
    asset = b.asset.lower()
    entry: dict[str, Any] = {
        "asset": asset,
        "booking_uid": derived_uuid("booking", line.booking.origin),
        "collateral": asset.upper() if wallet == FLEX else None,
        "contract": b.contract,
        "date": iso_ms(line.time),
        "execution": b.execution,
        "fee": float_or_none(b.fee),
        "funding_rate": float_or_none(b.funding_rate),
        "id": line.id,
        "info": b.info,
        "margin_account": wallet,
        "mark_price": float_or_none(b.mark_price),
        "new_average_entry_price": float_or_none(b.new_average_entry_price),
        "new_balance": float_or_none(b.new_balance) or 0.0,
        "old_average_entry_price": float_or_none(b.old_average_entry_price),
        "old_balance": float_or_none(b.old_balance) or 0.0,
        "realized_funding": float_or_none(b.realized_funding),
        "realized_pnl": float_or_none(b.realized_pnl),
        "trade_price": float_or_none(b.trade_price),
        "conversion_spread_percentage": None,
        "liquidation_fee": float_or_none(b.liquidation_fee),
    }
    if conversion_details and b.info == "conversion":
        entry.update({"exchange_rate": 1.0, "conversion_fee": 0.0, "exchange_rate_from": asset.upper()})
    return entry


def log_line_row(line: LogLine, conversion_details: bool = False) -> list[str]:
    """Return the CSV row of a line."""
    b = line.booking.ledger
    asset = b.asset.lower()
    wallet = b.margin_account
    cells = [
        derived_uuid("booking", line.booking.origin),
        line.time.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        wallet,
        b.info,
        asset,
        b.contract or "",
        _cell(b.change),
        _cell(b.new_balance),
        _cell(b.new_average_entry_price),
        _cell(b.realized_pnl),
        _cell(b.fee),
        wallet,
        _cell(b.trade_price),
        _cell(b.mark_price),
        _cell(b.funding_rate),
        _cell(b.realized_funding),
        asset.upper() if wallet == FLEX else "",
        "",
        _cell(b.liquidation_fee),
    ]
    if conversion_details:
        cells += ["", "", ""]
    return cells


def _cell(value: Decimal | None) -> str:
    """Return a CSV cell of a decimal value: plain digits, or empty when there is none."""
    return "" if value is None else decimal_string(value)


def csv_text(lines: Sequence[LogLine], conversion_details: bool = False) -> str:
    """Return the CSV export: a header row, then the most recent lines first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (CONVERSION_COLUMNS if conversion_details else ()))
    for line in list(reversed(lines))[:CSV_ROWS]:
        writer.writerow(log_line_row(line, conversion_details))
    return buffer.getvalue()
