"""The vcrpy cassette of one test: every client passes the guard, misses are explained, saves obey the verdict."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from vcr.cassette import CassetteContextDecorator

from .cassette_format import check_writable
from .errors import CassetteError, RequestRefused
from .explain import explain_miss
from .guard import check_bypass
from .indexed_cassette import IndexedCassette
from .patching import patched_for
from .persister import DRIFT_CHECK
from .redaction import vault

if TYPE_CHECKING:
    from .context import CassetteContext
    from .plan import CassettePlan
    from .scrub import Scrubber


class KfCassette(IndexedCassette):
    """A vcrpy cassette that decides, for any client vcrpy intercepts, what may be sent.

    vcrpy asks ``can_play_response_for`` before it plays or sends anything. When there is no
    recorded answer, a replaying cassette raises the plugin's own explanation, and a recording one
    lets the request out only once the guard has passed it.
    """

    kf_context: CassetteContext
    #: Where the test's clients point: the simulator, the environment, or a replay address that sends nothing.
    base_url: str
    #: How the cassette is used: its file, record mode and where that came from.
    plan: CassettePlan

    def can_play_response_for(self, request: Any) -> bool:
        """Whether a recorded answer will be played; otherwise refuse, or check the request before it is sent."""
        __tracebackhide__ = True
        if super().can_play_response_for(request):
            return True
        if self.filter_request(request) is None:
            # A host the user lets bypass the cassette (ignore_hosts): sent as it is, never recorded.
            check_bypass(request.method, request.uri, request.headers)
            return False
        context = self.kf_context
        if self.write_protected:
            raise CassetteError(explain_miss(context, self, request))
        if context.guard is not None:
            try:
                context.guard.check(request.method, request.uri, request.headers)
            except RequestRefused as refused:
                if context.record_mode != DRIFT_CHECK:
                    raise
                # A read-only drift check leaves out the tests that would change state, and says so.
                raise pytest.skip.Exception(f"not drift-checked: {refused}", _use_item_location=True) from None
        vault.add_request_headers(request.headers)
        return False


@contextlib.contextmanager
def cassette_in_use(
    context: CassetteContext, recorder: Any, scrubber: Scrubber, *, allow_playback_repeats: bool = False
) -> Iterator[KfCassette]:
    """Load a test's cassette, intercept every client vcrpy knows while the block runs, then save it.

    The save is the persister's: it writes the cassette or keeps the recording beside it according
    to ``context.verdict``, which the caller sets before leaving the block.
    """
    config = recorder.get_merged_config(path=str(context.path), allow_playback_repeats=allow_playback_repeats)
    arguments = {
        key: value for key, value in config.items() if key not in CassetteContextDecorator._non_cassette_arguments
    }
    if context.record_mode in ("new_episodes", "all", "rewrite"):
        check_writable(context.path)
    cassette = KfCassette(**arguments)
    cassette.kf_context = context
    scrubber.paused = True
    try:
        cassette._load()
    finally:
        scrubber.paused = False
    try:
        with patched_for(cassette):
            yield cassette
    except KeyboardInterrupt:
        context.verdict = "interrupted"
        raise
    except BaseException:
        context.verdict = "failed"
        raise
    finally:
        cassette._save()
