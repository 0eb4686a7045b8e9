"""Tests of the bundled simulator."""
