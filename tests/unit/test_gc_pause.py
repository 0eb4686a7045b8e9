"""The collector is held off while a cassette is written or parsed, and given back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import yaml

from pytest_krakenfutures.cassette_format import CassetteSerializer
from pytest_krakenfutures.gc_pause import gc_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Run a test with the collector on, and leave it as the test found it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_in_the_block_and_on_after(collector_on: None) -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_block_raises(collector_on: None) -> None:
    with pytest.raises(ValueError, match="inside"), gc_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_collector_held_off_outside_stays_off(collector_on: None) -> None:
    gc.disable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_writing_and_parsing_a_cassette_hold_off_the_collector(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    dump, load = yaml.dump, yaml.load

    def dumping(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return dump(*args, **kwargs)  # type: ignore[arg-type]

    def loading(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml, "dump", dumping)
    monkeypatch.setattr(yaml, "load", loading)
    serializer = CassetteSerializer({"test": "t"})
    text = serializer.serialize({"version": 1, "interactions": []})
    assert serializer.deserialize(text)["interactions"] == []
    assert seen == [False, False]
    assert gc.isenabled()
