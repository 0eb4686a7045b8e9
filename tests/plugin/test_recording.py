"""Record from the simulator, replay offline, and the failures a user meets on the way (through pytester)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

SIM = ("--kf-record-mode=once", "--kf-env=sim")

MARKET_TESTS = """
import sys

def test_tickers(kf_session, kf_contract):
    body = kf_contract(kf_session.get("tickers"))
    assert any(t["symbol"] == "PF_XBTUSD" for t in body["tickers"])

def test_account_and_order(kf_session, kf_contract):
    accounts = kf_contract(kf_session.get("accounts"))
    assert accounts["accounts"]["flex"]["type"] == "multiCollateralMarginAccount"
    placed = kf_contract(kf_session.post("sendorder", data={
        "orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000",
    }))
    assert placed["sendStatus"]["status"] == "placed"

def test_replay_starts_no_server(kf_settings):
    if not kf_settings.recording:
        assert "werkzeug" not in sys.modules
"""


def cassette_of(pytester: pytest.Pytester, test: str, module: str = "test_market") -> Path:
    return pytester.path / "cassettes" / module / f"{test}.yaml"


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_market=MARKET_TESTS)
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=3)
    return pytester


def test_record_then_replay_offline(recorded: pytest.Pytester) -> None:
    path = cassette_of(recorded, "test_account_and_order")
    assert path.is_file()
    document = yaml.safe_load(path.read_text())
    assert document["provenance"]["environment"] == "sim"
    assert [i["request"]["method"] for i in document["interactions"]] == ["GET", "POST"]
    assert document["interactions"][1]["response"]["body"]["json"]["sendStatus"]["status"] == "placed"
    recorded.runpytest_subprocess().assert_outcomes(passed=3)


def test_cassettes_hold_no_secrets_and_no_host(recorded: pytest.Pytester) -> None:
    for path in (recorded.path / "cassettes").rglob("*.yaml"):
        text = path.read_text()
        for header in ("APIKey", "Authent", "Nonce", "User-Agent"):
            assert header.lower() not in text.lower(), (path, header)
        assert "127.0.0.1" not in text
        uris = [i["request"]["uri"] for i in yaml.safe_load(text)["interactions"]]
        assert all(uri.startswith("https://futures.kraken.com/derivatives/api/v3/") for uri in uris), uris


def test_changed_value_in_cassette_is_a_violation_naming_the_field(recorded: pytest.Pytester) -> None:
    path = cassette_of(recorded, "test_tickers")
    document = yaml.safe_load(path.read_text())
    document["interactions"][0]["response"]["body"]["json"]["tickers"][0]["suspended"] = "no"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    result = recorded.runpytest_subprocess("-k", "test_tickers")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ContractViolation: GET /derivatives/api/v3/tickers (getTickers): 1 schema violation*",
            "*$.tickers[[]0[]].suspended: 'no' is not of type boolean*",
            f"*cassette: {path}*",
        ]
    )


def test_missing_cassette_in_replay_says_how_to_record(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_market=MARKET_TESTS)
    result = pytester.runpytest_subprocess("-k", "test_tickers")
    result.assert_outcomes(failed=1)
    expected = cassette_of(pytester, "test_tickers")
    result.stdout.fnmatch_lines(
        [
            f"*CassetteError: no cassette {expected} for test_market.py::test_tickers, and --kf-record-mode=none "
            "does not record; GET /derivatives/api/v3/tickers was not sent to simulator.invalid. "
            "Record it with: pytest --kf-record-mode=once --kf-env=sim test_market.py::test_tickers"
        ]
    )
    assert not expected.exists()


def test_changed_order_parameter_does_not_replay_silently(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(test_market=MARKET_TESTS.replace('"size": "0.01"', '"size": "0.02"'))
    result = recorded.runpytest_subprocess("-k", "test_account_and_order")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*CassetteError: cassette *test_account_and_order.yaml has no unplayed answer for "
            "POST /derivatives/api/v3/sendorder with body *size=0.02*",
            "*closest recorded: POST /derivatives/api/v3/sendorder differs in body*",
            "*--kf-record-mode=new_episodes (add) or --kf-record-mode=rewrite (start over)*",
        ]
    )


def test_a_call_made_more_often_than_recorded_is_explained(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(
        test_market=MARKET_TESTS.replace(
            'body = kf_contract(kf_session.get("tickers"))',
            'kf_session.get("tickers")\n    body = kf_contract(kf_session.get("tickers"))',
        )
    )
    result = recorded.runpytest_subprocess("-k", "test_tickers")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*CassetteError: cassette *test_tickers.yaml has no unplayed answer for GET /derivatives/api/v3/tickers;*",
            "*every matching recorded answer was already played: the test makes this call more often*",
        ]
    )
    assert "closest recorded" not in result.stdout.str()


def test_malformed_cassette_is_named_and_left_untouched(recorded: pytest.Pytester) -> None:
    path = cassette_of(recorded, "test_tickers")
    path.write_text("interactions: [unclosed\n")
    for args in ((), SIM):
        result = recorded.runpytest_subprocess("-k", "test_tickers", *args)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines([f"*CassetteError: cassette {path} is malformed (*); it was left untouched*"])
        assert path.read_text() == "interactions: [unclosed\n"


def test_all_keeps_what_it_did_not_rerecord_while_rewrite_drops_it(recorded: pytest.Pytester) -> None:
    path = cassette_of(recorded, "test_tickers")
    recorded.makepyfile(
        test_market=MARKET_TESTS.replace('kf_session.get("tickers")', 'kf_session.get("tickers/PF_ETHUSD")').replace(
            'any(t["symbol"] == "PF_XBTUSD" for t in body["tickers"])', 'body["ticker"]["symbol"] == "PF_ETHUSD"'
        )
    )

    def endpoints() -> list[str]:
        return [i["request"]["uri"].rsplit("/", 1)[-1] for i in yaml.safe_load(path.read_text())["interactions"]]

    recorded.runpytest_subprocess("-k", "test_tickers", "--kf-record-mode=all").assert_outcomes(passed=1)
    assert endpoints() == ["tickers", "PF_ETHUSD"]
    recorded.runpytest_subprocess("-k", "test_tickers", "--kf-record-mode=all").assert_outcomes(passed=1)
    assert endpoints() == ["tickers", "PF_ETHUSD"]
    recorded.runpytest_subprocess("-k", "test_tickers", "--kf-record-mode=rewrite").assert_outcomes(passed=1)
    assert endpoints() == ["PF_ETHUSD"]


def test_new_episodes_adds_from_a_simulator_on_another_port(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(
        test_market=MARKET_TESTS.replace(
            'assert any(t["symbol"]', 'kf_contract(kf_session.get("tickers/PF_ETHUSD"))\n    assert any(t["symbol"]'
        )
    )
    path = cassette_of(recorded, "test_tickers")
    recorded.runpytest_subprocess("-k", "test_tickers", "--kf-record-mode=new_episodes").assert_outcomes(passed=1)
    uris = [i["request"]["uri"] for i in yaml.safe_load(path.read_text())["interactions"]]
    assert [uri.rsplit("/", 1)[-1] for uri in uris] == ["tickers", "PF_ETHUSD"]
    recorded.runpytest_subprocess("-k", "test_tickers").assert_outcomes(passed=1)


def test_replay_blocks_every_socket_and_names_the_option(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(
        test_socket="""
        import socket

        def test_reach_out(kf_session):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        """
    )
    result = recorded.runpytest_subprocess("test_socket.py")
    result.assert_outcomes(failed=1)
    cassette = cassette_of(recorded, "test_reach_out", "test_socket")
    result.stdout.fnmatch_lines(
        [
            f"*NetworkBlocked: connection to 127.0.0.1:9 blocked by pytest-krakenfutures: cassette {cassette} replays "
            "and --kf-record-mode=none sends nothing; to record it: "
            "pytest --kf-record-mode=once --kf-env=sim test_socket.py::test_reach_out*"
        ]
    )


def test_state_changing_call_outside_the_simulator_is_refused_before_sending(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_trade="""
        def test_order(kf_session):
            kf_session.post("sendorder", data={"orderType": "mkt", "symbol": "PF_XBTUSD", "side": "buy", "size": "1"})
        """
    )
    result = pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=http://127.0.0.1:9")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*refused before sending: POST /derivatives/api/v3/sendorder (sendOrder) changes state*--kf-allow-trading*"]
    )
    assert not cassette_of(pytester, "test_order", "test_trade").exists()


@pytest.mark.parametrize("workers", ["0", "2"])
def test_record_and_replay_under_xdist(pytester: pytest.Pytester, workers: str) -> None:
    pytester.makepyfile(test_market=MARKET_TESTS)
    pytester.runpytest_subprocess("-n", workers, *SIM).assert_outcomes(passed=3)
    pytester.runpytest_subprocess("-n", workers).assert_outcomes(passed=3)


def test_deterministic_recordings_are_byte_identical(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_simulator_seed = 7\nkf_simulator_clock = 2026-01-02T03:04:05Z\n")
    pytester.makepyfile(test_market=MARKET_TESTS)
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=3)
    first = {p: p.read_bytes() for p in (pytester.path / "cassettes").rglob("*.yaml")}
    pytester.runpytest_subprocess("--kf-record-mode=rewrite", "--kf-env=sim", "-n", "2").assert_outcomes(passed=3)
    second = {p: p.read_bytes() for p in (pytester.path / "cassettes").rglob("*.yaml")}
    assert first == second
    assert len(first) == 2
    assert b"recorded_at: '2026-01-02T03:04:05Z'" in next(iter(first.values()))


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_replay_passes_without_any_network_interface(recorded: pytest.Pytester) -> None:
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=recorded.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert re.search(r"\b3 passed\b", result.stdout), result.stdout + result.stderr
