"""One test's cassette, active for the whole test and every client: where it points, what it may send, what it saves."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from ._options import Settings
from .cassette import KfCassette
from .cassette_format import provenance_of
from .cassette_memo import ParsedCassettes, folder_of
from .coexistence import check_network_block
from .context import CassetteContext
from .credentials import protect
from .environments import Credentials, base_url_for
from .errors import CassetteError, ConfigurationError
from .findings import findings
from .guard import RequestGuard
from .lifecycle import terminate_as_interrupt, verdict
from .local_simulator import prepare
from .naming import collision_key
from .network import Fence, fenced
from .plan import CassettePlan
from .provenance import provenance, recorded_state
from .recording import use_cassette
from .scrub import Scrubber
from .seeding import SimulatorState, state_from

#: Where clients point in replay against ``sim``: nothing listens there, nothing is sent.
REPLAY_SIM_URL = "http://simulator.invalid"


@contextlib.contextmanager
def cassette_for_test(
    request: pytest.FixtureRequest,
    settings: Settings,
    plan: CassettePlan,
    credentials: Credentials | None,
    given_state: Any,
) -> Iterator[KfCassette]:
    """Activate a test's cassette for every client vcrpy intercepts until the test ends, then save it."""
    state = state_from(given_state, "kf_state")
    if credentials is not None:
        protect(credentials)
    item = request.node
    assert isinstance(item, pytest.Item)
    collision = item.stash.get(collision_key, None)
    if collision is not None:
        raise ConfigurationError(collision)
    if plan.record_mode == "drift" and not plan.path.is_file():
        pytest.skip(f"no cassette {plan.path} to compare with: record it first (--kf-record-mode=once)")
    base_url, fence, guard = _target(request, settings, plan, credentials, state)
    context = CassetteContext(
        path=plan.path,
        record_mode=plan.record_mode,
        env=plan.env,
        test_id=plan.test_id,
        guard=guard,
        mode_text=plan.mode_text,
        record_command=plan.record_command,
    )
    pair = (credentials.api_key, credentials.api_secret) if credentials else None
    scrubber = Scrubber(credentials=pair, fields=settings.scrub_fields)
    with (
        fenced(fence) if fence else contextlib.nullcontext(),
        use_cassette(
            context,
            provenance(settings, state),
            scrubber,
            settings.schema_dir,
            plan.options,
            ParsedCassettes(folder_of(request.config)),
        ) as cassette,
    ):
        if not plan.sends:
            _check_state(plan, cassette, state)
        cassette.base_url = base_url
        cassette.plan = plan
        yield cassette
        context.verdict = verdict(item)
    if settings.reports:
        findings.add_test(item.nodeid, str(plan.path), provenance_of(plan.path))


def _target(
    request: pytest.FixtureRequest,
    settings: Settings,
    plan: CassettePlan,
    credentials: Credentials | None,
    state: SimulatorState | None,
) -> tuple[str, Fence | None, RequestGuard | None]:
    """Return where the test's clients point, the network fence around them and the guard on what they send."""
    ignored = frozenset(host.lower().rstrip(".") for host in plan.options.ignore_hosts)
    if not plan.sends:
        base_url = REPLAY_SIM_URL if plan.env == "sim" else base_url_for(plan.env)
        reason = f"cassette {plan.path} replays and {plan.mode_text} sends nothing; to record it: {plan.record_command}"
        return base_url, Fence(loopback=False, reason=reason, hosts=ignored), None
    terminate_as_interrupt(request.config)
    if plan.env == "sim":
        simulator = request.getfixturevalue("kf_simulator")
        check_network_block(request, simulator.host, "the bundled simulator")
        prepare(simulator, settings, credentials, state, plan.test_id)
        base_url = simulator.base_url
        fence = Fence(
            loopback=True, reason=f"recording {plan.path} from --kf-env=sim reaches only 127.0.0.1", hosts=ignored
        )
        return base_url, fence, _guard(settings, base_url, simulator_url=base_url, credentials=credentials)
    if state is not None and state.as_json():
        message = (
            f"{plan.test_id} starts from a kf_state, which only the bundled simulator can be put in; it records from "
            f"--kf-env={plan.env}: record it from --kf-env=sim"
        )
        if plan.record_mode == "drift":
            pytest.skip(f"not drift-checked: {message}")
        raise ConfigurationError(message)
    base_url = base_url_for(plan.env)
    check_network_block(request, urlsplit(base_url).hostname or "", f"--kf-env={plan.env}")
    return base_url, None, _guard(settings, base_url, simulator_url=None, credentials=credentials)


def _check_state(plan: CassettePlan, cassette: Any, state: SimulatorState | None) -> None:
    """Refuse to replay a cassette recorded from another simulator state than the test now asks for."""
    recorded = recorded_state(cassette._serializer.loaded_provenance)
    if recorded is None:
        return
    wanted = state.as_json() if state is not None else {}
    if recorded != wanted:
        raise CassetteError(
            f"cassette {plan.path} was recorded from the simulator state {recorded or 'the default'}, and "
            f"{plan.test_id} now starts from {wanted or 'the default'}; its answers would not be this state's. "
            f"Re-record it: {plan.record_command.replace('=once', '=rewrite', 1)}"
        )


def _guard(
    settings: Settings, env_url: str, *, simulator_url: str | None, credentials: Credentials | None
) -> RequestGuard:
    """Return the guard of a recording: the run's switches, its environment, whether it has keys."""
    return RequestGuard(
        env=settings.env,
        env_url=env_url,
        simulator_url=simulator_url,
        allow_trading=settings.allow_trading,
        allow_transfers=settings.allow_transfers,
        has_credentials=credentials is not None,
    )
