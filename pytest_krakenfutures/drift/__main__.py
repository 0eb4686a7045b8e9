"""``python -m pytest_krakenfutures.drift OLD_DIR NEW_DIR [--report PATH]``: what changed between two cassette trees.

Cassettes are paired by their path below each directory (for example two git revisions of
``cassettes/``), interactions by request. Prints a summary and every breaking drift; exits 1 when
something broke, 2 when a directory or a cassette cannot be read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import yaml

from .._options import REPORT_FORMATS
from ..coverage import coverage_of
from ..report import DriftReport, write_report
from .compare import BREAKING, INFO
from .recordings import Drift, Interaction, compare_recordings, read_cassette

PROG = "python -m pytest_krakenfutures.drift"
CASSETTE_GONE = "cassette-gone"
CASSETTE_NEW = "cassette-new"


class _Parser(argparse.ArgumentParser):
    """Argument parser whose errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        """Report a bad argument in one line and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def compare_trees(old_dir: Path, new_dir: Path) -> list[Drift]:
    """Compare every cassette of two trees, paired by relative path; raise ``ValueError`` naming a bad file."""
    old = {path.relative_to(old_dir): path for path in old_dir.rglob("*.yaml")}
    new = {path.relative_to(new_dir): path for path in new_dir.rglob("*.yaml")}
    found: list[Drift] = []
    for name in sorted(old.keys() | new.keys()):
        test = str(name.with_suffix(""))
        if name not in new:
            found.append(Drift(test, str(old[name]), "-", "$", CASSETTE_GONE, INFO, str(old[name]), None))
            continue
        if name not in old:
            found.append(Drift(test, str(new[name]), "-", "$", CASSETTE_NEW, INFO, None, str(new[name])))
            continue
        before, after = _read(old[name]), _read(new[name])
        found += compare_recordings(before, after, test=test, cassette=str(new[name]))
    return found


def _read(path: Path) -> list[Interaction]:
    """Read one cassette, turning any failure into a ``ValueError`` that names the file."""
    try:
        return read_cassette(path)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cassette {path} cannot be read: {' '.join(str(exc).split())}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Compare two cassette trees, print the drift, write the reports asked for; return the exit status."""
    parser = _Parser(prog=PROG, description="Compare two cassette trees and say what drifted.")
    parser.add_argument("old", type=Path, metavar="OLD_DIR", help="the cassettes before (e.g. from git)")
    parser.add_argument("new", type=Path, metavar="NEW_DIR", help="the cassettes after")
    parser.add_argument(
        "--report", action="append", type=Path, default=[], metavar="PATH", help="write a .json, .md or .html report"
    )
    args = parser.parse_args(argv)
    for directory in (args.old, args.new):
        if not directory.is_dir():
            parser.error(f"{directory} is not a directory of cassettes")
    for path in args.report:
        if path.suffix not in REPORT_FORMATS:
            parser.error(f"--report {path}: the format comes from the extension: .json, .md or .html")
    try:
        drift = compare_trees(args.old, args.new)
    except ValueError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    report = DriftReport(drift=drift, coverage=coverage_of(sorted(args.new.rglob("*.yaml"))))
    for line in report.summary(verbose=True):
        print(line)
    for path in args.report:
        write_report(path, report.document())
        print(f"report written to {path}")
    return 1 if any(item.severity == BREAKING for item in drift) else 0


if __name__ == "__main__":
    sys.exit(main())
