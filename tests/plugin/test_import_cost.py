"""Installing the plugin costs other test suites nothing: loading it imports no heavy library."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("requests", "jsonschema", "jsonschema_rs", "referencing", "vcr", "werkzeug", "yaml", "urllib3", "filelock")


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    script = (
        "import json, sys\n"
        "import pytest_krakenfutures, pytest_krakenfutures.plugin\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_a_pytest_run_that_uses_no_fixture_imports_nothing_heavy(pytester) -> None:  # type: ignore[no-untyped-def]
    pytester.makepyfile(
        f"""
        import sys

        def test_idle():
            loaded = [m for m in {HEAVY!r} if m in sys.modules]
            assert loaded == [], loaded
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
