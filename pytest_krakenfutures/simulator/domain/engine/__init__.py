"""The order engine: its state, the steps an order goes through, and the cascade that runs them."""
