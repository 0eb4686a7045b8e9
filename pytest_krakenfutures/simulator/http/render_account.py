"""Kraken's JSON of the account API's answers.

Fills, public trades, instrument statuses, settings, assignment preferences, fee schedules,
notifications, the unwind queue, market shares and keys.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.account.account_settings import LeveragePreference, PnlPreference
from ..domain.account.assignment import Assignment, AssignmentChange, Participant
from ..domain.account.fees import FeeSchedule, ScheduleVolume
from ..domain.account.identity import ACCOUNT_UID, IIBAN, KEY_CREATED_AT
from ..domain.account.market_share import MarketShare
from ..domain.account.notices import Notice, QueuePlace
from ..domain.clock import iso_ms
from ..domain.market.market import Contract
from ..domain.market.public_trades import PublicTrade
from ..domain.records.executions import Fill
from .authentication import FULL_ACCESS, ApiKey
from .numbers import number


def fill_json(fill: Fill) -> dict[str, Any]:
    """Return the ``/fills`` entry of an execution of the account."""
    data: dict[str, Any] = {
        "fill_id": fill.uid,
        "symbol": fill.symbol,
        "side": fill.side,
        "order_id": fill.own.order_id,
        "size": number(fill.quantity),
        "price": number(fill.price),
        "fillTime": iso_ms(fill.entry.time),
        "fillType": fill.fill_type,
    }
    if fill.own.cli_ord_id:
        data["cliOrdId"] = fill.own.cli_ord_id
    return data


def public_trade_json(trade: PublicTrade) -> dict[str, Any]:
    """Return the public ``/history`` entry of a trade."""
    return {
        "time": iso_ms(trade.time),
        "trade_id": trade.trade_id,
        "price": number(trade.price),
        "size": number(trade.size),
        "side": trade.side,
        "type": "fill",
        "uid": trade.uid,
    }


def status_json(contract: Contract, dislocation: str | None = None) -> dict[str, Any]:
    """Return the InstrumentStatus of a contract (dislocated only when the control API says so)."""
    return {
        "tradeable": contract.symbol,
        "experiencingDislocation": dislocation is not None,
        "priceDislocationDirection": dislocation,
        "experiencingExtremeVolatility": False,
        "extremeVolatilityInitialMarginMultiplier": 1,
    }


def leverage_json(preference: LeveragePreference) -> dict[str, Any]:
    """Return a ``leveragePreferences`` entry: a contract margined in isolation and its leverage."""
    return {"symbol": preference.symbol, "maxLeverage": number(preference.max_leverage)}


def pnl_json(preference: PnlPreference) -> dict[str, Any]:
    """Return a PnL ``preferences`` entry: the currency a contract's PnL is paid in."""
    return {"symbol": preference.symbol, "pnlCurrency": preference.currency}


def participant_json(participant: Participant) -> dict[str, Any]:
    """Return the AssignmentParticipant shape of a preference."""
    return {
        "contractType": participant.contract_type,
        "contract": participant.contract,
        "maxSize": None if participant.max_size is None else number(participant.max_size),
        "maxPosition": None if participant.max_position is None else number(participant.max_position),
        "acceptLong": participant.accept_long,
        "acceptShort": participant.accept_short,
        "timeFrame": participant.time_frame,
        "enabled": participant.enabled,
    }


def assignment_json(assignment: Assignment) -> dict[str, Any]:
    """Return a preference with its id."""
    return {"id": assignment.ident, "participant": participant_json(assignment.participant)}


def assignment_change_json(change: AssignmentChange) -> dict[str, Any]:
    """Return an assignment-program history entry: whether it was a deletion, the preference, when."""
    return {
        "deleted": change.deleted,
        "participant": participant_json(change.participant),
        "timestamp": iso_ms(change.time),
    }


def fee_schedule_json(schedule: FeeSchedule) -> dict[str, Any]:
    """Return a ``feeSchedules`` entry: uid, name and tiers."""
    tiers = [
        {"makerFee": number(tier.maker_fee), "takerFee": number(tier.taker_fee), "usdVolume": number(tier.usd_volume)}
        for tier in schedule.tiers
    ]
    return {"uid": schedule.uid, "name": schedule.name, "tiers": tiers}


def schedule_volumes_json(volumes: list[ScheduleVolume]) -> dict[str, float]:
    """Return ``volumesByFeeSchedule``: the account's volume by schedule uid."""
    return {volume.uid: number(volume.volume) for volume in volumes}


def notice_json(notice: Notice) -> dict[str, Any]:
    """Return a platform notification (``expectedDowntimeMinutes`` only when it brings downtime)."""
    data: dict[str, Any] = {
        "type": notice.type,
        "priority": notice.priority,
        "note": notice.note,
        "effectiveTime": iso_ms(notice.effective_time),
    }
    if notice.expected_downtime_minutes is not None:
        data["expectedDowntimeMinutes"] = notice.expected_downtime_minutes
    return data


def queue_json(place: QueuePlace) -> dict[str, Any]:
    """Return an unwind-queue entry."""
    return {"symbol": place.symbol, "percentile": place.percentile}


def market_shares_json(shares: list[MarketShare]) -> dict[str, Any]:
    """Return the ``contracts`` of the market-share answer: share, rebate and volume per market."""
    return {
        share.symbol: {
            "marketShare": _plain(share.share, "0.00000001"),
            "usdRebateCredited": _plain(share.rebate, "0.01"),
            "volume": _plain(share.volume, "0.01"),
        }
        for share in shares
    }


def key_json(key: ApiKey) -> dict[str, Any]:
    """Return what the auth API's key check says of a key: its account and permissions."""
    general = "FULL_ACCESS" if key.access == FULL_ACCESS else "READ_ONLY"
    return {
        "apiKey": key.key,
        "accountUid": ACCOUNT_UID,
        "iiban": IIBAN,
        "createdAt": KEY_CREATED_AT,
        "permissions": {"general": general, "transfer": "FULL_ACCESS" if key.withdrawal else "NO_ACCESS"},
    }


def _plain(value: Decimal, places: str) -> str:
    """Return a decimal rounded to ``places`` as a plain string."""
    return format(value.quantize(Decimal(places)), "f")
