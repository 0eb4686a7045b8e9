"""``@pytest.mark.kf_cassette``, ``kf_state`` and the override points: what users of pytest-recording look for."""

from __future__ import annotations

import pytest

# Imported here so that in-process runs share one PyYAML (its C loader does not survive a re-import).
import pytest_krakenfutures.cassette_format  # noqa: F401

RECORD = ("--kf-record-mode=once", "--kf-env=sim")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run the inner suite in this process (fast), without the cache plugin."""
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)


def test_the_marker_alone_gives_every_client_one_cassette_shared_with_kf_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_one="""
        import httpx, pytest

        @pytest.mark.kf_cassette
        def test_both(kf_session):
            assert kf_session.get("tickers").json()["result"] == "success"
            assert httpx.get(kf_session.base_url + "/derivatives/api/v3/instruments").json()["result"] == "success"

        @pytest.mark.kf_cassette(name="shared_name")
        def test_named(kf_base_url):
            assert httpx.get(kf_base_url + "/derivatives/api/v3/tickers").json()["result"] == "success"
        """
    )
    run(pytester, *RECORD).assert_outcomes(passed=2)
    files = sorted(path.name for path in (pytester.path / "cassettes" / "test_one").iterdir())
    assert files == ["shared_name.yaml", "test_both.yaml"]
    both = (pytester.path / "cassettes" / "test_one" / "test_both.yaml").read_text()
    assert "/v3/tickers" in both
    assert "/v3/instruments" in both
    run(pytester).assert_outcomes(passed=2)


def test_two_tests_naming_one_cassette_fail_at_setup(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_two="""
        import pytest

        @pytest.mark.kf_cassette(name="same")
        def test_a(): pass

        @pytest.mark.kf_cassette(name="same.yaml")
        def test_b(): pass
        """
    )
    result = run(pytester, *RECORD)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*test_two.py::test_a and test_two.py::test_b would share the cassette *same.yaml*"])


RECORD_ORDER = """
import pytest

{marker}
def test_t(kf_session):
    assert kf_session.get("tickers").status_code == 200
"""


@pytest.mark.parametrize(
    ("marker", "conftest", "ini", "args", "records", "said"),
    [
        (
            "@pytest.mark.kf_cassette(record_mode='none')",
            "",
            "",
            ("--kf-record-mode=once",),
            False,
            "record_mode='none' from the kf_cassette marker",
        ),
        ("@pytest.mark.kf_cassette(record_mode='once')", "", "", ("--kf-record-mode=none",), True, ""),
        ("", "{'record_mode': 'once'}", "", ("--kf-record-mode=none",), False, "--kf-record-mode=none"),
        ("", "{'record_mode': 'once'}", "kf_record_mode = none", (), True, ""),
        ("", "{}", "kf_record_mode = once", (), True, ""),
        ("", "{'record_mode': 'none'}", "kf_record_mode = once", (), False, "record_mode='none' from kf_vcr_config"),
    ],
    ids=["marker over option", "marker records", "option over fixture", "fixture over ini", "ini", "fixture says none"],
)
def test_record_mode_precedence_marker_option_fixture_ini(
    pytester: pytest.Pytester, marker: str, conftest: str, ini: str, args: tuple[str, ...], records: bool, said: str
) -> None:
    pytester.makepyfile(test_mode=RECORD_ORDER.format(marker=marker))
    if conftest:
        pytester.makeconftest(f"import pytest\n\n@pytest.fixture\ndef kf_vcr_config():\n    return {conftest}\n")
    pytester.makeini(f"[pytest]\n{ini}\n")
    result = run(pytester, "--kf-env=sim", *args)
    cassette = pytester.path / "cassettes" / "test_mode" / "test_t.yaml"
    assert cassette.is_file() == records
    if records:
        result.assert_outcomes(passed=1)
    else:
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            [f"*no cassette *test_t.yaml for test_mode.py::test_t, and {said} does not record*"]
        )
    if "from the kf_cassette marker" in said:
        result.stdout.fnmatch_lines(["*after taking record_mode out of its kf_cassette marker (the marker wins)*"])


def test_vcr_config_adds_filters_hooks_and_matchers(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest(
        """
        import os
        import pytest

        def stamp(response):
            response["headers"]["X-Seen-By"] = ["hook"]
            return response

        def strict(sent, recorded):
            assert os.environ.get("STRICT") != "1", "strict mode refuses every recorded answer"

        @pytest.fixture
        def kf_vcr_config():
            return {"filter_query_parameters": ["since"], "before_record_response": [stamp],
                    "match_on": ["scheme", strict]}
        """
    )
    pytester.makepyfile(
        test_cfg="""
        import os, time, pytest

        @pytest.mark.kf_cassette
        def test_history(kf_session):
            since = os.environ.get("SINCE", str(int(time.time() * 1000)))
            assert kf_session.get("/api/history/v2/orders", params={"since": since}).status_code == 200
        """
    )
    run(pytester, *RECORD).assert_outcomes(passed=1)
    text = (pytester.path / "cassettes" / "test_cfg" / "test_history.yaml").read_text()
    assert "since=" not in text
    assert "X-Seen-By" in text
    run(pytester).assert_outcomes(passed=1)  # another `since`: filtered out of matching too
    monkeypatch.setenv("STRICT", "1")
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*closest recorded: GET /api/history/v2/orders differs in strict: strict mode refuses*"]
    )


def test_what_a_users_hook_adds_is_scrubbed_too(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        KEYS = []

        def stamp(response):
            response["headers"]["X-Key"] = KEYS[:1]  # the key the test signs with (none yet while loading)
            return response

        @pytest.fixture(autouse=True)
        def _the_key(kf_credentials):
            KEYS[:] = [kf_credentials.api_key]

        @pytest.fixture
        def kf_vcr_config():
            return {"before_record_response": [stamp]}
        """
    )
    pytester.makepyfile(
        test_hook="""
        import pytest

        @pytest.mark.kf_cassette
        def test_tickers(kf_session):
            assert kf_session.get("tickers").status_code == 200
        """
    )
    run(pytester, *RECORD).assert_outcomes(passed=1)
    text = (pytester.path / "cassettes" / "test_hook" / "test_tickers.yaml").read_text()
    assert "X-Key:\n      - redacted-api-key" in text


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "{'cassette_library_dir': 'x'}",
            "kf_vcr_config: 'cassette_library_dir' is set by pytest-krakenfutures; use "
            "the kf_cassette_dir ini key or the kf_cassette_path fixture",
        ),
        (
            "{'recordmode': 'once'}",
            "kf_vcr_config: 'recordmode' is not a setting of a test's cassette; use one of: record_mode, match_on*",
        ),
        ("{'ignore_hosts': ['futures.kraken.com']}", "kf_vcr_config: ignore_hosts may not name futures.kraken.com*"),
        ("{'record_mode': 'sometimes'}", "kf_vcr_config?'record_mode'?: 'sometimes' is not a record mode*"),
        ("{'match_on': ['colour']}", "match_on: 'colour' is not a vcrpy matcher*"),
        ("['once']", "kf_vcr_config must be a dict of vcrpy settings, not list"),
    ],
)
def test_a_wrong_vcr_config_is_one_clear_line(pytester: pytest.Pytester, config: str, message: str) -> None:
    pytester.makeconftest(f"import pytest\n\n@pytest.fixture\ndef kf_vcr_config():\n    return {config}\n")
    pytester.makepyfile(test_bad="def test_t(kf_session):\n    kf_session.get('tickers')\n")
    result = run(pytester, *RECORD)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"ConfigurationError: {message}"])
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("decorator", "message"),
    [
        ("@pytest.mark.kf_cassette('mine.yaml')", "*kf_cassette takes keyword arguments only, such as name=*"),
        ("@pytest.mark.kf_cassette(name='../elsewhere')", "*must stay inside the test module's cassette directory*"),
        ("@pytest.mark.kf_cassette(record_mode='sometimes')", "*kf_cassette(record_mode=...): 'sometimes' is not*"),
        ("@pytest.mark.kf_cassette(serializer='json')", "*'serializer' is set by pytest-krakenfutures*"),
        ("@pytest.mark.kf_state(wallets={})", "*kf_state: wallets is not part of a state; use balances, markets*"),
        ("@pytest.mark.kf_state(positions={'PF_XBTUSD': 'lots'})", "*positions PF_XBTUSD must be a number*"),
        ("@pytest.mark.kf_state(balances={'flex': {'USD': '-5'}})", "*balances flex: the simulator refused*"),
        ("@pytest.mark.kf_state(orders=[{'symbol': 'PF_XBTUSD'}])", "*orders?0? needs orderType*"),
        ("@pytest.mark.kf_state(positions={'PF_XBTUSD': '1000'})", "*positions PF_XBTUSD: *"),
        ("@pytest.mark.vcr\n@pytest.mark.kf_cassette", "*has pytest-recording's @pytest.mark.vcr and a*"),
    ],
)
def test_a_wrong_marker_is_one_clear_line(pytester: pytest.Pytester, decorator: str, message: str) -> None:
    pytester.makepyfile(test_bad=f"import pytest\n\n{decorator}\ndef test_t():\n    pass\n")
    result = run(pytester, *RECORD)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"ConfigurationError: {message}"])
    assert "Traceback" not in result.stdout.str()
    assert not list((pytester.path / "cassettes").rglob("*.yaml"))


def test_a_bad_ini_record_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_record_mode = sometimes\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*kf_record_mode: 'sometimes' is not a record mode; use one of: none, once*"])


def test_overridden_credentials_and_cassette_path_are_honoured(pytester: pytest.Pytester, echo_server: str) -> None:
    pytester.makeconftest(
        """
        import base64
        import pytest
        from pytest_krakenfutures.environments import Credentials

        @pytest.fixture
        def kf_credentials():
            return Credentials("my-own-bot-key", base64.b64encode(b"my own bot secret").decode())

        @pytest.fixture
        def kf_cassette_path(request):
            return request.config.rootpath / "elsewhere" / (request.node.name + ".yaml")
        """
    )
    pytester.makepyfile(
        test_keys="""
        def test_sim(kf_session):
            assert kf_session.get("accounts").json()["result"] == "success"
        """
    )
    run(pytester, *RECORD).assert_outcomes(passed=1)
    cassette = pytester.path / "elsewhere" / "test_sim.yaml"
    assert cassette.is_file()
    assert not (pytester.path / "cassettes").exists()
    assert "my-own-bot-key" not in cassette.read_text()
    run(pytester).assert_outcomes(passed=1)
    # the same key, recorded from a server that echoes the request's headers, is found and scrubbed
    pytester.makepyfile(test_keys="def test_echo(kf_session):\n    assert kf_session.get('accounts').ok\n")
    pytester.makeini("[pytest]\nkf_scrub_fields = Authent\n")  # the echo puts the signature in the body
    run(pytester, "--kf-record-mode=once", f"--kf-env={echo_server}").assert_outcomes(passed=1)
    echoed = (pytester.path / "elsewhere" / "test_echo.yaml").read_text()
    assert "redacted-api-key" in echoed
    assert "my-own-bot-key" not in echoed


def test_nonces_in_a_query_or_body_never_break_replay(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_nonce="""
        import time

        def test_t(kf_session):
            nonce = str(time.time_ns())
            assert kf_session.get("tickers", params={"nonce": nonce}).status_code == 200
            order = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.001",
                     "limitPrice": "1000", "nonce": nonce}
            assert kf_session.post("sendorder", data=order).json()["sendStatus"]["status"] == "placed"
        """
    )
    run(pytester, *RECORD).assert_outcomes(passed=1)
    run(pytester).assert_outcomes(passed=1)


def test_every_test_starts_from_the_same_simulator_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_state="""
        import pytest

        ORDER = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.001", "limitPrice": "1000"}

        @pytest.mark.kf_state(balances={"flex": {"USD": "50000"}}, positions={"PF_ETHUSD": "-0.5"})
        def test_first(kf_session):
            assert kf_session.post("sendorder", data=ORDER).json()["sendStatus"]["status"] == "placed"
            flex = kf_session.get("accounts").json()["accounts"]["flex"]
            assert flex["currencies"]["USD"]["quantity"] < 50000  # the seeded short paid its fee
            assert [p["side"] for p in kf_session.get("openpositions").json()["openPositions"]] == ["short"]

        def test_second(kf_session):
            assert kf_session.get("openorders").json()["openOrders"] == []
            assert kf_session.get("openpositions").json()["openPositions"] == []
            assert kf_session.get("accounts").json()["accounts"]["flex"]["currencies"]["USD"]["quantity"] == 10000
        """
    )
    run(pytester, *RECORD, "-p", "no:randomly").assert_outcomes(passed=2)
    first = (pytester.path / "cassettes" / "test_state" / "test_first.yaml").read_text()
    assert "state:" in first
    assert "'50000'" in first
    assert "PF_ETHUSD: '-0.5'" in first
    assert "state:" not in (pytester.path / "cassettes" / "test_state" / "test_second.yaml").read_text()
    run(pytester).assert_outcomes(passed=2)
    # the state changed since the recording: the cassette's answers are not that state's
    path = pytester.path / "test_state.py"
    path.write_text(path.read_text().replace('"50000"', '"60000"'))
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*CassetteError: cassette *test_first.yaml was recorded from the simulator state*"])


def test_a_state_outside_the_simulator_is_refused(pytester: pytest.Pytester, exchange: object) -> None:
    pytester.makepyfile(
        test_state="""
        import pytest

        @pytest.mark.kf_state(positions={"PF_XBTUSD": "0.01"})
        def test_t(kf_session):
            kf_session.get("openpositions")
        """
    )
    url = exchange.url
    result = run(pytester, "--kf-record-mode=once", f"--kf-env={url}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*starts from a kf_state, which only the bundled simulator can be put in*"])
    assert exchange.request_lines == []
    drift = run(pytester, "--kf-drift-check", f"--kf-env={url}")
    drift.assert_outcomes(skipped=1)


def test_ignored_hosts_bypass_the_cassette_but_never_carry_keys(pytester: pytest.Pytester) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pytester.makeconftest(
            "import pytest\n\n@pytest.fixture\ndef kf_vcr_config():\n    return {'ignore_hosts': ['127.0.0.2']}\n"
        )
        pytester.makepyfile(
            test_hook=f"""
            import pytest, requests
            from pytest_krakenfutures import RequestRefused

            def test_notify(kf_session):
                assert kf_session.get("tickers").ok
                assert requests.post("http://127.0.0.2:{server.server_port}/notify", data="filled").status_code == 204

            def test_signed(kf_session):
                with pytest.raises(RequestRefused, match="a host in ignore_hosts"):
                    requests.post("http://127.0.0.2:{server.server_port}/x", headers={{"APIKey": "k", "Authent": "a"}})
            """
        )
        run(pytester, *RECORD).assert_outcomes(passed=2)
        text = (pytester.path / "cassettes" / "test_hook" / "test_notify.yaml").read_text()
        assert "/v3/tickers" in text
        assert "notify" not in text
        run(pytester).assert_outcomes(passed=2)  # replay: the hook is still reached, nothing else is
    finally:
        server.shutdown()
