"""The account log: the journal's ledger entries and the back office's movements, as JSON and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..account.identity import decimal, decimal_string, derived_uuid, epoch_ms, field, float_or_none
from ..account.wallets import FLEX, LedgerLine
from ..clock import iso_ms
from . import journal as kinds
from .journal import NOTHING_FORGOTTEN, Entry, Forgotten

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
INFO_TYPES = (
    "futures trade",
    "futures liquidation",
    "futures assignor",
    "futures assignee",
    "futures unwind counterparty",
    "futures unwind bankrupt",
    "covered liquidation",
    "funding rate change",
    "conversion",
    "interest payment",
    "transfer",
    "cross-exchange transfer",
    "kfee applied",
    "subaccount transfer",
    "settlement",
    "admin transfer",
    "tax withheld",
    "tax refund",
)


@dataclass(frozen=True)
class LogLine:
    """One account-log line with its id (from 1, oldest first) and its values."""

    id: int
    time: datetime
    values: Mapping[str, Any]

    @property
    def timestamp(self) -> int:
        """The line's time in epoch ms."""
        return epoch_ms(self.time)

    def json(self, conversion_details: bool = False) -> dict[str, Any]:
        """Return the AccountLogEntry shape."""
        v = self.values
        wallet = str(v["margin_account"])
        asset = str(v["asset"]).lower()
        entry: dict[str, Any] = {
            "asset": asset,
            "booking_uid": derived_uuid("booking", v["origin"]),
            "collateral": asset.upper() if wallet == FLEX else None,
            "contract": v["contract"],
            "date": iso_ms(self.time),
            "execution": v["execution"],
            "fee": float_or_none(v["fee"]),
            "funding_rate": float_or_none(v["funding_rate"]),
            "id": self.id,
            "info": v["info"],
            "margin_account": wallet,
            "mark_price": float_or_none(v["mark_price"]),
            "new_average_entry_price": float_or_none(v["new_average_entry_price"]),
            "new_balance": float_or_none(v["new_balance"]) or 0.0,
            "old_average_entry_price": float_or_none(v["old_average_entry_price"]),
            "old_balance": float_or_none(v["old_balance"]) or 0.0,
            "realized_funding": float_or_none(v["realized_funding"]),
            "realized_pnl": float_or_none(v["realized_pnl"]),
            "trade_price": float_or_none(v["trade_price"]),
            "conversion_spread_percentage": None,
            "liquidation_fee": float_or_none(v.get("liquidation_fee")),
        }
        if conversion_details and v["info"] == "conversion":
            entry.update({"exchange_rate": 1.0, "conversion_fee": 0.0, "exchange_rate_from": asset.upper()})
        return entry

    def row(self, conversion_details: bool = False) -> list[str]:
        """Return the CSV row of this line."""
        v = self.values
        asset = str(v["asset"]).lower()
        wallet = str(v["margin_account"])
        cells = [
            derived_uuid("booking", v["origin"]),
            self.time.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            wallet,
            str(v["info"]),
            asset,
            v["contract"] or "",
            _cell(v["change"]),
            _cell(v["new_balance"]),
            _cell(v["new_average_entry_price"]),
            _cell(v["realized_pnl"]),
            _cell(v["fee"]),
            wallet,
            _cell(v["trade_price"]),
            _cell(v["mark_price"]),
            _cell(v["funding_rate"]),
            _cell(v["realized_funding"]),
            asset.upper() if wallet == FLEX else "",
            "",
            _cell(v.get("liquidation_fee")),
        ]
        if conversion_details:
            cells += ["", "", ""]
        return cells


def _cell(value: Any) -> str:
    """Return a CSV cell of a decimal value: plain digits, or empty when there is none."""
    return "" if decimal(value) is None else decimal_string(value)


def journal_values(entry: Entry) -> dict[str, Any]:
    """Return the values of a ledger entry written by the order engine."""
    data = entry.data
    contract = field(data, "contract", "symbol")
    old_balance = decimal(field(data, "old_balance", "oldBalance"))
    new_balance = decimal(field(data, "new_balance", "newBalance"))
    change = decimal(field(data, "change"))
    if change is None and old_balance is not None and new_balance is not None:
        change = new_balance - old_balance
    return {
        "origin": f"journal:{entry.seq}",
        "asset": str(field(data, "asset", default="usd")),
        "info": str(field(data, "info", default="futures trade")),
        "margin_account": str(field(data, "margin_account", "marginAccount", default=FLEX)),
        "contract": None if contract is None else str(contract).lower(),
        "execution": None if field(data, "execution") is None else str(field(data, "execution")),
        "change": change,
        "old_balance": old_balance,
        "new_balance": new_balance,
        "fee": field(data, "fee"),
        "funding_rate": field(data, "funding_rate", "fundingRate"),
        "mark_price": field(data, "mark_price", "markPrice"),
        "trade_price": field(data, "trade_price", "tradePrice"),
        "realized_pnl": field(data, "realized_pnl", "realizedPnl"),
        "realized_funding": field(data, "realized_funding", "realizedFunding"),
        "old_average_entry_price": field(data, "old_average_entry_price", "old_average_price"),
        "new_average_entry_price": field(data, "new_average_entry_price", "new_average_price"),
        "liquidation_fee": field(data, "liquidation_fee"),
    }


def movement_values(line: LedgerLine, index: int) -> dict[str, Any]:
    """Return the values of a movement written by the back office (a transfer or withdrawal)."""
    return {
        "origin": f"movement:{index}",
        "asset": line.asset,
        "info": line.info,
        "margin_account": line.wallet,
        "contract": None,
        "execution": line.reference,
        "change": line.change,
        "old_balance": line.old_balance,
        "new_balance": line.new_balance,
        "fee": None,
        "funding_rate": None,
        "mark_price": None,
        "trade_price": None,
        "realized_pnl": None,
        "realized_funding": None,
        "old_average_entry_price": None,
        "new_average_entry_price": None,
    }


def account_log(
    entries: Iterable[Entry],
    movements: Iterable[LedgerLine],
    forgotten_entries: Forgotten = NOTHING_FORGOTTEN,
    forgotten_movements: Forgotten = NOTHING_FORGOTTEN,
) -> list[LogLine]:
    """Return the account-log lines still known, oldest first, numbered from 1 as if none was forgotten.

    Ledger entries (by journal sequence) and movements (after the journal entries before them)
    merge in the order they were written. When either has forgotten lines, the log starts
    after the newest forgotten one, and lines keep the numbers they had.
    """
    keyed: list[tuple[tuple[int, int, int], datetime, dict[str, Any]]] = []
    for entry in entries:
        if entry.kind == kinds.LEDGER:
            keyed.append(((entry.seq, 0, 0), entry.time, journal_values(entry)))
    for line in movements:
        keyed.append(((line.after, 1, line.index), line.time, movement_values(line, line.index)))
    keyed.sort(key=lambda item: item[0])
    horizon = (-1, 0, 0)
    if forgotten_entries.count:
        horizon = max(horizon, (forgotten_entries.newest, 0, 0))
    if forgotten_movements.count:
        horizon = max(horizon, (forgotten_movements.newest, 1, forgotten_movements.count - 1))
    skipped = sum(1 for key, _, _ in keyed if key <= horizon)
    first = forgotten_entries.count + forgotten_movements.count + skipped + 1
    return [LogLine(number, time, values) for number, (_, time, values) in enumerate(keyed[skipped:], start=first)]


def csv_text(lines: Sequence[LogLine], conversion_details: bool = False) -> str:
    """Return the CSV export: a header row, then the most recent lines first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (CONVERSION_COLUMNS if conversion_details else ()))
    for line in list(reversed(lines))[:CSV_ROWS]:
        writer.writerow(line.row(conversion_details))
    return buffer.getvalue()
