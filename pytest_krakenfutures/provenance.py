"""The ``provenance`` block of a cassette: when, from where, with which plugin version and simulator state."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ._options import Settings
from ._version import __version__
from .seeding import SimulatorState


def provenance(settings: Settings, state: SimulatorState | None = None) -> dict[str, Any]:
    """Return the provenance block written into a cassette recorded in this run (with the test's state)."""
    deterministic = settings.env == "sim" and settings.simulator_clock is not None
    recorded_at = settings.simulator_clock if deterministic else _now()
    block: dict[str, Any] = {
        "recorded_at": recorded_at,
        "environment": settings.env,
        "plugin_version": __version__,
    }
    if settings.env == "sim":
        block["simulator"] = {"seed": settings.simulator_seed, "clock": settings.simulator_clock}
        if state is not None and state.as_json():
            block["simulator"]["state"] = state.as_json()
    return block


def recorded_state(block: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the simulator state a cassette's provenance says it was recorded from (``None``: not from one)."""
    if not isinstance(block, dict) or block.get("environment") != "sim":
        return None
    simulator = block.get("simulator")
    state = simulator.get("state", {}) if isinstance(simulator, dict) else {}
    return state if isinstance(state, dict) else {}


def _now() -> str:
    """Return the current UTC time in ISO-8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
