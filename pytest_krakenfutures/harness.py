"""The work behind the fixtures: cassette paths, the per-test session, the simulator, provenance."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import __version__
from ._options import Settings
from .environments import Credentials, base_url_for, credentials_from_environment, dummy_credentials

if TYPE_CHECKING:
    from .recording import CassetteSession
    from .simulator import Simulator

#: Where a session points in replay against ``sim``: nothing listens there, nothing is sent.
REPLAY_SIM_URL = "http://simulator.invalid"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]=,+]+")


def cassette_path(settings: Settings, item: pytest.Item) -> Path:
    """Return the cassette file of a test: ``<cassette dir>/<module path>/<test name>.yaml``."""
    module = Path(str(item.path)).with_suffix("")
    try:
        relative = module.relative_to(item.config.rootpath)
    except ValueError:
        relative = Path(module.name)
    name = _UNSAFE.sub("_", item.name).strip("_") or "test"
    return settings.cassette_dir / relative / f"{name}.yaml"


def simulator_credentials() -> Credentials:
    """Return the credentials the simulator is started with: the environment's, else the dummy pair."""
    return credentials_from_environment() or dummy_credentials()


def credentials_for(settings: Settings) -> Credentials | None:
    """Return the credentials tests sign with: dummy in replay, the simulator's, or the environment's."""
    if not settings.recording:
        return dummy_credentials()
    if settings.env == "sim":
        return simulator_credentials()
    return credentials_from_environment()


@contextlib.contextmanager
def running_simulator(settings: Settings) -> Iterator[Simulator]:
    """Start the bundled simulator on 127.0.0.1 for the session and stop it afterwards."""
    from .simulator import Simulator

    credentials = simulator_credentials()
    simulator = Simulator(
        api_key=credentials.api_key,
        api_secret=credentials.api_secret,
        seed=settings.simulator_seed,
        clock=settings.simulator_clock,
    )
    with simulator:
        yield simulator


def provenance(settings: Settings) -> dict[str, Any]:
    """Return the provenance block written into every cassette recorded in this run."""
    deterministic = settings.env == "sim" and settings.simulator_clock is not None
    recorded_at = settings.simulator_clock if deterministic else _now()
    block: dict[str, Any] = {
        "recorded_at": recorded_at,
        "environment": settings.env,
        "plugin_version": __version__,
    }
    if settings.env == "sim":
        block["simulator"] = {"seed": settings.simulator_seed, "clock": settings.simulator_clock}
    return block


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@contextlib.contextmanager
def session_for_test(request: pytest.FixtureRequest, settings: Settings) -> Iterator[CassetteSession]:
    """Yield the signed session of one test, its calls recorded to or replayed from its cassette."""
    from .recording import CassetteContext, CassetteSession, is_loopback, network_guard, use_cassette

    item = request.node
    assert isinstance(item, pytest.Item)
    context = CassetteContext(
        path=cassette_path(settings, item),
        record_mode=settings.record_mode,
        env=settings.env,
        test_id=item.nodeid,
        allow_trading=settings.allow_trading,
    )
    guard: contextlib.AbstractContextManager[None]
    credentials = credentials_for(settings)
    if not settings.recording:
        base_url = REPLAY_SIM_URL if settings.env == "sim" else base_url_for(settings.env)
        guard = network_guard(lambda host: False, _replay_hint(settings))
    elif settings.env == "sim":
        simulator = request.getfixturevalue("kf_simulator")
        simulator.reset(seed=settings.simulator_seed, clock=settings.simulator_clock)
        base_url = simulator.base_url
        guard = network_guard(is_loopback, "recording from --kf-env=sim reaches only 127.0.0.1")
    else:
        base_url = base_url_for(settings.env)
        guard = contextlib.nullcontext()
    session = CassetteSession(
        base_url,
        credentials.api_key if credentials else None,
        credentials.api_secret if credentials else None,
    )
    session.kf_context = context
    session.trust_env = settings.recording
    try:
        with guard, use_cassette(context, provenance(settings)):
            yield session
    finally:
        session.close()


def _replay_hint(settings: Settings) -> str:
    return (
        f"--kf-record-mode={settings.record_mode} replays cassettes and sends nothing; "
        f"to reach a server record with --kf-record-mode=once --kf-env={settings.env}"
    )
