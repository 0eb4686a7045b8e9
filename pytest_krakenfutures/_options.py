"""Option names, parsers and the resolved settings of a run (CLI over ini over defaults)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .environments import check_env
from .errors import ConfigurationError
from .schemas import check_dir

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
DRIFT_FAIL = ("breaking", "warning", "never")
#: Report formats, by file extension (``--kf-report``, ``python -m pytest_krakenfutures.drift --report``).
REPORT_FORMATS = (".json", ".md", ".html")
DEFAULT_RECORD_MODE = "none"
DEFAULT_ENV = "sim"
DEFAULT_CASSETTE_DIR = "cassettes"


@dataclass(frozen=True)
class Settings:
    """Everything the fixtures need to know about this run; plain values only (xdist-safe)."""

    record_mode: str = DEFAULT_RECORD_MODE
    #: What set ``record_mode``: ``--kf-record-mode``, the ``kf_record_mode`` ini key, or the default.
    record_mode_source: str = "the default"
    env: str = DEFAULT_ENV
    cassette_dir: Path = Path(DEFAULT_CASSETTE_DIR)
    schema_dir: str | None = None
    allow_trading: bool = False
    allow_transfers: bool = False
    scrub_fields: tuple[str, ...] = ()
    simulator_seed: int | None = None
    simulator_clock: str | None = None
    drift_check: bool = False
    drift_fail: str = "breaking"
    reports: tuple[Path, ...] = ()
    max_age_days: float | None = None
    propose_dir: Path | None = None

    @property
    def recording(self) -> bool:
        """Whether requests may reach a server (any record mode but ``none``, or a drift check)."""
        return self.record_mode != "none" or self.drift_check

    @property
    def cassette_mode(self) -> str:
        """How cassettes are used: a record mode, or ``drift`` (send everything, compare, write nothing)."""
        return "drift" if self.drift_check else self.record_mode

    def describe(self) -> str:
        """Say in one line how cassettes are used and, outside the simulator, what may be sent."""
        mode = "replay only" if not self.recording else f"recording from {self.env}"
        if self.drift_check:
            mode = f"drift check against {self.env}, nothing overwritten"
        if self.recording and self.env != "sim":
            if not self.allow_trading:
                mode += "; read-only calls only (--kf-allow-trading allows orders)"
            elif not self.allow_transfers:
                mode += "; orders allowed, withdrawals and transfers refused (--kf-allow-transfers)"
            else:
                mode += "; orders, withdrawals and transfers allowed"
        label = "drift check" if self.drift_check else f"record mode {self.record_mode}"
        return f"krakenfutures: {label} ({mode}), cassettes in {self.cassette_dir}"


def parse_record_mode(value: str, source: str = "--kf-record-mode") -> str:
    """Check a ``--kf-record-mode`` / ``kf_record_mode`` value, naming the accepted ones when it is wrong."""
    mode = value.strip().lower().replace("-", "_")
    if mode not in RECORD_MODES:
        raise pytest.UsageError(f"{source}: {value!r} is not a record mode; use one of: {', '.join(RECORD_MODES)}")
    return mode


def parse_env(value: str, source: str = "--kf-env") -> str:
    """Check a ``--kf-env`` / ``kf_env`` value: ``live``, ``sim`` or an http(s) URL."""
    try:
        return check_env(value)
    except ConfigurationError as exc:
        raise pytest.UsageError(f"{source}: {exc}") from None


def parse_seed(value: str) -> int | None:
    """Check the ``kf_simulator_seed`` ini value (an integer, or empty for none)."""
    text = value.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(f"kf_simulator_seed: {value!r} is not an integer") from None


def parse_clock(value: str) -> str | None:
    """Check the ``kf_simulator_clock`` ini value (an ISO-8601 time, or empty for the real clock)."""
    from datetime import datetime

    text = value.strip()
    if not text:
        return None
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise pytest.UsageError(
            f"kf_simulator_clock: {value!r} is not an ISO-8601 time such as 2026-01-01T00:00:00Z"
        ) from None
    return text


_FIELD = re.compile(r"[A-Za-z0-9_\-]+")


def parse_scrub_fields(lines: list[str]) -> tuple[str, ...]:
    """Check the ``kf_scrub_fields`` ini value: field names, one or more per line (commas or spaces between)."""
    fields: list[str] = []
    for line in lines:
        for name in re.split(r"[,\s]+", line.strip()):
            if not name:
                continue
            if not _FIELD.fullmatch(name):
                raise pytest.UsageError(
                    f"kf_scrub_fields: {name!r} is not a field name (letters, digits, '_' and '-' only)"
                )
            fields.append(name)
    return tuple(dict.fromkeys(fields))


def parse_report(value: str) -> Path:
    """Check a ``--kf-report`` value: a file whose extension names the format."""
    path = Path(value.strip())
    if path.suffix not in REPORT_FORMATS or not path.name:
        raise pytest.UsageError(f"--kf-report: {value!r} must end in .json, .md or .html (the format comes from it)")
    return path


def parse_drift_fail(value: str) -> str:
    """Check the ``kf_drift_fail`` ini value."""
    text = value.strip().lower() or "breaking"
    if text not in DRIFT_FAIL:
        raise pytest.UsageError(f"kf_drift_fail: {value!r} is not one of: {', '.join(DRIFT_FAIL)}")
    return text


def parse_max_age(value: str) -> float | None:
    """Check the ``kf_max_age`` ini value: days after which a cassette is stale (empty: never)."""
    text = value.strip()
    if not text:
        return None
    try:
        days = float(text)
    except ValueError:
        days = -1.0
    if not days > 0:
        raise pytest.UsageError(f"kf_max_age: {value!r} is not a number of days above 0")
    return days


def check_switches(allow_trading: bool, allow_transfers: bool) -> None:
    """Refuse ``--kf-allow-transfers`` alone: moving funds is a state change and needs both switches."""
    if allow_transfers and not allow_trading:
        raise pytest.UsageError(
            "--kf-allow-transfers allows withdrawals and transfers on top of --kf-allow-trading; give both"
        )


def check_schema_dir(directory: Path) -> None:
    """Check ``kf_schema_dir``: a directory whose ``*.json`` files are JSON Schemas (Draft 2020-12)."""
    try:
        check_dir(directory)
    except ConfigurationError as exc:
        raise pytest.UsageError(f"kf_schema_dir: {exc}") from None


def resolve(config: pytest.Config) -> Settings:
    """Build the run's settings: a command-line value wins over the ini file, which wins over defaults."""
    record_mode = config.getoption("kf_record_mode")
    record_mode_source = "--kf-record-mode"
    if record_mode is None:
        ini_mode = str(config.getini("kf_record_mode") or "").strip()
        record_mode = parse_record_mode(ini_mode, "kf_record_mode") if ini_mode else DEFAULT_RECORD_MODE
        record_mode_source = "the kf_record_mode ini key" if ini_mode else "the default"
    env = config.getoption("kf_env") or parse_env(str(config.getini("kf_env") or DEFAULT_ENV), "kf_env")
    root = Path(config.inipath).parent if config.inipath else config.rootpath
    cassette_dir = root / str(config.getini("kf_cassette_dir") or DEFAULT_CASSETTE_DIR)
    if cassette_dir.exists() and not cassette_dir.is_dir():
        raise pytest.UsageError(f"kf_cassette_dir: {cassette_dir} is a file, not a directory of cassettes")
    schema_dir_value = str(config.getini("kf_schema_dir") or "").strip()
    schema_dir = str(root / schema_dir_value) if schema_dir_value else None
    if schema_dir is not None:
        check_schema_dir(Path(schema_dir))
    allow_trading = bool(config.getoption("kf_allow_trading"))
    allow_transfers = bool(config.getoption("kf_allow_transfers"))
    check_switches(allow_trading, allow_transfers)
    drift_check = bool(config.getoption("kf_drift_check"))
    if drift_check and record_mode_source == "--kf-record-mode" and record_mode != DEFAULT_RECORD_MODE:
        raise pytest.UsageError(
            f"--kf-drift-check compares new answers with the cassettes and overwrites nothing; it does not go with "
            f"--kf-record-mode={record_mode}"
        )
    where = config.invocation_params.dir
    reports = tuple(where / path for path in config.getoption("kf_reports") or ())
    propose = config.getoption("kf_propose_schemas")
    propose_dir = where / propose if propose else None
    if propose_dir is not None and propose_dir.exists() and not propose_dir.is_dir():
        raise pytest.UsageError(f"--kf-propose-schemas: {propose_dir} is a file, not a directory")
    return Settings(
        record_mode=record_mode,
        record_mode_source=record_mode_source,
        env=env,
        cassette_dir=cassette_dir,
        schema_dir=schema_dir,
        allow_trading=allow_trading,
        allow_transfers=allow_transfers,
        scrub_fields=parse_scrub_fields(list(config.getini("kf_scrub_fields"))),
        simulator_seed=parse_seed(str(config.getini("kf_simulator_seed"))),
        simulator_clock=parse_clock(str(config.getini("kf_simulator_clock"))),
        drift_check=drift_check,
        drift_fail=parse_drift_fail(str(config.getini("kf_drift_fail"))),
        reports=reports,
        max_age_days=parse_max_age(str(config.getini("kf_max_age"))),
        propose_dir=propose_dir,
    )


MARKERS = (
    "kf_cassette(name=None, record_mode=None, **vcr_settings): record and replay every client's traffic in this "
    "test through its cassette (pytest-krakenfutures)",
    "kf_state(balances=None, markets=None, positions=None, orders=None): the simulator state this test starts "
    "from when it records from the bundled simulator (pytest-krakenfutures)",
)


def register_markers(config: pytest.Config) -> None:
    """Declare the plugin's markers (so that ``--strict-markers`` knows them)."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def add_options(parser: pytest.Parser) -> None:
    """Register the --kf-* options and kf_* ini keys (what ``pytest_addoption`` does)."""
    group = parser.getgroup("krakenfutures", "Kraken Futures contract testing (pytest-krakenfutures)")
    group.addoption(
        "--kf-record-mode",
        dest="kf_record_mode",
        default=None,
        type=parse_record_mode,
        metavar="MODE",
        help=f"Cassette record mode: {', '.join(RECORD_MODES)}. Default: none (replay only, network blocked).",
    )
    group.addoption(
        "--kf-env",
        dest="kf_env",
        default=None,
        type=parse_env,
        metavar="ENV",
        help="Where recordings come from: sim (the bundled simulator), live (futures.kraken.com) or a URL. "
        "Default: the kf_env ini value, else sim.",
    )
    group.addoption(
        "--kf-allow-trading",
        dest="kf_allow_trading",
        action="store_true",
        default=False,
        help="Allow recording state-changing calls (orders) against a non-simulator environment.",
    )
    group.addoption(
        "--kf-allow-transfers",
        dest="kf_allow_transfers",
        action="store_true",
        default=False,
        help="With --kf-allow-trading: also allow withdrawals and transfers against a non-simulator environment.",
    )
    group.addoption(
        "--kf-drift-check",
        dest="kf_drift_check",
        action="store_true",
        default=False,
        help="Send every test's requests to --kf-env, compare the answers with its cassette, overwrite nothing.",
    )
    group.addoption(
        "--kf-report",
        dest="kf_reports",
        action="append",
        type=parse_report,
        metavar="PATH",
        help="Write a report of drift, coverage, observations, orphaned and stale cassettes (.json, .md or .html). "
        "Repeatable.",
    )
    group.addoption(
        "--kf-propose-schemas",
        dest="kf_propose_schemas",
        default=None,
        metavar="DIR",
        help="Write proposed schemas (the current ones with this run's observations folded in) to DIR.",
    )
    parser.addini(
        "kf_record_mode", "Record mode when neither a marker, --kf-record-mode nor kf_vcr_config sets one.", default=""
    )
    parser.addini("kf_cassette_dir", "Directory of cassettes, relative to the ini file.", default=DEFAULT_CASSETTE_DIR)
    parser.addini("kf_schema_dir", "Directory of JSON Schemas that override the bundled ones.", default="")
    parser.addini("kf_env", "Default environment: sim, live or a URL.", default=DEFAULT_ENV)
    parser.addini("kf_simulator_seed", "Seed of the simulator's ids (deterministic recordings).", default="")
    parser.addini("kf_simulator_clock", "ISO time the simulator's clock starts at for each test.", default="")
    parser.addini("kf_drift_fail", "What drift fails a --kf-drift-check run: breaking, warning or never.", default="")
    parser.addini("kf_max_age", "Days after which a cassette counts as stale in reports (empty: never).", default="")
    parser.addini(
        "kf_scrub_fields",
        "Body, query and form fields of your own whose values cassettes hold only as placeholders.",
        type="linelist",
        default=[],
    )
