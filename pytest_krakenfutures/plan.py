"""What one test's cassette will do: its file, record mode (and where that came from), environment and settings.

The record mode comes from, in this order: the test's ``kf_cassette`` marker, ``--kf-record-mode``,
the ``kf_vcr_config`` fixture, the ``kf_record_mode`` ini key; ``none`` when nothing says.
``--kf-drift-check`` overrides them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import pytest

from ._options import RECORD_MODES, Settings
from .errors import ConfigurationError
from .vcr_options import VcrOptions, check, merged

MARKER = "kf_cassette"
#: Keys of the ``kf_cassette`` marker that are not vcrpy settings.
_MARKER_ONLY = ("name",)
#: Hosts whose requests always go through the cassette (``ignore_hosts`` may not name them).
PROTECTED_HOSTS = (
    "futures.kraken.com",
    "demo-futures.kraken.com",
    "127.0.0.1",
    "localhost",
    "::1",
    "simulator.invalid",
)


@dataclass(frozen=True)
class CassettePlan:
    """How one test's cassette is used: decided at setup, before anything is loaded or sent."""

    path: Path
    record_mode: str
    #: What set the record mode: ``--kf-record-mode``, ``the kf_cassette marker``, ``kf_vcr_config``...
    mode_source: str
    env: str
    test_id: str
    options: VcrOptions = field(default_factory=VcrOptions)

    @property
    def sends(self) -> bool:
        """Whether requests may leave for a server (a mode that records, ``once`` without a cassette yet)."""
        if self.record_mode == "none":
            return False
        if self.record_mode == "once":
            return not self.path.exists()
        return True

    @property
    def mode_text(self) -> str:
        """Say the record mode and where it came from, as a message shows it."""
        if self.mode_source in ("--kf-record-mode", "the default"):
            return f"--kf-record-mode={self.record_mode}"
        if self.mode_source == "--kf-drift-check":
            return "--kf-drift-check"
        if self.mode_source == "the kf_record_mode ini key":
            return f"kf_record_mode={self.record_mode} (ini)"
        return f"record_mode={self.record_mode!r} from {self.mode_source}"

    @property
    def record_command(self) -> str:
        """Return what records this test's cassette (and what to change first when a marker holds the mode)."""
        command = f"pytest --kf-record-mode=once --kf-env={self.env} {self.test_id}"
        if self.mode_source == "the kf_cassette marker":
            return f"{command}, after taking record_mode out of its kf_cassette marker (the marker wins)"
        return command


def marker_settings(item: pytest.Item) -> dict[str, Any]:
    """Return the ``kf_cassette`` marker's keyword arguments (the closest marker's), checked for shape."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if marker.args:
        raise ConfigurationError(
            f"{item.nodeid}: @pytest.mark.kf_cassette takes keyword arguments only, such as name='balance' or "
            f"record_mode='once'; it was given {marker.args!r}"
        )
    return dict(marker.kwargs)


#: The plan of a test, decided once for the fixtures that need it.
_plan_key = pytest.StashKey["CassettePlan"]()


def plan_of(item: pytest.Item, settings: Settings, path: Path, vcr_config: Mapping[str, Any]) -> CassettePlan:
    """Return a test's plan (``plan_for``), decided at the first fixture that asks and kept for the others."""
    plan = item.stash.get(_plan_key, None)
    if plan is None or plan.path != path:
        plan = item.stash[_plan_key] = plan_for(item, settings, path, vcr_config)
    return plan


def plan_for(item: pytest.Item, settings: Settings, path: Path, vcr_config: Mapping[str, Any]) -> CassettePlan:
    """Decide one test's cassette from its marker, the run's options, its ``kf_vcr_config`` and the ini file."""
    marker = marker_settings(item)
    if item.get_closest_marker("vcr") is not None:
        raise ConfigurationError(
            f"{item.nodeid} has pytest-recording's @pytest.mark.vcr and a pytest-krakenfutures cassette; vcrpy would "
            "send its calls to one of the two only: keep one of them on this test"
        )
    _check_name(item, marker.get("name"))
    config_options = check(vcr_config, "kf_vcr_config", PROTECTED_HOSTS)
    config_mode = config_options.record_mode
    if config_mode is not None:
        config_mode = _mode(config_mode, "kf_vcr_config['record_mode']")
    marker_vcr = {key: value for key, value in marker.items() if key not in _MARKER_ONLY}
    options = check(merged(vcr_config, marker_vcr), f"{item.nodeid}: @pytest.mark.kf_cassette", PROTECTED_HOSTS)
    if settings.drift_check:
        mode, source = "drift", "--kf-drift-check"
    elif "record_mode" in marker_vcr:
        mode, source = (
            _mode(marker_vcr["record_mode"], f"{item.nodeid}: kf_cassette(record_mode=...)"),
            ("the kf_cassette marker"),
        )
    elif settings.record_mode_source == "--kf-record-mode":
        mode, source = settings.record_mode, "--kf-record-mode"
    elif config_mode is not None:
        mode, source = config_mode, "kf_vcr_config"
    else:
        mode, source = settings.record_mode, settings.record_mode_source
    return CassettePlan(
        path=path, record_mode=mode, mode_source=source, env=settings.env, test_id=item.nodeid, options=options
    )


def _mode(value: Any, source: str) -> str:
    """Check a record mode given by a marker or a fixture."""
    text = str(value).strip().lower().replace("-", "_")
    if text not in RECORD_MODES:
        raise ConfigurationError(f"{source}: {value!r} is not a record mode; use one of: {', '.join(RECORD_MODES)}")
    return text


def _check_name(item: pytest.Item, name: Any) -> None:
    """Refuse a marker's cassette name that is not a relative file name inside the cassette directory."""
    if name is None:
        return
    where = f"{item.nodeid}: kf_cassette(name=...)"
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{where}: the name must be a non-empty string, not {name!r}")
    parts = PurePath(name.strip())
    if parts.is_absolute() or ".." in parts.parts:
        raise ConfigurationError(
            f"{where}: {name!r} must stay inside the test module's cassette directory (no absolute path, no '..'); "
            "to put cassettes elsewhere, override the kf_cassette_path fixture"
        )
