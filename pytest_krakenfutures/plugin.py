"""pytest hooks, options and fixtures of pytest-krakenfutures; every fixture delegates the work."""

from __future__ import annotations

import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import lifecycle, naming, run_state
from ._options import Settings, add_options, register_markers, resolve
from .cassette_memo import prune, used_folder
from .findings import findings

if TYPE_CHECKING:
    from .cassette import KfCassette
    from .contract import ContractChecker
    from .environments import Credentials
    from .recording import CassetteSession
    from .seeding import SimulatorState
    from .simulator import Simulator

settings_key = pytest.StashKey[Settings]()
started_key = pytest.StashKey[float]()
report_key = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the --kf-* options and kf_* ini keys."""
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Resolve and keep the run's settings (a bad value stops the run with a usage error)."""
    register_markers(config)
    settings = resolve(config)
    config.stash[settings_key] = settings
    config.stash[started_key] = time.time()
    if settings.recording:
        lifecycle.terminate_as_interrupt(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put back what the run changed in the process (the SIGTERM handler)."""
    lifecycle.restore_terminate(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests that would share one cassette file, and note the cassettes collected tests own."""
    owned = naming.mark_collisions(config.stash[settings_key].cassette_dir, items)
    if owned:
        findings.add_owned((str(path) for path in owned), (str(path.parent) for path in owned))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Keep each phase's outcome on tests with a cassette, and take the run's secrets out of every report."""
    report = yield
    if naming.uses_cassette(item):
        lifecycle.remember(item, report)
    redaction = sys.modules.get("pytest_krakenfutures.redaction")
    if redaction is not None:
        redaction.redact_report(report)
    return report


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the run with nothing found (an earlier in-process run may have left some)."""
    if hasattr(session.config, "workerinput"):
        return
    run_state.clear()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Prune the parsed cassettes; hand a worker's findings to the controller, which reports and sets the status."""
    config = session.config
    prune(used_folder(config))
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        run_state.export(workeroutput)
        return
    settings = config.stash.get(settings_key, None)
    observed = run_state.observed()
    if settings is None or not (settings.reports or settings.drift_check or observed or findings):
        return
    from .run_summary import finish

    config.stash[report_key] = finished = finish(settings, findings)
    if finished.fails and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the xdist controller, add a finished worker's findings and observations to the run's."""
    run_state.merge(getattr(node, "workeroutput", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """End the run with kept recordings, drift, observations and cassettes worth a look, and the reports."""
    config = terminalreporter.config
    settings = config.stash.get(settings_key, None)
    if settings is None or hasattr(config, "workerinput"):
        return
    sections: list[tuple[str, list[str]]] = []
    if settings.recording or findings:
        from .persister import kept_aside

        kept = kept_aside(settings.cassette_dir, config.stash[started_key])
        sections.append(("krakenfutures: recordings kept beside their cassettes", kept))
    finished = config.stash.get(report_key, None)
    if finished is not None:
        sections += finished.sections(verbose=config.get_verbosity() > 0)
    for title, lines in sections:
        if lines:
            terminalreporter.write_sep("=", title)
            for line in lines:
                terminalreporter.write_line(line)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say in the run's header how cassettes are used."""
    settings = config.stash.get(settings_key, None)
    if settings is None:
        return None
    return settings.describe()


@pytest.fixture(scope="session")
def kf_settings(pytestconfig: pytest.Config) -> Settings:
    """The resolved pytest-krakenfutures settings of this run."""
    return pytestconfig.stash[settings_key]


@pytest.fixture(scope="session")
def kf_simulator(kf_settings: Settings) -> Iterator[Simulator]:
    """The bundled simulator, running on 127.0.0.1 for the whole session."""
    from .local_simulator import running_simulator

    with lifecycle.plain_errors(), running_simulator(kf_settings) as simulator:
        yield simulator


@pytest.fixture
def kf_vcr_config() -> dict[str, Any]:
    """Return vcrpy settings added to every cassette (matchers, filters, hooks, ignored hosts); overridable."""
    return {}


@pytest.fixture
def kf_cassette_path(request: pytest.FixtureRequest, kf_settings: Settings) -> Path:
    """The file of this test's cassette; override it in a conftest to put cassettes elsewhere."""
    item: Any = request.node
    return naming.cassette_path(kf_settings.cassette_dir, item)


@pytest.fixture
def kf_credentials(
    request: pytest.FixtureRequest, kf_settings: Settings, kf_cassette_path: Path, kf_vcr_config: dict[str, Any]
) -> Credentials | None:
    """The key pair this test signs with (the dummy pair in replay; ``None`` live without keys); overridable."""
    from .credentials import credentials_for
    from .plan import plan_of

    with lifecycle.plain_errors():
        plan = plan_of(request.node, kf_settings, Path(kf_cassette_path), kf_vcr_config)
        return credentials_for(kf_settings, sends=plan.sends)


@pytest.fixture
def kf_state(request: pytest.FixtureRequest) -> SimulatorState | None:
    """The simulator state this test starts from, from its ``kf_state`` marker; overridable."""
    from .seeding import from_marker

    with lifecycle.plain_errors():
        return from_marker(request.node)


@pytest.fixture
def kf_cassette(
    request: pytest.FixtureRequest,
    kf_settings: Settings,
    kf_cassette_path: Path,
    kf_vcr_config: dict[str, Any],
    kf_credentials: Credentials | None,
    kf_state: Any,
) -> Iterator[KfCassette]:
    """Activate the test's cassette for every client (requests, urllib3, httpx, aiohttp) until the test ends."""
    from .active_cassette import cassette_for_test
    from .plan import plan_of

    with lifecycle.plain_errors():
        plan = plan_of(request.node, kf_settings, Path(kf_cassette_path), kf_vcr_config)
    with lifecycle.plain_errors(), cassette_for_test(request, kf_settings, plan, kf_credentials, kf_state) as cas:
        yield cas


@pytest.fixture(autouse=True)
def _kf_cassette_marker(request: pytest.FixtureRequest) -> None:
    """Give a test marked ``kf_cassette`` or ``kf_state`` its cassette before any other of its fixtures."""
    node = request.node
    if node.get_closest_marker("kf_cassette") is not None or node.get_closest_marker("kf_state") is not None:
        request.getfixturevalue("kf_cassette")


@pytest.fixture
def kf_base_url(kf_cassette: KfCassette) -> str:
    """Where this test's clients point: the simulator or environment when recording, a replay address otherwise."""
    return kf_cassette.base_url


@pytest.fixture
def kf_session(kf_cassette: KfCassette, kf_credentials: Credentials | None) -> Iterator[CassetteSession]:
    """A signed session whose calls are recorded to, or replayed from, this test's cassette."""
    from .recording import session_for

    with session_for(kf_cassette, kf_credentials) as session:
        yield session


@pytest.fixture
def kf_ccxt_config(kf_base_url: str, kf_credentials: Credentials | None) -> dict[str, Any]:
    """Settings for ``ccxt.krakenfutures(...)`` (sync or async): this test's base URL and key pair."""
    from .clients import ccxt_config

    return ccxt_config(kf_base_url, kf_credentials)


@pytest.fixture
def kf_kraken_sdk_config(kf_base_url: str, kf_credentials: Credentials | None) -> dict[str, Any]:
    """Keyword arguments for python-kraken-sdk's Futures clients: this test's base URL and key pair."""
    from .clients import kraken_sdk_config

    return kraken_sdk_config(kf_base_url, kf_credentials)


@pytest.fixture
def kf_contract(kf_settings: Settings, kf_cassette_path: Path) -> ContractChecker:
    """``assert_contract`` bound to this run's schemas, naming this test's cassette on failure."""
    from .contract import ContractChecker

    return ContractChecker(schema_dir=kf_settings.schema_dir, cassette=Path(kf_cassette_path))
