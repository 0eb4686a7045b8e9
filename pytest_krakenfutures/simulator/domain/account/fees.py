"""The fee schedules (deprecated by Kraken on 2026-06-22, still answered) and the account's volumes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..market.market import Contract, number
from ..records.executions import Fill, trade_usd_value

#: Fee tiers: minimum 30-day USD volume, maker and taker fee in percent.
TIERS = (
    (0, "0.02", "0.05"),
    (100_000, "0.015", "0.04"),
    (1_000_000, "0.0125", "0.03"),
    (5_000_000, "0.01", "0.025"),
    (10_000_000, "0.0075", "0.02"),
    (20_000_000, "0.005", "0.015"),
    (50_000_000, "0.0025", "0.0125"),
    (100_000_000, "0", "0.01"),
)
VOLUME_WINDOW = timedelta(days=30)


def schedule_uids(instruments: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Return the fee schedule of each contract, by symbol."""
    return {str(i["symbol"]): str(i["feeScheduleUid"]) for i in instruments if i.get("feeScheduleUid")}


def fee_schedules(instruments: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return ``feeSchedules``: every schedule the instruments refer to, with the tiers."""
    listed = list(instruments)
    names: dict[str, str] = {}
    for instrument in listed:
        uid = instrument.get("feeScheduleUid")
        if uid and uid not in names:
            inverse = instrument.get("type") == "futures_inverse"
            names[str(uid)] = "Inverse futures fees" if inverse else "Multi-collateral futures fees"
    tiers = [
        {"makerFee": number(Decimal(maker)), "takerFee": number(Decimal(taker)), "usdVolume": float(volume)}
        for volume, maker, taker in TIERS
    ]
    return [{"uid": uid, "name": name, "tiers": tiers} for uid, name in sorted(names.items())]


def schedule_volumes(
    instruments: Iterable[Mapping[str, Any]],
    fills: Iterable[Fill],
    contract_of: Callable[[str], Contract | None],
    now: datetime,
) -> dict[str, float]:
    """Return ``volumesByFeeSchedule``: the account's 30-day USD volume per fee schedule."""
    uids = schedule_uids(instruments)
    volumes = {uid: Decimal(0) for uid in sorted(set(uids.values()))}
    for fill in fills:
        if fill.entry.time < now - VOLUME_WINDOW or fill.symbol not in uids:
            continue
        volumes[uids[fill.symbol]] += trade_usd_value(contract_of(fill.symbol), fill.quantity, fill.price)
    return {uid: number(volume) for uid, volume in volumes.items()}
