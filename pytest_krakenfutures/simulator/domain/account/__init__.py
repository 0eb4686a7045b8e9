"""The simulated account beside the engine: balances and margin, settings, wallets, fees, notices."""
