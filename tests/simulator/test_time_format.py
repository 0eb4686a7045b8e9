"""The simulator's timestamps: ISO-8601 UTC with milliseconds or microseconds, as ``strftime`` writes them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pytest_krakenfutures.simulator.domain.clock import iso_ms, iso_us

MOMENTS = [
    datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc),
    datetime(2026, 11, 2, 9, 30, 0, 999999, tzinfo=timezone.utc),
    datetime(2026, 12, 31, 23, 59, 59, 1000, tzinfo=timezone.utc),
    datetime(2026, 1, 1, 0, 30, 5, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2026, 1, 1, 20, 0, 0, 999, tzinfo=timezone(timedelta(hours=-7))),
    datetime(1000, 1, 1, 0, 0, 0, 5, tzinfo=timezone.utc),
    datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(1, 1, 1, tzinfo=timezone.utc),
]


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_timestamps_are_written_as_strftime_writes_them(moment: datetime) -> None:
    utc = moment.astimezone(timezone.utc)
    assert iso_ms(moment) == utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    assert iso_us(moment) == utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond:06d}Z"


def test_a_millisecond_timestamp_truncates_the_microseconds() -> None:
    assert iso_ms(datetime(2026, 3, 2, 10, 0, 0, 1999, tzinfo=timezone.utc)) == "2026-03-02T10:00:00.001Z"
    assert iso_us(datetime(2026, 3, 2, 10, 0, 0, 1999, tzinfo=timezone.utc)) == "2026-03-02T10:00:00.001999Z"
