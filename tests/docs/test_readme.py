"""Every fenced code block of README.md, classified by kind and run (or checked) as written."""

from __future__ import annotations

import configparser
import contextlib
import copy
import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml

import pytest_krakenfutures
from pytest_krakenfutures import ContractChecker, ContractViolation, KrakenFuturesAuth, RequestRefused
from pytest_krakenfutures.environments import API_KEY_VAR, API_SECRET_VAR, LIVE_URL
from pytest_krakenfutures.guard import RequestGuard
from pytest_krakenfutures.simulator import Simulator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PACKAGE = Path(pytest_krakenfutures.__file__).parent

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
TEST_FUNCTION = re.compile(r"^def (test_\w+)\(", re.MULTILINE)
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
BANNER = re.compile(r"Kraken Futures simulator listening on (http://127\.0\.0\.1:\d+)\n")
SIMULATOR_COMMAND = "python -m pytest_krakenfutures.simulator"
DRIFT_COMMAND = "python -m pytest_krakenfutures.drift"
README_PORT = "8080"
#: What the metavariables of the simulator's usage line are filled with: the default the README gives.
METAVARIABLES = {"SECONDS": "1"}
#: Expensive commands that another test runs, with that test's file.
COVERED = {"pytest tests/contracts --kf-record-mode=rewrite --kf-env=sim": "tests/plugin/test_bundled_suite.py"}
#: A key pair standing in for production keys where a block exports them.
STAND_IN_KEY = "readme-stand-in-key"
STAND_IN_SECRET = "cmVhZG1lIHN0YW5kLWluIHNlY3JldA=="


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language tag, the README line of its opening fence, and its text."""

    language: str
    line: int
    text: str

    @property
    def id(self) -> str:
        """Return the test id of the block: its line and language."""
        return f"line{self.line}-{self.language or 'plain'}"

    @property
    def commands(self) -> list[str]:
        """Return the shell lines of the block, continuations joined, blank and comment-only lines left out."""
        joined = self.text.replace("\\\n", " ")
        return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def parse_blocks(text: str) -> list[Block]:
    """Return the fenced code blocks of a Markdown text, indented ones (in list items) included."""
    blocks = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = OPENING.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, start = opening["indent"], opening["fence"], index + 1
        info = opening["info"].strip()
        body = []
        index += 1
        while index < len(lines) and not re.fullmatch(
            rf"[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", lines[index]
        ):
            body.append(lines[index].removeprefix(indent))
            index += 1
        assert index < len(lines), f"README.md line {start}: a code fence that is never closed"
        blocks.append(Block(info.split()[0] if info else "", start, "\n".join(body) + "\n"))
        index += 1
    return blocks


BLOCKS = parse_blocks(README.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the run's own keys and pytest options out of what the blocks run."""
    for name in (API_KEY_VAR, API_SECRET_VAR, "PYTEST_ADDOPTS"):
        monkeypatch.delenv(name, raising=False)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def python_on_path(directory: Path) -> dict[str, str]:
    """Return an environment whose ``python`` is the interpreter running these tests."""
    directory.mkdir(exist_ok=True)
    shim = directory / "python"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"}


def package_source() -> str:
    """Return the text of every Python file of the package."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py")))


def simulator_block() -> Block:
    """Return README's block that starts the simulator from the command line."""
    found = [block for block in BLOCKS if block.language == "bash" and block.text.startswith(SIMULATOR_COMMAND)]
    assert len(found) == 1, "README.md should show the simulator's command line once"
    return found[0]


def simulator_words(block: Block, port: int, *, optional: bool) -> list[str]:
    """Return the simulator's command line of a block, its ``[...]`` parts dropped or filled in, on ``port``."""
    (command,) = block.commands
    command = OPTIONAL.sub(lambda match: match[1] if optional else "", command)
    words = [METAVARIABLES.get(word, word) for word in shlex.split(command)]
    assert words[:3] == SIMULATOR_COMMAND.split(), words
    at = words.index("--port")
    assert words[at + 1] == README_PORT, words
    words[at + 1] = str(port)
    return [sys.executable, *words[1:]]


def option(words: Sequence[str], name: str) -> str | None:
    """Return the value that follows an option in a command line, if the option is there."""
    return words[words.index(name) + 1] if name in words else None


@contextlib.contextmanager
def running_simulator(words: list[str]) -> Iterator[str]:
    """Start a simulator command, yield its base URL once it prints it, then stop it with SIGTERM."""
    process = subprocess.Popen(words, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)
        line = process.stdout.readline() if ready else ""
        match = BANNER.fullmatch(line)
        if match is None:
            process.kill()
            _, err = process.communicate()
            pytest.fail(f"{shlex.join(words)} printed {line!r}, then on stderr: {err}")
        yield match[1]
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert "Traceback" not in err, err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@contextlib.contextmanager
def readme_simulator() -> Iterator[str]:
    """Run the simulator as README's command line starts it (optional parts left out), on a free port."""
    with running_simulator(simulator_words(simulator_block(), free_port(), optional=False)) as base_url:
        yield base_url


# -- the kinds of block and how each is checked ------------------------------------------------------------


def check_install(block: Block, request: pytest.FixtureRequest) -> None:
    """The install commands cannot run in the suite: each one must name what the project has."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    for line in block.commands:
        venv: str | None = None
        installed: set[str] = set()
        for command in line.split("&&"):
            words = shlex.split(command)
            match words:
                case ["python3", "-m", "venv", path]:
                    venv = path
                case [".", script]:
                    assert venv is not None, f"{line}: activates no virtual environment it made"
                    assert script == f"{venv}/bin/activate", line
                case ["pip", "install", "-e", spec]:
                    named = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", spec)
                    assert named, f"{spec!r} does not install this checkout"
                    assert (ROOT / "pyproject.toml").is_file()
                    for extra in (named[1] or "").split(","):
                        assert extra in extras, f"pip install {spec}: pyproject.toml has no extra {extra!r}"
                        installed |= {re.split(r"[<>=!~;\[ ]", item, maxsplit=1)[0].lower() for item in extras[extra]}
                case ["pytest", *arguments]:
                    if "-n" in arguments:
                        assert "pytest-xdist" in installed, f"{line}: -n needs pytest-xdist, not installed here"
                        del arguments[arguments.index("-n") : arguments.index("-n") + 2]
                    for argument in arguments:
                        assert not argument.startswith("-"), f"{line}: no check for the option {argument}"
                        assert (ROOT / argument).exists(), f"{line}: {argument} is not in the repository"
                case _:
                    pytest.fail(f"README.md line {block.line}: no check for the install command {command.strip()!r}")


def check_test_file(block: Block, request: pytest.FixtureRequest) -> None:
    """A test module: recorded from the bundled simulator, then replayed offline with nothing changed."""
    if block == bot_example():
        return run_bot_commands(bot_commands(), request)  # the README's own commands record and replay it
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    tests = TEST_FUNCTION.findall(block.text)
    pytester.makepyfile(**{f"test_readme_line{block.line}": block.text})
    recording = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kf-record-mode=once", "--kf-env=sim")
    recording.assert_outcomes(passed=len(tests))
    cassettes = {path: path.read_bytes() for path in (pytester.path / "cassettes").rglob("*.yaml")}
    assert sorted(path.stem for path in cassettes) == sorted(tests)
    replay = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kf-record-mode=none")
    replay.assert_outcomes(passed=len(tests))
    assert {path: path.read_bytes() for path in (pytester.path / "cassettes").rglob("*.yaml")} == cassettes


def check_script(block: Block, request: pytest.FixtureRequest) -> None:
    """A script exits 0; on ``127.0.0.1:8080``, 8080 (the only change) becomes a README-started simulator's port."""
    # The simulator is started by README's own command line, so the script meets the key pair that shows.
    tmp_path: Path = request.getfixturevalue("tmp_path")
    source = block.text
    with contextlib.ExitStack() as stack:
        if f"127.0.0.1:{README_PORT}" in source:
            base_url = stack.enter_context(readme_simulator())
            source = source.replace(f"http://127.0.0.1:{README_PORT}", base_url)
            assert README_PORT not in source, "8080 appears other than in http://127.0.0.1:8080"
        script = tmp_path / f"readme_line{block.line}.py"
        script.write_text(source, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
        )
    assert done.returncode == 0, f"README.md line {block.line}:\n{done.stdout}\n{done.stderr}"


def check_simulator_cli(block: Block, request: pytest.FixtureRequest) -> None:
    """README's simulator command, without and with its ``[...]`` parts, serves its key pairs and stops cleanly."""
    # A free port replaces 8080, and SECONDS is filled with 1 (METAVARIABLES), the default the README gives.
    for optional in (False, True):
        port = free_port()
        words = simulator_words(block, port, optional=optional)
        with running_simulator(words) as base_url:
            assert base_url == f"http://127.0.0.1:{port}"
            for key_option, secret_option in (
                ("--api-key", "--api-secret"),
                ("--read-only-api-key", "--read-only-api-secret"),
            ):
                key, secret = option(words, key_option), option(words, secret_option)
                if key is None or secret is None:
                    continue
                answer = requests.get(
                    f"{base_url}/derivatives/api/v3/accounts", auth=KrakenFuturesAuth(key, secret), timeout=10
                )
                assert answer.json()["result"] == "success", (key_option, answer.text)


def check_curl(block: Block, request: pytest.FixtureRequest) -> None:
    """Control API calls: each line run by bash with ``BASE`` set to a simulator README's command line started."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    with readme_simulator() as base_url:
        for line in block.commands:
            done = subprocess.run(
                ["bash", "-euc", line],
                env={**os.environ, "BASE": base_url},
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert done.returncode == 0, f"{line}\n{done.stderr}"
            answer = json.loads(done.stdout)
            assert answer["result"] == "success", (line, answer)


def check_live(block: Block, request: pytest.FixtureRequest) -> None:
    """Production commands: exports name the plugin's variables, ``pytest`` lines run offline, tox envs match."""
    # Each pytest line runs, with stand-in keys, on a test that sends nothing: its options must be accepted as given.
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    pytester.makepyfile(test_offline="def test_offline():\n    pass\n")
    exported: list[str] = []
    for line in block.commands:
        words = shlex.split(line, comments=True)
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        if words[0] == "export":
            exported = [word.split("=", 1)[0] for word in words[1:]]
            assert sorted(exported) == sorted([API_KEY_VAR, API_SECRET_VAR]), line
            monkeypatch.setenv(API_KEY_VAR, STAND_IN_KEY)
            monkeypatch.setenv(API_SECRET_VAR, STAND_IN_SECRET)
        elif words[0] == "pytest":
            assert all(word.startswith("-") for word in words[1:]), f"{line}: no check for its positional arguments"
            result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *words[1:])
            result.assert_outcomes(passed=1)
            result.stdout.fnmatch_lines(["krakenfutures: *live*"])
            for word in words[1:]:
                if word.startswith("--kf-report="):
                    assert (pytester.path / word.split("=", 1)[1]).is_file(), word
        elif words[:2] == ["tox", "-e"]:
            check_tox_environment(words[2], exported, comment)
        else:
            pytest.fail(f"README.md line {block.line}: no check for {line!r}")


def check_tox_environment(name: str, exported: list[str], comment: str) -> None:
    """A tox environment exists, passes the exported variables on, and runs the command its comment names."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    section = f"testenv:{name}"
    assert tox.has_section(section), f"tox.ini has no [{section}]"
    passed_on = re.split(r"[,\s]+", tox.get(section, "passenv", fallback="").strip())
    assert set(exported) <= set(passed_on), (section, passed_on)
    commands = " ".join(tox.get(section, "commands").replace("\\\n", " ").split())
    said, *rest = comment.split(",")
    assert said.strip() in commands, (said, commands)
    for place in re.findall(r"\S+/", ",".join(rest)):
        assert f"={place}" in commands, (place, commands)


def check_drift_cli(block: Block, request: pytest.FixtureRequest) -> None:
    """The drift command in a scratch git repository whose last commit drops a field: exit status 1, a report."""
    # /tmp/cassettes-before becomes a scratch directory (the only change), so that runs cannot collide.
    tmp_path: Path = request.getfixturevalue("tmp_path")
    repository = tmp_path / "repository"
    market = repository / "cassettes" / "tests" / "contracts" / "test_market_data"
    shutil.copytree(ROOT / "cassettes" / "tests" / "contracts" / "test_market_data", market)
    env = python_on_path(tmp_path / "bin")
    env |= {"GIT_AUTHOR_NAME": "readme", "GIT_AUTHOR_EMAIL": "readme@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "readme", "GIT_COMMITTER_EMAIL": "readme@example.invalid"}

    def git(*arguments: str) -> None:
        """Run git in the scratch repository."""
        subprocess.run(["git", *arguments], cwd=repository, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "cassettes")
    git("commit", "-q", "-m", "before")
    drop_suspended(market / "test_tickers.yaml")
    git("commit", "-q", "-am", "after")
    script = block.text.replace("/tmp/cassettes-before", str(tmp_path / "cassettes-before"))
    assert script != block.text
    done = subprocess.run(
        ["bash", "-euc", script], cwd=repository, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1, f"{done.stdout}\n{done.stderr}"
    assert "BREAKING getTickers $.tickers[*].suspended: field-removed" in done.stdout, done.stdout
    assert (repository / "drift.md").is_file()


def drop_suspended(cassette: Path) -> None:
    """Remove ``suspended`` from every ticker a cassette's answers hold."""
    document = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    for interaction in document["interactions"]:
        for ticker in interaction["response"]["body"]["json"]["tickers"]:
            ticker.pop("suspended", None)
    cassette.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def check_covered(block: Block, request: pytest.FixtureRequest) -> None:
    """An expensive command another test runs: that test file exists and passes the command's arguments."""
    command = block.text.strip()
    test = ROOT / COVERED[command]
    assert test.is_file(), test
    text = test.read_text(encoding="utf-8")
    for word in shlex.split(command)[1:]:
        assert f'"{word}"' in text, f"{test} does not run {command}: {word} is missing"


def check_config(block: Block, request: pytest.FixtureRequest) -> None:
    """An ini or TOML snippet parses; one that sets the plugin's keys is accepted by a strict pytest run."""
    if block.language == "ini":
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(block.text)
        values = dict(parser["pytest"])
    else:
        values = tomllib.loads(block.text)["tool"]["pytest"]["ini_options"]
    if not any(key.startswith("kf_") for key in values):
        return
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    if block.language == "ini":
        pytester.makefile(".ini", pytest=block.text)
    else:
        pytester.makepyprojecttoml(block.text)
    fields = str(values.get("kf_scrub_fields", "")).strip()
    expected = tuple(re.split(r"[,\s]+", fields)) if fields else ()
    pytester.makepyfile(
        test_settings=f"def test_settings(kf_settings):\n    assert kf_settings.scrub_fields == {expected!r}\n"
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-config").assert_outcomes(passed=1)


# -- output samples -------------------------------------------------------------------------------------------


def in_order(block: Block, fragments: Sequence[str]) -> None:
    """Each fragment is in the block, in this order, and in the package's source; each ``Name:`` is its error."""
    source = package_source()
    position = 0
    for fragment in fragments:
        found = block.text.find(fragment, position)
        assert found >= 0, f"README.md line {block.line}: {fragment!r} is not where expected"
        assert fragment in source, f"{fragment!r} is not in the package's source"
        position = found + len(fragment)
    for name in re.findall(r"^([A-Z]\w+): ", block.text, re.MULTILINE):
        error = getattr(pytest_krakenfutures, name, None)
        assert isinstance(error, type), f"pytest_krakenfutures has no error {name}"
        assert issubclass(error, Exception), name


def output_missing_answer(block: Block, request: pytest.FixtureRequest) -> None:
    """The replay errors of a request without a recorded answer, word for word once paths are shortened."""
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    tests = pytester.mkdir("tests")
    out = pytester.path / "messages.txt"
    (tests / "test_bot.py").write_text(
        "import socket\n"
        "from pytest_krakenfutures import CassetteError, NetworkBlocked\n\n"
        "def test_balance(kf_session):\n"
        "    lines = []\n"
        "    try:\n"
        "        kf_session.get('accounts')\n"
        "    except CassetteError as exc:\n"
        "        lines.append(f'CassetteError: {exc}')\n"
        "    try:\n"
        "        socket.getaddrinfo('futures.kraken.com', 443)\n"
        "    except NetworkBlocked as exc:\n"
        "        lines.append(f'NetworkBlocked: {exc}')\n"
        f"    open({str(out)!r}, 'w').write('\\n'.join(lines) + '\\n')\n"
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "tests/test_bot.py").assert_outcomes(passed=1)
    produced = out.read_text().replace(f"{pytester.path}/", "")
    assert produced == block.text


def output_refusal(block: Block, request: pytest.FixtureRequest) -> None:
    """The guard's refusal of an order on live, word for word."""
    guard = RequestGuard(env="live", env_url=LIVE_URL)
    with pytest.raises(RequestRefused) as refused:
        guard.check("POST", f"{LIVE_URL}/derivatives/api/v3/sendorder")
    assert f"RequestRefused: {refused.value}\n" == block.text


def output_secret_in_cassette(block: Block, request: pytest.FixtureRequest) -> None:
    """The error of a cassette that would hold a signature (its end elided in README)."""
    in_order(block, ["cassette ", " was not written: it would hold ", "an Authent signature sent in this run", " at "])


def tickers_body() -> dict[str, object]:
    """Return a tickers answer of the simulator."""
    with Simulator(seed=1, clock="2026-01-01T00:00:00Z") as simulator:
        answer = requests.get(f"{simulator.base_url}/derivatives/api/v3/tickers", timeout=10)
    body: dict[str, object] = answer.json()
    return body


def output_violation(block: Block, request: pytest.FixtureRequest) -> None:
    """A contract failure, word for word, from a tickers answer whose first ``suspended`` is ``'no'``."""
    httpx = pytest.importorskip("httpx")
    body = copy.deepcopy(tickers_body())
    body["tickers"][0]["suspended"] = "no"  # type: ignore[index]
    url = f"{LIVE_URL}/derivatives/api/v3/tickers"
    response = httpx.Response(200, json=body, request=httpx.Request("GET", url))
    with pytest.raises(ContractViolation) as failure:
        ContractChecker(cassette="cassettes/tests/test_market/test_tickers.yaml")(response)
    assert f"{failure.value}\n" == block.text


OBSERVING = """
import json, httpx
from pytest_krakenfutures import assert_contract
from pytest_krakenfutures.observations import collector
body = json.loads({body!r})
body["tickers"][0]["riskLimit"] = 1
body["tickers"][0]["tag"] = "weekly"
url = "https://futures.kraken.com/derivatives/api/v3/tickers"
assert_contract(httpx.Response(200, json=body, request=httpx.Request("GET", url)))
print("\\n".join(collector.summary()))
"""


def output_observations(block: Block, request: pytest.FixtureRequest) -> None:
    """The observations summary: its title in the source, its lines word for word from a run that makes them."""
    pytest.importorskip("httpx")
    in_order(block, ["krakenfutures observations (tolerated, not failures)"])
    script = OBSERVING.format(body=json.dumps(tickers_body()))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines() == block.text.splitlines()[1:]


def output_drift(block: Block, request: pytest.FixtureRequest) -> None:
    """The drift summary: its title in the source, its lines as the drift command prints them."""
    tmp_path: Path = request.getfixturevalue("tmp_path")
    in_order(block, ["krakenfutures drift", " (kf_drift_fail = "])
    assert "(kf_drift_fail = breaking)" in block.text  # the default
    tickers = ROOT / "cassettes" / "tests" / "contracts" / "test_market_data" / "test_tickers.yaml"
    for side in ("old", "new"):
        (tmp_path / side / "tests").mkdir(parents=True)
        shutil.copy(tickers, tmp_path / side / "tests" / "test_market.yaml")
    drop_suspended(tmp_path / "new" / "tests" / "test_market.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "pytest_krakenfutures.drift", "old", "new"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    printed = done.stdout.splitlines()
    counts, breaking = block.text.splitlines()[1:]
    assert re.fullmatch(re.sub(r"\d+", r"\\d+", re.escape(counts)).replace(r"tests\)", r"tests?\)"), printed[0])
    assert re.sub(r" \(\S+\)$", "", breaking) == re.sub(r" \(\S+\)$", "", printed[1])


#: Output samples, by how they start (after any ``=`` rule), and how each is checked.
OUTPUTS: dict[str, Callable[[Block, pytest.FixtureRequest], None]] = {
    "CassetteError: no cassette ": output_missing_answer,
    "RequestRefused: refused before sending: ": output_refusal,
    "SecretInCassette: cassette ": output_secret_in_cassette,
    "GET /derivatives/api/v3/tickers (getTickers): 1 schema violation": output_violation,
    "krakenfutures observations": output_observations,
    "krakenfutures drift": output_drift,
}


def check_output(block: Block, request: pytest.FixtureRequest) -> None:
    """An output sample: checked the way its entry in ``OUTPUTS`` says."""
    (check,) = [check for start, check in OUTPUTS.items() if block.text.lstrip("= ").startswith(start)]
    check(block, request)


def bot_example() -> Block:
    """Return the first bot example (the ccxt one), which the record-then-replay commands run."""
    return next(other for other in BLOCKS if other.language == "python" and "kf_ccxt_config" in other.text)


def bot_commands() -> Block:
    """Return the block of the record-then-replay commands of a bot's tests."""
    return next(other for other in BLOCKS if other.language == "bash" and "tests/test_bot.py" in other.text)


def check_bot_commands(block: Block, request: pytest.FixtureRequest) -> None:
    """The record-then-replay commands of a bot's tests: pytest command lines, run by the bot example's check."""
    assert block == bot_commands()
    assert [shlex.split(command, comments=True)[0] for command in block.commands] == ["pytest", "pytest"]
    assert TEST_FUNCTION.search(bot_example().text)


def run_bot_commands(block: Block, request: pytest.FixtureRequest) -> None:
    """The record-then-replay commands of a bot's tests, run on the first bot example as ``tests/test_bot.py``.

    The first command must record one cassette per test; the second must replay them and leave them as they were.
    """
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    example = bot_example()
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_bot.py").write_text(example.text)
    tests = len(TEST_FUNCTION.findall(example.text))
    folder = pytester.path / "cassettes" / "tests" / "test_bot"
    recorded: dict[Path, bytes] = {}
    for command in block.commands:
        words = shlex.split(command, comments=True)
        assert words[0] == "pytest", command
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *words[1:])
        result.assert_outcomes(passed=tests)
        cassettes = {path: path.read_bytes() for path in folder.glob("*.yaml")}
        assert len(cassettes) == tests
        assert not recorded or cassettes == recorded
        recorded = cassettes


def check_layout(block: Block, request: pytest.FixtureRequest) -> None:
    """The folder tree drawn is the package's: every folder named exists, and no folder is left out."""
    drawn: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in block.text.splitlines():
        match = re.match(r"( *)([a-z_]+)/ ", line + " ")
        if not match:
            continue
        depth = len(match.group(1))
        stack = [(level, name) for level, name in stack if level < depth]
        stack.append((depth, match.group(2)))
        drawn.append("/".join(name for _, name in stack))
    root = PACKAGE / drawn[0]
    actual = {
        str(path.relative_to(PACKAGE))
        for path in [root, *root.rglob("*")]
        if path.is_dir() and (path / "__init__.py").exists()
    }
    assert set(drawn) == actual


@dataclass(frozen=True)
class Kind:
    """A kind of block: which blocks are of it, and how they are checked."""

    name: str
    matches: Callable[[Block], bool]
    check: Callable[[Block, pytest.FixtureRequest], None]


KINDS = (
    Kind("install", lambda b: b.language == "bash" and "python3 -m venv" in b.text, check_install),
    Kind("test file", lambda b: b.language == "python" and bool(TEST_FUNCTION.search(b.text)), check_test_file),
    Kind("script", lambda b: b.language == "python" and not TEST_FUNCTION.search(b.text), check_script),
    Kind("simulator", lambda b: b.language == "bash" and b.text.startswith(SIMULATOR_COMMAND), check_simulator_cli),
    Kind(
        "curl",
        lambda b: b.language == "bash" and bool(b.commands) and all(line.startswith("curl ") for line in b.commands),
        check_curl,
    ),
    Kind(
        "production",
        lambda b: b.language == "bash" and "--kf-env=live" in b.text and "python3 -m venv" not in b.text,
        check_live,
    ),
    Kind("drift command", lambda b: b.language == "bash" and DRIFT_COMMAND in b.text, check_drift_cli),
    Kind("covered", lambda b: b.language == "bash" and b.text.strip() in COVERED, check_covered),
    Kind("bot commands", lambda b: b.language == "bash" and "tests/test_bot.py" in b.text, check_bot_commands),
    Kind("config", lambda b: b.language in ("ini", "toml"), check_config),
    Kind("output", lambda b: b.language == "" and b.text.lstrip("= ").startswith(tuple(OUTPUTS)), check_output),
    Kind("layout", lambda b: b.language == "text", check_layout),
)


def test_every_fence_opens_or_closes_a_block() -> None:
    """No fence of README.md is left out of the blocks."""
    fences = [line for line in README.read_text(encoding="utf-8").splitlines() if OPENING.match(line)]
    assert BLOCKS
    assert len(fences) == 2 * len(BLOCKS)


def test_every_kind_and_output_check_is_used() -> None:
    """No rule here is stale: each kind, output check and covered command matches a block."""
    unused = [kind.name for kind in KINDS if not any(kind.matches(block) for block in BLOCKS)]
    unused += [start for start in OUTPUTS if not any(block.text.lstrip("= ").startswith(start) for block in BLOCKS)]
    unused += [command for command in COVERED if not any(block.text.strip() == command for block in BLOCKS)]
    assert unused == []


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_readme_block(block: Block, request: pytest.FixtureRequest) -> None:
    """A block is of exactly one kind, and passes that kind's check."""
    kinds = [kind for kind in KINDS if kind.matches(block)]
    assert len(kinds) == 1, (
        f"README.md line {block.line}: a ```{block.language} block of {len(kinds)} kinds "
        f"({', '.join(kind.name for kind in kinds) or 'none'}); give it exactly one in KINDS:\n{block.text}"
    )
    kinds[0].check(block, request)
