"""The bundled simulator behind ``--kf-env=sim``: started once per session, put back to one state per test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ._options import Settings
from .credentials import simulator_credentials
from .environments import Credentials
from .errors import ConfigurationError
from .seeding import SimulatorState, apply

if TYPE_CHECKING:
    from .simulator import Simulator


@contextlib.contextmanager
def running_simulator(settings: Settings) -> Iterator[Simulator]:
    """Start the bundled simulator on 127.0.0.1 for the session and stop it afterwards."""
    from .simulator import Simulator  # werkzeug and the exchange: only when a test records from it

    credentials = simulator_credentials()
    simulator = Simulator(
        api_key=credentials.api_key,
        api_secret=credentials.api_secret,
        seed=settings.simulator_seed,
        clock=settings.simulator_clock,
    )
    with simulator:
        yield simulator


def prepare(
    simulator: Simulator,
    settings: Settings,
    credentials: Credentials | None,
    state: SimulatorState | None,
    test_id: str,
) -> None:
    """Give a test the same starting point as every other: a fresh exchange, its keys known, its state in place.

    The nonces seen are forgotten after the state is put in place, so a test's clients may count
    their nonces in any unit (ccxt sends none, python-kraken-sdk 1e-8 s, this plugin microseconds).
    """
    simulator.reset(seed=settings.simulator_seed, clock=settings.simulator_clock)
    if credentials is not None and credentials.api_key != simulator.api_key:
        try:
            simulator.add_key(credentials.api_key, credentials.api_secret)
        except ValueError as exc:
            raise ConfigurationError(
                f"kf_credentials: {exc}; recording from the simulator needs a key it knows"
            ) from None
    if state is not None:
        apply(state, simulator.base_url, simulator.api_key, simulator.api_secret, test_id)
    simulator.forget_nonces()
