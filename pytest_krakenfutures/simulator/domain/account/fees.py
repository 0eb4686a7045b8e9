"""The fee schedules (deprecated by Kraken on 2026-06-22, still answered) and the account's volumes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ..market.market import FLEX_FEE_SCHEDULE, INVERSE_FEE_SCHEDULE, Contract
from ..records.executions import Fill, trade_usd_value


@dataclass(frozen=True)
class FeeTier:
    """One fee tier: the 30-day USD volume it starts at, and the maker and taker fee in percent."""

    usd_volume: Decimal
    maker_fee: Decimal
    taker_fee: Decimal


@dataclass(frozen=True)
class FeeSchedule:
    """A fee schedule the instruments refer to: its uid, its name and its tiers."""

    uid: str
    name: str
    tiers: tuple[FeeTier, ...]


@dataclass(frozen=True)
class ScheduleVolume:
    """The account's 30-day USD volume in the contracts of one fee schedule."""

    uid: str
    volume: Decimal


#: Fee tiers: minimum 30-day USD volume, maker and taker fee in percent.
TIERS = tuple(
    FeeTier(Decimal(volume), Decimal(maker), Decimal(taker))
    for volume, maker, taker in (
        (0, "0.02", "0.05"),
        (100_000, "0.015", "0.04"),
        (1_000_000, "0.0125", "0.03"),
        (5_000_000, "0.01", "0.025"),
        (10_000_000, "0.0075", "0.02"),
        (20_000_000, "0.005", "0.015"),
        (50_000_000, "0.0025", "0.0125"),
        (100_000_000, "0", "0.01"),
    )
)
#: The schedule of multi-collateral (flex) contracts and that of inverse contracts.
FLEX_SCHEDULE = FeeSchedule(FLEX_FEE_SCHEDULE, "Multi-collateral futures fees", TIERS)
INVERSE_SCHEDULE = FeeSchedule(INVERSE_FEE_SCHEDULE, "Inverse futures fees", TIERS)
VOLUME_WINDOW = timedelta(days=30)


def schedule_of(contract: Contract) -> FeeSchedule:
    """Return the fee schedule a contract's trades are charged under."""
    return INVERSE_SCHEDULE if contract.fee_schedule_uid == INVERSE_FEE_SCHEDULE else FLEX_SCHEDULE


def fee_schedules(contracts: Iterable[Contract]) -> list[FeeSchedule]:
    """Return every schedule the contracts refer to, by uid."""
    found = {schedule.uid: schedule for schedule in map(schedule_of, contracts)}
    return [found[uid] for uid in sorted(found)]


def schedule_volumes(
    contracts: Iterable[Contract],
    fills: Iterable[Fill],
    contract_of: Callable[[str], Contract | None],
    now: datetime,
) -> list[ScheduleVolume]:
    """Return the account's 30-day USD volume per fee schedule, by uid."""
    uids = {contract.symbol: schedule_of(contract).uid for contract in contracts}
    volumes = {uid: Decimal(0) for uid in sorted(set(uids.values()))}
    for fill in fills:
        if fill.entry.time < now - VOLUME_WINDOW or fill.symbol not in uids:
            continue
        volumes[uids[fill.symbol]] += trade_usd_value(contract_of(fill.symbol), fill.quantity, fill.price)
    return [ScheduleVolume(uid, volume) for uid, volume in volumes.items()]
