"""What became of a test (passed, failed, interrupted), SIGTERM as an interruption, and recordings kept aside."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .errors import KrakenFuturesError, Terminated

#: The reports of a test's phases so far, by phase (``setup``, ``call``, ``teardown``).
reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()
#: The SIGTERM handler in place before ours, to put back at the end of the run.
_previous_handler_key = pytest.StashKey[Any]()


def remember(item: pytest.Item, report: pytest.TestReport) -> None:
    """Keep a phase's report on its test, for the cassette to know the outcome when it is saved."""
    item.stash.setdefault(reports_key, {})[report.when] = report


def verdict(item: pytest.Item) -> str:
    """Return ``passed``, ``failed`` or ``interrupted`` for a test whose cassette is being saved."""
    reports = item.stash.get(reports_key, {})
    setup, call = reports.get("setup"), reports.get("call")
    if setup is not None and setup.failed:
        return "failed"
    if call is None:
        return "interrupted"
    return "failed" if call.failed else "passed"


def terminate_as_interrupt(config: pytest.Config) -> None:
    """Make SIGTERM stop the run like Ctrl-C (teardown runs, recordings are kept aside), if nobody handles it."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def handler(signum: int, frame: Any) -> None:
        """Stop the run where it stands, as Ctrl-C does."""
        raise Terminated("SIGTERM")

    config.stash[_previous_handler_key] = signal.signal(signal.SIGTERM, handler)


def restore_terminate(config: pytest.Config) -> None:
    """Put back the SIGTERM handler that was in place before the run."""
    previous: Callable[..., Any] | int | None = config.stash.get(_previous_handler_key, None)
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def plain_errors() -> Iterator[None]:
    """Report the plugin's own errors in a fixture's setup or teardown by their message, without a traceback.

    The message names the file, option or endpoint and the fix; the plugin's frames would only hide it.
    """
    try:
        yield
    except KrakenFuturesError as exc:
        failure = pytest.fail.Exception(f"{type(exc).__name__}: {exc}", pytrace=False)
        raise failure from None
