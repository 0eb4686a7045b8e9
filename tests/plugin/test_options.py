"""Options and ini keys: help text, precedence, and usage errors that name the accepted values."""

from __future__ import annotations

import pytest

from pytest_krakenfutures._options import RECORD_MODES, parse_env, parse_record_mode


def test_help_lists_the_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "*Kraken Futures contract testing*",
            "*--kf-record-mode=MODE*",
            "*--kf-env=ENV*",
            "*kf_cassette_dir*",
        ]
    )


@pytest.mark.parametrize("mode", RECORD_MODES)
def test_every_record_mode_is_accepted(mode: str) -> None:
    assert parse_record_mode(mode) == mode


def test_record_mode_is_normalised() -> None:
    assert parse_record_mode("New-Episodes") == "new_episodes"


def test_bad_record_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest("--kf-record-mode=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--kf-record-mode: 'sometimes' is not a record mode; use one of: none, once, new_episodes, all, rewrite*"]
    )
    assert "Traceback" not in result.stderr.str()


def test_demo_environment_is_refused_with_the_date(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest("--kf-env=demo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--kf-env: *demo environment*retired on 14 July 2026*"])


def test_bad_env_in_ini_is_a_usage_error_naming_the_key(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_env = ftp://example\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*kf_env: 'ftp://example' is not an environment: use 'live', 'sim' or a URL*"])


def test_bad_simulator_clock_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_simulator_clock = noon\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*kf_simulator_clock: 'noon' is not an ISO-8601 time*"])


@pytest.mark.parametrize(
    ("ini", "args", "expected"),
    [
        ("", [], "sim"),
        ("kf_env = live", [], "live"),
        ("kf_env = live", ["--kf-env=sim"], "sim"),
        ("", ["--kf-env=http://127.0.0.1:9999/"], "http://127.0.0.1:9999"),
    ],
)
def test_command_line_wins_over_ini_over_default(
    pytester: pytest.Pytester, ini: str, args: list[str], expected: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(
        f"""
        def test_env(kf_settings):
            assert kf_settings.env == {expected!r}
            assert kf_settings.record_mode == "none"
        """
    )
    pytester.runpytest(*args).assert_outcomes(passed=1)


def test_parse_env_accepts_urls() -> None:
    assert parse_env("HTTPS://Example.com:8443/") == "https://Example.com:8443"


def test_header_says_how_cassettes_are_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["krakenfutures: record mode none (replay only), cassettes in *cassettes"])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--kf-record-mode=once", "--kf-env=live"], "read-only calls only (--kf-allow-trading allows orders)"),
        (
            ["--kf-record-mode=once", "--kf-env=live", "--kf-allow-trading"],
            "orders allowed, withdrawals and transfers refused (--kf-allow-transfers)",
        ),
        (
            ["--kf-record-mode=rewrite", "--kf-env=live", "--kf-allow-trading", "--kf-allow-transfers"],
            "orders, withdrawals and transfers allowed",
        ),
    ],
)
def test_header_says_what_may_be_sent_outside_the_simulator(
    pytester: pytest.Pytester, args: list[str], says: str
) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest(*args)
    result.stdout.fnmatch_lines([f"krakenfutures: record mode * (recording from live; {says}), cassettes in *"])


def test_scrub_fields_are_read_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_scrub_fields =\n    cliOrdId, desk_name\n    strategy\n")
    pytester.makepyfile(
        """
        def test_fields(kf_settings):
            assert kf_settings.scrub_fields == ("cliOrdId", "desk_name", "strategy")
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_bad_scrub_field_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkf_scrub_fields = order.id\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*kf_scrub_fields: 'order.id' is not a field name*"])
