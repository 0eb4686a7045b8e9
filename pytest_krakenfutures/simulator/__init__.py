"""The bundled Kraken Futures simulator: a loopback HTTP server mimicking the v3 REST API."""

from __future__ import annotations

from .server import Simulator

__all__ = ["Simulator"]
