"""Living beside pytest-recording: its ``--block-network`` would stop a recording this plugin allows."""

from __future__ import annotations

import re

import pytest

from .errors import ConfigurationError


def check_network_block(request: pytest.FixtureRequest, host: str, where: str) -> None:
    """Refuse, before anything is sent, a recording that pytest-recording's network block would break halfway."""
    config = request.config
    blocking = bool(config.getoption("block_network", default=False))
    if not blocking and request.node.get_closest_marker("block_network") is None:
        return
    allowed = request.getfixturevalue("allowed_hosts") or []
    if any(re.match(pattern, host) for pattern in allowed):
        return
    raise ConfigurationError(
        f"pytest-recording's --block-network blocks {host}, where this test records from ({where}); "
        f"let it through with --allowed-hosts={host} (a comma-separated list of patterns), or replay "
        "(--kf-record-mode=none), which sends nothing anyway"
    )
