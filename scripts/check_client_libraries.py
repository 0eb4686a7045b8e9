"""Drive ccxt and python-kraken-sdk against the bundled simulator and print what each call returned.

Usage: pip install ccxt python-kraken-sdk && python scripts/check_client_libraries.py

Neither library is a dependency of the plugin; this script shows that both talk to the
simulator as they talk to Kraken (signing, nonces, envelopes, order round trips).
"""

from __future__ import annotations

import base64

from pytest_krakenfutures.simulator import Simulator

KEY = "client-check-key"
SECRET = base64.b64encode(b"client-check-secret-value").decode()


def check_ccxt(base: str) -> None:
    """Balance, ticker, a limit order, the open orders and a cancel through ccxt's krakenfutures."""
    import ccxt

    exchange = ccxt.krakenfutures({"apiKey": KEY, "secret": SECRET})
    exchange.urls["api"] = {
        "public": f"{base}/derivatives/api/",
        "private": f"{base}/derivatives/api/",
        "charts": f"{base}/api/charts/",
        "history": f"{base}/api/history/",
        "feeschedules": f"{base}/api/feeschedules/",
    }
    print(f"ccxt {ccxt.__version__}: balance USD {exchange.fetch_balance().get('USD')}")
    print(f"  ticker BTC/USD:USD last {exchange.fetch_ticker('BTC/USD:USD')['last']}")
    order = exchange.create_order("BTC/USD:USD", "limit", "buy", 0.01, 1000)
    print(f"  limit order {order['id']} {order['status']}; open orders {len(exchange.fetch_open_orders())}")
    print(f"  cancel: {exchange.cancel_order(order['id'])['status']}")


def check_python_kraken_sdk(base: str) -> None:
    """Wallets, a limit order, the open orders and a cancel through python-kraken-sdk's Futures clients."""
    from kraken.futures import Trade, User

    user = User(key=KEY, secret=SECRET, url=base)
    trade = Trade(key=KEY, secret=SECRET, url=base)
    print(f"python-kraken-sdk: accounts {sorted(user.get_wallets()['accounts'])}")
    status = trade.create_order(orderType="lmt", side="buy", size=0.01, limitPrice=1000, symbol="PF_XBTUSD")
    sent = status["sendStatus"]
    print(f"  limit order {sent['order_id']} {sent['status']}; open orders {len(user.get_open_orders()['openOrders'])}")
    print(f"  cancel: {trade.cancel_order(order_id=sent['order_id'])['cancelStatus']['status']}")


def main() -> int:
    """Start a simulator on 127.0.0.1 and run both checks against it."""
    with Simulator(api_key=KEY, api_secret=SECRET) as simulator:
        print(f"simulator at {simulator.base_url}")
        check_ccxt(simulator.base_url)
        check_python_kraken_sdk(simulator.base_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
