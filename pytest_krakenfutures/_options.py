"""Option names, parsers and the resolved settings of a run (CLI over ini over defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
DEFAULT_RECORD_MODE = "none"
DEFAULT_ENV = "sim"
DEFAULT_CASSETTE_DIR = "cassettes"


@dataclass(frozen=True)
class Settings:
    """Everything the fixtures need to know about this run; plain values only (xdist-safe)."""

    record_mode: str = DEFAULT_RECORD_MODE
    env: str = DEFAULT_ENV
    cassette_dir: Path = Path(DEFAULT_CASSETTE_DIR)
    schema_dir: str | None = None
    allow_trading: bool = False
    simulator_seed: int | None = None
    simulator_clock: str | None = None

    @property
    def recording(self) -> bool:
        """Whether requests may reach a server (any record mode but ``none``)."""
        return self.record_mode != "none"


def parse_record_mode(value: str) -> str:
    """Check a ``--kf-record-mode`` value, naming the accepted ones when it is wrong."""
    mode = value.strip().lower().replace("-", "_")
    if mode not in RECORD_MODES:
        raise pytest.UsageError(
            f"--kf-record-mode: {value!r} is not a record mode; use one of: {', '.join(RECORD_MODES)}"
        )
    return mode


def parse_env(value: str, source: str = "--kf-env") -> str:
    """Check a ``--kf-env`` / ``kf_env`` value: ``live``, ``sim`` or an http(s) URL."""
    from .environments import check_env
    from .errors import ConfigurationError

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


def resolve(config: pytest.Config) -> Settings:
    """Build the run's settings: a command-line value wins over the ini file, which wins over defaults."""
    record_mode = config.getoption("kf_record_mode") or DEFAULT_RECORD_MODE
    env = config.getoption("kf_env") or parse_env(str(config.getini("kf_env") or DEFAULT_ENV), "kf_env")
    root = Path(config.inipath).parent if config.inipath else config.rootpath
    cassette_dir = root / str(config.getini("kf_cassette_dir") or DEFAULT_CASSETTE_DIR)
    schema_dir_value = str(config.getini("kf_schema_dir") or "").strip()
    schema_dir = str(root / schema_dir_value) if schema_dir_value else None
    if schema_dir is not None and not Path(schema_dir).is_dir():
        raise pytest.UsageError(f"kf_schema_dir: {schema_dir} is not a directory")
    return Settings(
        record_mode=record_mode,
        env=env,
        cassette_dir=cassette_dir,
        schema_dir=schema_dir,
        allow_trading=bool(config.getoption("kf_allow_trading")),
        simulator_seed=parse_seed(str(config.getini("kf_simulator_seed"))),
        simulator_clock=parse_clock(str(config.getini("kf_simulator_clock"))),
    )
