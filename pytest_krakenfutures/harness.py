"""The work behind the fixtures: credentials, the simulator, provenance, and the per-test recorded session."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pytest

from . import __version__
from ._options import Settings
from .cassette_format import provenance_of
from .context import CassetteContext
from .environments import Credentials, base_url_for, credentials_from_environment, dummy_credentials
from .errors import ConfigurationError
from .findings import findings
from .guard import RequestGuard
from .lifecycle import verdict
from .naming import cassette_path, collision_key
from .network import Fence, fenced
from .recording import CassetteSession, use_cassette
from .redaction import redact_logs, vault
from .scrub import Scrubber

if TYPE_CHECKING:
    from .simulator import Simulator

#: Where a session points in replay against ``sim``: nothing listens there, nothing is sent.
REPLAY_SIM_URL = "http://simulator.invalid"


def simulator_credentials() -> Credentials:
    """Return the credentials the simulator is started with: the environment's, else the dummy pair."""
    return credentials_from_environment() or dummy_credentials()


def credentials_for(settings: Settings) -> Credentials | None:
    """Return the credentials tests sign with: dummy in replay, the simulator's, or the environment's."""
    if not settings.recording:
        credentials: Credentials | None = dummy_credentials()
    elif settings.env == "sim":
        credentials = simulator_credentials()
    else:
        credentials = credentials_from_environment()
    if credentials is not None:
        vault.add_credentials(credentials.api_key, credentials.api_secret)
        redact_logs()
    return credentials


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
    """Return the current UTC time in ISO-8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@contextlib.contextmanager
def session_for_test(request: pytest.FixtureRequest, settings: Settings) -> Iterator[CassetteSession]:
    """Yield the signed session of one test, its calls recorded to or replayed from its cassette."""
    item = request.node
    assert isinstance(item, pytest.Item)
    collision = item.stash.get(collision_key, None)
    if collision is not None:
        raise ConfigurationError(collision)
    path = cassette_path(settings.cassette_dir, item)
    if settings.drift_check and not path.is_file():
        pytest.skip(f"no cassette {path} to compare with: record it first (--kf-record-mode=once)")
    credentials = credentials_for(settings)
    record = f"pytest --kf-record-mode=once --kf-env={settings.env} {item.nodeid}"
    fence: Fence | None
    guard: RequestGuard | None = None
    if not settings.recording:
        base_url = REPLAY_SIM_URL if settings.env == "sim" else base_url_for(settings.env)
        fence = Fence(
            loopback=False,
            reason=f"cassette {path} replays and --kf-record-mode={settings.record_mode} sends nothing; "
            f"to record it: {record}",
        )
    elif settings.env == "sim":
        simulator = request.getfixturevalue("kf_simulator")
        simulator.reset(seed=settings.simulator_seed, clock=settings.simulator_clock)
        base_url = simulator.base_url
        fence = Fence(loopback=True, reason=f"recording {path} from --kf-env=sim reaches only 127.0.0.1")
        guard = _guard(settings, base_url, simulator_url=base_url, credentials=credentials)
    else:
        base_url = base_url_for(settings.env)
        fence = None
        guard = _guard(settings, base_url, simulator_url=None, credentials=credentials)
    context = CassetteContext(
        path=path, record_mode=settings.cassette_mode, env=settings.env, test_id=item.nodeid, guard=guard
    )
    pair = (credentials.api_key, credentials.api_secret) if credentials else None
    scrubber = Scrubber(credentials=pair, fields=settings.scrub_fields)
    session = CassetteSession(
        base_url,
        credentials.api_key if credentials else None,
        credentials.api_secret if credentials else None,
    )
    session.kf_context = context
    session.trust_env = settings.recording
    try:
        with (
            fenced(fence) if fence else contextlib.nullcontext(),
            use_cassette(context, provenance(settings), scrubber, settings.schema_dir),
        ):
            yield session
            context.verdict = verdict(item)
    finally:
        session.close()
    if settings.reports:
        findings.add_test(item.nodeid, str(path), provenance_of(path))


def _guard(
    settings: Settings, env_url: str, *, simulator_url: str | None, credentials: Credentials | None
) -> RequestGuard:
    return RequestGuard(
        env=settings.env,
        env_url=env_url,
        simulator_url=simulator_url,
        allow_trading=settings.allow_trading,
        allow_transfers=settings.allow_transfers,
        has_credentials=credentials is not None,
    )
