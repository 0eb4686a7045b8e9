"""The simulated exchange, with no HTTP in it: its state, order engine, markets, account and records."""
