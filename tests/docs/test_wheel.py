"""The wheel built from this checkout carries the license in its metadata."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_the_license(tmp_path: Path) -> None:
    """``pip wheel`` without network or build isolation gives a wheel whose dist-info holds LICENSE."""
    pytest.importorskip("hatchling", reason="hatchling, the build backend (in the test extra), is not installed")
    offline = ["--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir", "--quiet"]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *offline, "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("pytest_krakenfutures-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (info,) = {name.split("/", 1)[0] for name in archive.namelist() if name.split("/", 1)[0].endswith(".dist-info")}
        shipped = archive.read(f"{info}/licenses/LICENSE")
        metadata = archive.read(f"{info}/METADATA").decode().splitlines()
    assert shipped == (ROOT / "LICENSE").read_bytes()
    assert shipped.startswith(b"MIT License\n")
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
