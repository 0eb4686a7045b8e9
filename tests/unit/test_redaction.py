"""The run's secrets: found in text in every form they travel, and replaced in reports."""

from __future__ import annotations

import base64
from urllib.parse import quote

from pytest_krakenfutures.redaction import API_KEY, API_SECRET, SIGNATURE, Vault
from pytest_krakenfutures.signing import compute_authent

KEY = "kf-key+with/odd=chars-0123456789"
SECRET = base64.b64encode(b"a secret that is not a real one!").decode()


def vault() -> Vault:
    found = Vault()
    found.add_credentials(KEY, SECRET)
    return found


def test_the_key_and_secret_are_found_raw_and_url_encoded() -> None:
    secrets = vault()
    assert secrets.leaks(f"x {KEY} y") == [API_KEY]
    assert secrets.leaks(f"key={quote(KEY, safe='')}&s={SECRET}") == [API_KEY, API_SECRET]
    assert secrets.leaks("nothing here") == []


def test_the_decoded_secret_is_found_as_python_shows_bytes() -> None:
    assert vault().leaks(f"key = {base64.b64decode(SECRET)!r}") == [API_SECRET]


def test_only_signatures_sent_in_the_run_count() -> None:
    secrets = vault()
    sent = compute_authent(SECRET, "/api/v3/accounts", "", "1")
    other = compute_authent(SECRET, "/api/v3/tickers", "", "1")
    secrets.add_request_headers({"Authent": sent, "Nonce": "1"})
    assert secrets.leaks(f"{other}") == []
    assert secrets.leaks(f"'Authent': '{sent}'") == [SIGNATURE]
    assert secrets.redact(f"{sent} {other}") == f"<redacted Authent> {other}"


def test_an_api_key_header_of_another_client_is_registered() -> None:
    secrets = Vault()
    assert secrets.empty
    secrets.add_request_headers({"APIKey": "ccxt-key-of-the-bot-1234", "Accept": "*/*"})
    assert secrets.redact("key ccxt-key-of-the-bot-1234") == "key <redacted api key>"
    assert not secrets.empty


def test_short_values_are_not_secrets() -> None:
    secrets = Vault()
    secrets.add_credentials("k", "s")
    assert secrets.empty
