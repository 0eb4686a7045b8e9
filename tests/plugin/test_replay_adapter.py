"""``kf_session`` in replay: answered by its transport adapter exactly as vcrpy answers any other requests session."""

from __future__ import annotations

import pytest

# Imported here so that in-process runs share one PyYAML (its C loader does not survive a re-import).
import pytest_krakenfutures.cassette_format  # noqa: F401

SAME_ANSWERS = """
import requests, pytest
from pytest_krakenfutures.replay_adapter import ReplayAdapter

@pytest.mark.kf_cassette(allow_playback_repeats=True)
@pytest.mark.parametrize("path", ["tickers/PF_XBTUSD", "tickers/PF_NOSUCH", "/api/charts/v1/trade/PF_XBTUSD/1h"])
def test_same(kf_session, path, request):
    url = kf_session.url_for(path)
    ours = kf_session.get(url, params={"from": "1767225600"} if "charts" in path else None)
    theirs = requests.Session().get(ours.url, timeout=5)
    replaying = request.config.getoption("kf_record_mode") is None
    assert isinstance(kf_session.get_adapter(url), ReplayAdapter) is replaying
    if not replaying:
        return  # recording: ours came from the simulator, theirs from what was just recorded
    assert (ours.status_code, ours.reason, ours.url, ours.encoding) == (
        theirs.status_code, theirs.reason, theirs.url, theirs.encoding)
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours.content == theirs.content and ours.text == theirs.text
    assert type(ours.raw) is type(theirs.raw) and ours.raw.read() == theirs.raw.read() == b""
"""


def test_kf_session_replays_what_vcrpy_replays_to_any_requests_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_answers=SAME_ANSWERS)
    recorded = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--kf-record-mode=once", "--kf-env=sim")
    recorded.assert_outcomes(passed=3)
    replayed = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    replayed.assert_outcomes(passed=3)


def test_a_request_missing_from_the_cassette_is_explained_in_replay(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_miss="""
        import pytest

        @pytest.mark.kf_cassette
        def test_miss(kf_session):
            kf_session.get("tickers")
        """
    )
    (pytester.path / "cassettes" / "test_miss").mkdir(parents=True)
    (pytester.path / "cassettes" / "test_miss" / "test_miss.yaml").write_text(
        "provenance: {environment: sim}\nversion: 1\ninteractions: []\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*CassetteError*has no unplayed answer for GET /derivatives/api/v3/tickers*"])
