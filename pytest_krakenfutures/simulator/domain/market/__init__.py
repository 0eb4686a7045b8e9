"""The simulated market: contracts, books, prices moving, tickers, the past tape, candles and analytics."""
