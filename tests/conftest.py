"""Shared fixtures of the plugin's own test suite."""

from __future__ import annotations

pytest_plugins = ["pytester"]
