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
    """Orders of every kind, edits, batches, cancels, the dead man's switch and fills through ccxt's krakenfutures."""
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
    resting = exchange.create_order("BTC/USD:USD", "limit", "buy", 0.01, 1000)
    edited = exchange.edit_order(resting["id"], "BTC/USD:USD", "limit", "buy", 0.02, 1100)
    print(f"  edit: {edited['id'] == resting['id']} amount {edited.get('amount')} price {edited.get('price')}")
    stop = exchange.create_order("BTC/USD:USD", "market", "sell", 0.01, None, {"stopPrice": 80000})
    print(f"  stop order {stop['id']} {stop['status']}; open orders {len(exchange.fetch_open_orders())}")
    batch = exchange.create_orders(
        [
            {"symbol": "BTC/USD:USD", "type": "limit", "side": "buy", "amount": 0.01, "price": 1001},
            {"symbol": "BTC/USD:USD", "type": "limit", "side": "buy", "amount": 0.01, "price": 1002},
        ]
    )
    print(f"  batch: {[order['status'] for order in batch]}")
    print(f"  fetch_order: {exchange.fetch_order(resting['id'])['status']}")
    print(f"  cancel all: {len(exchange.cancel_all_orders())} cancelled; open {len(exchange.fetch_open_orders())}")
    print(f"  dead man's switch: {exchange.cancel_all_orders_after(60_000)['status']}")
    exchange.create_order("BTC/USD:USD", "market", "buy", 0.01)
    print(f"  market order; my trades {len(exchange.fetch_my_trades('BTC/USD:USD'))}")


def check_python_kraken_sdk(base: str) -> None:
    """Wallets, orders, edits, a batch, orders/status, the dead man's switch and fills through python-kraken-sdk."""
    from kraken.futures import Trade, User

    user = User(key=KEY, secret=SECRET, url=base)
    trade = Trade(key=KEY, secret=SECRET, url=base)
    print(f"python-kraken-sdk: accounts {sorted(user.get_wallets()['accounts'])}")
    status = trade.create_order(orderType="lmt", side="buy", size=0.01, limitPrice=1000, symbol="PF_XBTUSD")
    sent = status["sendStatus"]
    print(f"  limit order {sent['order_id']} {sent['status']}; open orders {len(user.get_open_orders()['openOrders'])}")
    print(f"  cancel: {trade.cancel_order(order_id=sent['order_id'])['cancelStatus']['status']}")
    resting = trade.create_order(orderType="lmt", side="buy", size=0.01, limitPrice=1000, symbol="PF_XBTUSD")
    order_id = resting["sendStatus"]["order_id"]
    print(f"  edit: {trade.edit_order(orderId=order_id, limitPrice=1100)['editStatus']['status']}")
    batch = trade.create_batch_order(
        batchorder_list=[
            {
                "order": "send",
                "order_tag": "1",
                "orderType": "lmt",
                "symbol": "PF_XBTUSD",
                "side": "buy",
                "size": 0.01,
                "limitPrice": 1001,
            },
            {"order": "cancel", "order_id": order_id},
        ]
    )
    print(f"  batch: {[item['status'] for item in batch['batchStatus']]}")
    statuses = trade.get_orders_status(orderIds=[order_id])["orders"]
    print(f"  orders/status: {[item['status'] for item in statuses]}")
    print(f"  dead man's switch: {trade.dead_mans_switch(timeout=60)['status']}")
    print(f"  cancel all: {trade.cancel_all_orders()['cancelStatus']['status']}")
    print(f"  fills: {len(trade.get_fills()['fills'])}")


def main() -> int:
    """Start a simulator on 127.0.0.1 and run both checks against it."""
    with Simulator(api_key=KEY, api_secret=SECRET) as simulator:
        print(f"simulator at {simulator.base_url}")
        check_ccxt(simulator.base_url)
        check_python_kraken_sdk(simulator.base_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
