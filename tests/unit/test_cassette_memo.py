"""Parsed cassettes kept in pytest's cache: the same documents as parsing, never stale, never fatal."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path
from typing import Any

import pytest

from pytest_krakenfutures.cassette_format import CassetteSerializer
from pytest_krakenfutures.cassette_memo import UNUSED_DAYS, ParsedCassettes, prune

TEXT = """\
provenance: {environment: sim}
version: 1
interactions:
- request: {method: GET, uri: 'https://futures.kraken.com/derivatives/api/v3/tickers', body: null, headers: {}}
  response:
    status: {code: 200, message: OK}
    headers: {Content-Type: [application/json]}
    body:
      json: {result: success, tickers: [{symbol: PF_XBTUSD, last: 96010.0, suspended: false, bid: null}]}
"""


class Counting:
    """A parser that counts its calls and returns what the plugin's serializer parses."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> dict[str, Any]:
        self.calls += 1
        return CassetteSerializer().deserialize(text)


def test_an_unchanged_cassette_is_parsed_once_and_read_back_equal(tmp_path: Path) -> None:
    parse = Counting()
    memo = ParsedCassettes(tmp_path)
    first = memo.document(TEXT, parse)
    again = memo.document(TEXT, parse)
    assert parse.calls == 1
    assert again == first == CassetteSerializer().deserialize(TEXT)
    assert again is not first
    body = again["interactions"][0]["response"]["body"]["string"]
    assert body.startswith('{"result":"success"')


def test_a_cassette_changed_in_one_byte_is_parsed_again(tmp_path: Path) -> None:
    parse = Counting()
    memo = ParsedCassettes(tmp_path)
    memo.document(TEXT, parse)
    changed = memo.document(TEXT.replace("96010.0", "96010.5"), parse)
    assert parse.calls == 2
    assert "96010.5" in changed["interactions"][0]["response"]["body"]["string"]


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe3\x00\x00\x00"])
def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path: Path, damage: bytes) -> None:
    parse = Counting()
    memo = ParsedCassettes(tmp_path)
    memo.document(TEXT, parse)
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(damage)
    assert memo.document(TEXT, parse) == CassetteSerializer().deserialize(TEXT)
    assert parse.calls == 2
    assert memo.document(TEXT, parse)
    assert parse.calls == 2


def test_what_marshal_cannot_keep_is_parsed_every_time(tmp_path: Path) -> None:
    calls = []

    def parse(text: str) -> dict[str, Any]:
        calls.append(text)
        return {"interactions": [], "recorded": datetime.datetime(2026, 1, 1)}

    memo = ParsedCassettes(tmp_path)
    assert memo.document(TEXT, parse)["recorded"] == datetime.datetime(2026, 1, 1)
    memo.document(TEXT, parse)
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []


def test_without_a_folder_or_with_an_unwritable_one_every_cassette_is_parsed(tmp_path: Path) -> None:
    parse = Counting()
    ParsedCassettes(None).document(TEXT, parse)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    ParsedCassettes(blocked / "entries").document(TEXT, parse)
    ParsedCassettes(blocked / "entries").document(TEXT, parse)
    assert parse.calls == 3


def test_entries_unused_for_weeks_are_pruned_and_read_ones_are_kept(tmp_path: Path) -> None:
    memo = ParsedCassettes(tmp_path)
    memo.document(TEXT, Counting())
    (read,) = tmp_path.iterdir()
    memo.document(TEXT.replace("OK", "Fine"), Counting())
    (unused,) = set(tmp_path.iterdir()) - {read}
    weeks_ago = time.time() - (UNUSED_DAYS + 1) * 86400
    for entry in (read, unused):
        os.utime(entry, (weeks_ago, weeks_ago))
    parse = Counting()
    memo.document(TEXT, parse)
    assert parse.calls == 0
    assert prune(tmp_path) == 1
    assert list(tmp_path.iterdir()) == [read]
    assert prune(None) == 0
