"""What the exchange remembers: its journal, and the history and account log read from it."""
