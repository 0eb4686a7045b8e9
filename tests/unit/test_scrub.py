"""The scrubber: identity values and secrets replaced by placeholders, consistently and exactly once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from vcr.request import Request

from pytest_krakenfutures.scrub import Scrubber, is_placeholder

KEY = "Zm9vYmFyLWtleS1vZi10aGUtcnVu"
SECRET = "c2VjcmV0LW9mLXRoZS1ydW4tbm90LWEtcmVhbC1vbmU="
MASTER = "2f0c6f0e-5d0b-4a39-9f57-111111111111"
SUB = "8055860f-467b-4a94-bdf9-0eaa8a8a1634"
V3 = "https://futures.kraken.com/derivatives/api/v3"


def response(body: Any, content_type: str = "application/json") -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": [content_type]},
        "body": {"string": text.encode()},
    }


def body_of(scrubbed: dict[str, Any]) -> Any:
    return json.loads(scrubbed["body"]["string"])


@pytest.fixture
def scrubber() -> Scrubber:
    return Scrubber(credentials=(KEY, SECRET))


def test_identity_fields_get_placeholders_and_equal_values_equal_ones(scrubber: Scrubber) -> None:
    listing = {
        "result": "success",
        "masterAccountUid": MASTER,
        "subaccounts": [{"accountUid": SUB, "email": "desk@fund.example", "fullName": "Jane Trader", "x": 1}],
    }
    scrubbed = body_of(scrubber.response(response(listing)))
    sub = scrubbed["subaccounts"][0]
    assert is_placeholder(scrubbed["masterAccountUid"])
    assert is_placeholder(sub["accountUid"])
    assert scrubbed["masterAccountUid"] != sub["accountUid"]
    assert sub["email"].endswith("@example.invalid")
    assert is_placeholder(sub["email"])
    assert is_placeholder(sub["fullName"])
    assert sub["x"] == 1
    again = body_of(scrubber.response(response({"accountUid": SUB, "note": f"moved to {SUB}"})))
    assert again["accountUid"] == sub["accountUid"]
    assert again["note"] == f"moved to {sub['accountUid']}"


def test_a_learned_value_is_replaced_in_later_request_paths_queries_and_bodies(scrubber: Scrubber) -> None:
    placeholder = body_of(scrubber.response(response({"subaccounts": [{"accountUid": SUB}]})))["subaccounts"][0][
        "accountUid"
    ]
    path = scrubber.request(Request("GET", f"{V3}/subaccount/{SUB}/trading-enabled?of={SUB}", None, {}))
    assert path.uri == f"{V3}/subaccount/{placeholder}/trading-enabled?of={placeholder}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = scrubber.request(Request("POST", f"{V3}/transfer/subaccount", f"toUser={SUB}&unit=usd&amount=1", form))
    assert body.body == f"toUser={placeholder}&unit=usd&amount=1".encode()


def test_identity_values_a_test_writes_itself_are_replaced_too(scrubber: Scrubber) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    request = scrubber.request(
        Request("POST", f"{V3}/transfer/subaccount", "fromUser=a%40b.example&toUser=desk&amount=5", form)
    )
    fields = dict(pair.split("=") for pair in request.body.decode().split("&"))
    assert fields["fromUser"].startswith("redacted-")
    assert fields["fromUser"].endswith("%40example.invalid")
    assert is_placeholder(fields["toUser"])
    assert fields["amount"] == "5"
    path = scrubber.request(Request("GET", f"{V3}/subaccount/{MASTER}/trading-enabled", None, {}))
    assert MASTER not in path.uri


def test_the_api_key_and_secret_never_survive_in_any_body(scrubber: Scrubber) -> None:
    check = body_of(scrubber.response(response({"apiKey": KEY, "accountUid": MASTER, "echo": f"key={KEY};"})))
    assert KEY not in json.dumps(check)
    assert MASTER not in json.dumps(check)
    text = scrubber.response(response(f"secret is {SECRET}\n", "text/plain"))["body"]["string"].decode()
    assert text == "secret is redacted-api-secret\n"
    assert check["apiKey"] == "redacted-api-key"


def test_short_values_are_replaced_only_whole(scrubber: Scrubber) -> None:
    scrubbed = body_of(scrubber.response(response({"fullName": "Bo", "other": "Bo", "word": "Bob", "list": ["Bo"]})))
    assert is_placeholder(scrubbed["fullName"])
    assert scrubbed["other"] == scrubbed["fullName"]
    assert scrubbed["word"] == "Bob"
    assert scrubbed["list"] == [scrubbed["fullName"]]


def test_numeric_account_ids_stay_numbers(scrubber: Scrubber) -> None:
    body = '{"a":{"accountId":123456},"b":{"accountId":1234567,"n":123456},"zero":{"accountId":0}}'
    scrubbed = body_of(scrubber.response(response(body)))
    assert isinstance(scrubbed["a"]["accountId"], int)
    assert scrubbed["a"]["accountId"] != 123456
    assert scrubbed["b"]["accountId"] not in (1234567, scrubbed["a"]["accountId"])
    assert scrubbed["b"]["n"] == 123456
    assert scrubbed["zero"]["accountId"] == 0


def test_scrubbing_twice_changes_nothing_more(scrubber: Scrubber) -> None:
    once = scrubber.response(response({"accountUid": MASTER, "email": "x@y.example", "accountId": 9}))
    text = once["body"]["string"]
    assert scrubber.response(once)["body"]["string"] == text
    fresh = Scrubber("another secret")
    assert fresh.response(response(json.loads(text)))["body"]["string"] == text


def test_placeholders_are_the_same_in_every_run_and_hide_the_value() -> None:
    recording, replay = Scrubber(credentials=(KEY, SECRET)), Scrubber()
    assert recording.placeholder(MASTER) == replay.placeholder(MASTER)
    assert Scrubber("another key").placeholder(MASTER) != replay.placeholder(MASTER)
    assert MASTER[:8] not in replay.placeholder(MASTER)


def test_an_identifier_the_test_writes_itself_matches_in_replay() -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def recorded(scrubber: Scrubber) -> bytes:
        request = Request("POST", f"{V3}/transfer/subaccount", f"fromUser={MASTER}&toUser=desk%40fund.example", form)
        return bytes(scrubber.request(request).body)

    assert recorded(Scrubber(credentials=(KEY, SECRET))) == recorded(Scrubber())


def test_fields_of_the_users_own_are_scrubbed() -> None:
    scrubber = Scrubber(fields=("desk_Name", "strategy-id"))
    scrubbed = body_of(scrubber.response(response({"deskName": "alpha desk one", "strategyId": "s-42", "k": "v"})))
    assert is_placeholder(scrubbed["deskName"])
    assert is_placeholder(scrubbed["strategyId"])
    assert scrubbed["k"] == "v"


def test_a_whole_recording_is_scrubbed_with_what_was_learned_late(scrubber: Scrubber) -> None:
    early = response({"orders": [{"owner": SUB}]})
    late = response({"subaccounts": [{"accountUid": SUB}]})
    requests = [Request("GET", f"{V3}/openorders", None, {}), Request("GET", f"{V3}/subaccounts", None, {})]
    scrubber.response(early)
    assert SUB.encode() in early["body"]["string"]
    scrubber.interactions(requests, [early, scrubber.response(late)])
    assert SUB.encode() not in early["body"]["string"]


def test_bodies_that_are_not_text_lose_the_key_too(scrubber: Scrubber) -> None:
    binary = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b"\xff\xfe" + KEY.encode()}}
    scrubbed = scrubber.response(binary)["body"]["string"]
    assert scrubbed.startswith(b"\xff\xfe")
    assert KEY.encode() not in scrubbed


def test_a_recording_scrubbed_with_all_that_is_known_is_left_as_it_is(scrubber: Scrubber) -> None:
    listing = scrubber.response(response({"accounts": [{"accountUid": SUB}]}))
    request = scrubber.request(Request("GET", f"{V3}/accounts", None, {}))
    listing["body"]["string"] = b'{"note": "changed after its scrub"}'
    scrubber.interactions([request], [listing])
    assert listing["body"]["string"] == b'{"note": "changed after its scrub"}'  # nothing learned since: no second pass


def test_a_recording_is_scrubbed_again_once_a_value_is_learned_after_part_of_it(scrubber: Scrubber) -> None:
    first = scrubber.response(response({"orders": [{"owner": SUB}]}))
    request = scrubber.request(Request("GET", f"{V3}/openorders", None, {}))
    scrubber.learn(MASTER)
    first["body"]["string"] = json.dumps({"owner": MASTER}).encode()
    scrubber.interactions([request], [first])
    assert MASTER.encode() not in first["body"]["string"]


def test_what_was_not_scrubbed_in_this_run_is_scrubbed_at_save(scrubber: Scrubber) -> None:
    scrubber.learn(SUB)
    loaded = response({"orders": [{"owner": SUB}]})
    scrubber.interactions([Request("GET", f"{V3}/openorders", None, {})], [loaded])
    assert SUB.encode() not in loaded["body"]["string"]
