"""The simulator state a test starts from (``@pytest.mark.kf_state``): balances, markets, positions, open orders.

The state is put in place before the test's cassette starts, when the test records from the
bundled simulator: balances and markets through the control API, positions and orders through
the signed API with the simulator's own key. None of it is recorded; the cassette's provenance
says which state it was recorded from, and a replay with another state is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
import requests

from .errors import ConfigurationError
from .session import KrakenFuturesSession

MARKER = "kf_state"
CONTROL = "/simulator/v1"
_KINDS = ("balances", "markets", "positions", "orders")
_TIMEOUT = 10.0


@dataclass(frozen=True)
class SimulatorState:
    """A starting state of the simulator, every value as text.

    Balances are ``{account: {currency: amount}}``, markets ``{symbol: {field: value}}``, positions
    ``{symbol: signed size}``, orders a list of ``sendorder`` fields.
    """

    balances: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    markets: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    positions: tuple[tuple[str, str], ...] = ()
    orders: tuple[tuple[tuple[str, str], ...], ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Return the state as plain JSON (what a cassette's provenance holds), leaving out empty parts."""
        block: dict[str, Any] = {}
        if self.balances:
            block["balances"] = {account: dict(amounts) for account, amounts in self.balances}
        if self.markets:
            block["markets"] = {symbol: dict(fields) for symbol, fields in self.markets}
        if self.positions:
            block["positions"] = dict(self.positions)
        if self.orders:
            block["orders"] = [dict(order) for order in self.orders]
        return block


def state_from(value: Any, source: str) -> SimulatorState | None:
    """Check a state given by the marker or the ``kf_state`` fixture; ``None`` stays none."""
    if value is None or isinstance(value, SimulatorState):
        return value
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{source}: a state is a dict with {', '.join(_KINDS)}, not {type(value).__name__}")
    unknown = sorted(set(value) - set(_KINDS))
    if unknown:
        raise ConfigurationError(f"{source}: {', '.join(unknown)} is not part of a state; use {', '.join(_KINDS)}")
    return SimulatorState(
        balances=_nested(value.get("balances", {}), f"{source} balances", numbers=True),
        markets=_nested(value.get("markets", {}), f"{source} markets", numbers=False),
        positions=tuple(
            (str(symbol), _number(size, f"{source} positions {symbol}"))
            for symbol, size in _mapping(value.get("positions", {}), f"{source} positions").items()
        ),
        orders=tuple(
            _order(order, f"{source} orders[{index}]")
            for index, order in enumerate(_sequence(value.get("orders", []), f"{source} orders"))
        ),
    )


def from_marker(item: pytest.Item) -> SimulatorState | None:
    """Return the state a test's ``kf_state`` marker gives (keyword arguments, or one dict); ``None`` without one."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return None
    source = f"{item.nodeid}: @pytest.mark.kf_state"
    if marker.args:
        if len(marker.args) != 1 or marker.kwargs:
            raise ConfigurationError(f"{source} takes one dict or keyword arguments ({', '.join(_KINDS)})")
        return state_from(marker.args[0], source)
    return state_from(dict(marker.kwargs), source)


def apply(state: SimulatorState, base_url: str, api_key: str, api_secret: str, test_id: str) -> None:
    """Put a state in place on a running simulator; a part it refuses fails with the simulator's reason."""
    source = f"{test_id}: kf_state"
    with requests.Session() as control:
        control.trust_env = False
        for account, amounts in state.balances:
            _control(control, f"{base_url}{CONTROL}/accounts/{account}", dict(amounts), f"{source} balances {account}")
        for symbol, fields in state.markets:
            _control(control, f"{base_url}{CONTROL}/markets/{symbol}", dict(fields), f"{source} markets {symbol}")
    if not (state.positions or state.orders):
        return
    with KrakenFuturesSession(base_url, api_key, api_secret) as session:
        session.trust_env = False
        for symbol, size in state.positions:
            amount = Decimal(size)
            side = "buy" if amount > 0 else "sell"
            order = {"orderType": "mkt", "symbol": symbol, "side": side, "size": str(abs(amount))}
            _order_placed(session, order, f"{source} positions {symbol}")
        for index, fields in enumerate(state.orders):
            _order_placed(session, dict(fields), f"{source} orders[{index}]")
        if state.positions:
            _check_positions(session, dict(state.positions), source)


def _control(session: requests.Session, url: str, data: dict[str, str], source: str) -> None:
    """Send one control-API change and fail with the simulator's message when it is refused."""
    response = session.post(url, data=data, timeout=_TIMEOUT)
    if response.status_code != 200:
        raise ConfigurationError(f"{source}: the simulator refused {data}: {_message(response)}")


def _order_placed(session: KrakenFuturesSession, order: dict[str, str], source: str) -> None:
    """Send one order and fail unless the simulator placed it."""
    response = session.post("sendorder", data=order, timeout=_TIMEOUT)
    try:
        status = response.json().get("sendStatus", {}).get("status")
    except ValueError:
        status = None
    if status != "placed":
        raise ConfigurationError(f"{source}: the order {order} was not placed: {_message(response)}")


def _check_positions(session: KrakenFuturesSession, wanted: dict[str, str], source: str) -> None:
    """Fail unless the open positions are the sizes the state asks for (a book too thin fills less)."""
    positions = session.get("openpositions", timeout=_TIMEOUT).json().get("openPositions", [])
    held = {item["symbol"]: Decimal(str(item["size"])) * (1 if item["side"] == "long" else -1) for item in positions}
    for symbol, size in wanted.items():
        if held.get(symbol, Decimal(0)) != Decimal(size):
            raise ConfigurationError(
                f"{source} positions {symbol}: asked for {size}, the simulator holds {held.get(symbol, 0)} "
                "(the book had too little liquidity at the price protection; ask for less)"
            )


def _message(response: requests.Response) -> str:
    """Return what a refusal says: its JSON message or error, else its status and text."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code} {response.text[:200]}"
    if isinstance(body, dict):
        for key in ("message", "error", "sendStatus"):
            if body.get(key):
                return json.dumps(body[key]) if not isinstance(body[key], str) else body[key]
    return f"HTTP {response.status_code} {response.text[:200]}"


def _mapping(value: Any, source: str) -> Mapping[str, Any]:
    """Check that a part of a state is a dict."""
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{source} must be a dict, not {value!r}")
    return value


def _sequence(value: Any, source: str) -> list[Any]:
    """Check that a part of a state is a list."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise ConfigurationError(f"{source} must be a list of dicts, not {value!r}")
    return list(value)


def _nested(value: Any, source: str, *, numbers: bool) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Check a ``{name: {field: value}}`` part of a state and return it as sorted text pairs."""
    result = []
    for name, fields in sorted(_mapping(value, source).items()):
        inner = _mapping(fields, f"{source} {name}")
        pairs = tuple(
            (str(key), _number(item, f"{source} {name} {key}") if numbers else _text(item, f"{source} {name} {key}"))
            for key, item in sorted(inner.items())
        )
        result.append((str(name), pairs))
    return tuple(result)


def _order(value: Any, source: str) -> tuple[tuple[str, str], ...]:
    """Check one order of a state: ``sendorder`` fields with text or number values."""
    fields = _mapping(value, source)
    for required in ("orderType", "symbol", "side", "size"):
        if required not in fields:
            raise ConfigurationError(f"{source} needs {required} (it is sent as a sendorder)")
    return tuple((str(key), _text(item, f"{source} {key}")) for key, item in fields.items())


def _number(value: Any, source: str) -> str:
    """Check a number of a state (text, int, Decimal or float) and return it as text."""
    if isinstance(value, bool):
        raise ConfigurationError(f"{source} must be a number, not {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ConfigurationError(f"{source} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise ConfigurationError(f"{source} must be a finite number, not {value!r}")
    return str(value)


def _text(value: Any, source: str) -> str:
    """Check a plain value of a state (text, number or bool) and return it as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float, Decimal)):
        return str(value)
    raise ConfigurationError(f"{source} must be text or a number, not {value!r}")
