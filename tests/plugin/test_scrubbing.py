"""Nothing secret is written: identities and keys out of cassettes, secrets out of reports and logs."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

SIM = ("--kf-record-mode=once", "--kf-env=sim", "-p", "no:cacheprovider")
AUTHENT = re.compile(r"[A-Za-z0-9+/]{86}==")

IDENTITY_TESTS = """
def test_identities(kf_session, kf_contract):
    check = kf_contract(kf_session.get("/api/auth/v1/api-keys/v3/check"))
    listing = kf_contract(kf_session.get("subaccounts"))
    assert listing["masterAccountUid"] == check["accountUid"]
    sub = listing["subaccounts"][0]["accountUid"]
    assert kf_contract(kf_session.get(f"subaccount/{sub}/trading-enabled"))["tradingEnabled"] is True
    transfer = {"fromUser": check["accountUid"], "fromAccount": "flex", "toAccount": "flex", "unit": "usd",
                "amount": "1"}
    kf_contract(kf_session.post("transfer/subaccount", data={**transfer, "toUser": sub}))
    kf_contract(kf_session.post("transfer/subaccount", data={**transfer, "toUser": "hedging@subaccounts.example"}))
    log = kf_contract(kf_session.get("/api/history/v3/account-log"))
    assert log["accountUid"] == check["accountUid"]


def test_order_of_my_own(kf_session, kf_contract):
    placed = kf_contract(kf_session.post("sendorder", data={
        "orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000",
        "cliOrdId": "alpha-desk-strategy-7",
    }))
    assert placed["sendStatus"]["status"] == "placed"
"""


def cassette_texts(root: Path) -> dict[Path, str]:
    return {path: path.read_text() for path in (root / "cassettes").rglob("*.yaml")}


def test_recorded_cassettes_hold_no_key_secret_or_identity_and_still_replay(
    pytester: pytest.Pytester, production_keys: tuple[str, str], simulator_identities: set[str]
) -> None:
    pytester.makeini("[pytest]\nkf_scrub_fields = cliOrdId\n")
    pytester.makepyfile(test_identity=IDENTITY_TESTS)
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=2)
    texts = cassette_texts(pytester.path)
    assert len(texts) == 2
    forbidden = {*production_keys, *simulator_identities, "alpha-desk-strategy-7"}
    for path, text in texts.items():
        assert not [value for value in forbidden if value in text], path
        assert not AUTHENT.findall(text), path
    identities = yaml.safe_load(texts[next(p for p in texts if p.name == "test_identities.yaml")])
    key_check = identities["interactions"][0]["response"]["body"]["json"]
    assert key_check["apiKey"].startswith("redacted-")
    assert key_check["accountUid"].startswith("redacted-")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_recording_that_would_hold_a_signature_is_not_written(
    pytester: pytest.Pytester, production_keys: tuple[str, str], echo_server: str
) -> None:
    pytester.makepyfile(
        test_echo="""
        def test_accounts(kf_session):
            assert kf_session.get("accounts").json()["result"] == "success"
        """
    )
    cassette = pytester.path / "cassettes" / "test_echo" / "test_accounts.yaml"
    cassette.parent.mkdir(parents=True)
    cassette.write_text("interactions: []\nversion: 1\n")
    result = pytester.runpytest_subprocess("--kf-record-mode=rewrite", f"--kf-env={echo_server}")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            f"*SecretInCassette: cassette {cassette} was not written: it would hold an Authent signature sent in "
            "this run at interactions[[]0[]].response.body.string.echo.Authent. Nothing was written*kf_scrub_fields*"
        ]
    )
    assert cassette.read_text() == "interactions: []\nversion: 1\n"
    assert sorted(p.name for p in cassette.parent.iterdir()) == ["test_accounts.yaml"]
    assert production_keys[0] not in result.stdout.str()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


FAILING_AFTER_SIGNED_CALLS = """
import logging

import pytest

def test_signed_call_that_fails_inside_urllib3(kf_session):
    kf_session.get("accounts")

def test_assertion_after_a_signed_call(kf_session, kf_credentials):
    response = kf_session.get("accounts")
    sent = dict(response.request.headers)
    print("sent", sent)
    logging.getLogger("bot").warning("request headers %s", sent)
    assert sent["APIKey"] != kf_credentials.api_key, sent
"""


@pytest.mark.parametrize("workers", ["0", "2"])
def test_reports_logs_and_junit_never_show_the_key_or_a_signature(
    pytester: pytest.Pytester, production_keys: tuple[str, str], exchange: Any, workers: str
) -> None:
    pytester.makepyfile(test_fails=FAILING_AFTER_SIGNED_CALLS)
    junit = pytester.path / "report.xml"
    common = (
        "-n",
        workers,
        "--showlocals",
        "--tb=long",
        f"--junitxml={junit}",
        "-o",
        "junit_logging=all",
        "-rA",
        "-p",
        "no:cacheprovider",
    )
    first = pytester.runpytest_subprocess(
        "--kf-record-mode=once", f"--kf-env=http://127.0.0.1:{closed_port()}", "-k", "urllib3", *common
    )
    second = pytester.runpytest_subprocess(
        "--kf-record-mode=once", f"--kf-env={exchange.url}", "-k", "assertion", *common
    )
    first.assert_outcomes(failed=1)
    second.assert_outcomes(failed=1)
    for result, shown in ((first, "urllib3"), (second, "Captured log call")):
        text = result.stdout.str() + result.stderr.str()
        assert shown in text
        assert "<redacted Authent>" in text
        for secret in production_keys:
            assert secret not in text
        assert not AUTHENT.findall(text)
    assert "'APIKey': '<redacted api key>'" in second.stdout.str()
    report = junit.read_text()
    assert "&lt;redacted Authent&gt;" in report
    assert production_keys[0] not in report
    assert not AUTHENT.findall(report)


def test_live_logs_and_log_files_never_show_the_key_or_a_signature(
    pytester: pytest.Pytester, production_keys: tuple[str, str], exchange: Any
) -> None:
    pytester.makepyfile(
        test_logs="""
        import logging

        def test_logs_what_it_sent(kf_session):
            response = kf_session.get("accounts")
            logging.getLogger("bot").warning("sent %s", dict(response.request.headers))
        """
    )
    log_file = pytester.path / "bot.log"
    result = pytester.runpytest_subprocess(
        "--kf-record-mode=once",
        f"--kf-env={exchange.url}",
        "--log-cli-level=WARNING",
        f"--log-file={log_file}",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1)
    for text in (result.stdout.str(), log_file.read_text()):
        assert "'APIKey': '<redacted api key>'" in text
        assert "'Authent': '<redacted Authent>'" in text
        assert production_keys[0] not in text
        assert not AUTHENT.findall(text)
