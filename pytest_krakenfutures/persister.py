"""How a recording becomes a file: one writer at a time, scrubbed, scanned for secrets, never over a good cassette.

A test that passed writes its cassette. A test that failed or was interrupted leaves the cassette
as it was and writes what it recorded beside it (``<name>.yaml.failed``, ``<name>.yaml.interrupted``)
for review. A recording that still holds a secret after scrubbing is written nowhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .cassette_format import AtomicPersister, provenance_of, write_atomically
from .drift.recordings import Interaction, compare_recordings
from .errors import CassetteError, SecretInCassette
from .findings import findings
from .redaction import vault

if TYPE_CHECKING:
    from .context import CassetteContext
    from .scrub import Scrubber

#: The cassette mode of ``--kf-drift-check``: every request sent, answers compared, nothing written.
DRIFT_CHECK = "drift"
#: What a test's outcome makes of its recording: the cassette itself, or a file beside it.
BESIDE_SUFFIXES = {"failed": ".failed", "interrupted": ".interrupted"}
#: Where the cross-process cassette locks live (never next to the cassettes, which are committed).
LOCK_DIR = Path(tempfile.gettempdir()) / "pytest-krakenfutures-locks"
_LOCK_TIMEOUT = 120.0


def beside(path: Path, verdict: str) -> Path:
    """Return where the recording of a test with this verdict goes instead of its cassette."""
    return path.with_name(path.name + BESIDE_SUFFIXES[verdict])


def lock_for(path: Path) -> Any:
    """Return the inter-process lock of one cassette file."""
    from filelock import FileLock

    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:24]
    return FileLock(str(LOCK_DIR / f"{digest}.lock"), timeout=_LOCK_TIMEOUT)


class RecordingPersister(AtomicPersister):
    """The persister of a recording test: locks, merges, scrubs, scans and decides where the file goes."""

    def __init__(
        self,
        context: CassetteContext,
        scrubber: Scrubber,
        *,
        existing: str = "replay",
        matchers: Sequence[Any] = (),
        schema_dir: str | None = None,
    ) -> None:
        super().__init__(existing=existing, matchers=matchers)
        self.context = context
        self.scrubber = scrubber
        self.schema_dir = schema_dir

    def save_cassette(self, cassette_path: str | os.PathLike[str], cassette_dict: Any, serializer: Any) -> None:
        """Write the recording to the cassette (the test passed) or beside it (it did not)."""
        from vcr.serialize import serialize

        path = Path(cassette_path)
        verdict = self.context.verdict
        requests, responses = list(cassette_dict["requests"]), list(cassette_dict["responses"])
        if self.context.record_mode == DRIFT_CHECK:
            self.scrubber.interactions(requests, responses)
            self._report_drift(path, requests, responses, serializer)
            return
        with lock_for(path):
            replaced = self._old(path, serializer) if self.existing != "replay" else None
            if self.existing == "merge" and replaced is not None:
                cassette_dict = self._merged_with(replaced, cassette_dict)
                requests, responses = list(cassette_dict["requests"]), list(cassette_dict["responses"])
            self.scrubber.interactions(requests, responses)
            target = path if verdict == "passed" else beside(path, verdict)
            if target != path:
                serializer.provenance["kept_beside"] = {"test": self.context.test_id, "because": f"the test {verdict}"}
            text = serialize({**cassette_dict, "requests": requests, "responses": responses}, serializer)
            _refuse_secrets(target, text)
            write_atomically(target, text)
            if target == path:
                for suffix in BESIDE_SUFFIXES.values():
                    path.with_name(path.name + suffix).unlink(missing_ok=True)
        if replaced is not None and target == path:
            self._note_drift(path, _interactions(*replaced), _interactions(requests, responses))

    def _old(self, path: Path, serializer: Any) -> tuple[list[Any], list[Any]] | None:
        """Return the interactions a re-recording replaces, read once under the lock.

        ``None`` when there is no cassette. ``all`` keeps what it did not re-record, so a cassette
        it cannot read stops it; ``rewrite`` replaces an unreadable one (nothing of it is kept).
        """
        if not path.is_file():
            return None
        try:
            return self._read(path, serializer)
        except CassetteError:
            if self.existing == "merge":
                raise
            return None

    def _report_drift(self, path: Path, requests: list[Any], responses: list[Any], serializer: Any) -> None:
        """Compare a drift check's new answers with the cassette read when the test began; write nothing."""
        old = self.on_disk if self.on_disk is not None else self._old(path, serializer)
        if old is not None:
            self._note_drift(path, _interactions(*old), _interactions(requests, responses))

    def _note_drift(self, path: Path, old: list[Interaction], new: list[Interaction]) -> None:
        """Add what changed between two recordings of this test to the run's findings."""
        found = compare_recordings(old, new, test=self.context.test_id, cassette=str(path), schema_dir=self.schema_dir)
        findings.add_drift(item.to_dict() for item in found)


def _interactions(requests: list[Any], responses: list[Any]) -> list[Interaction]:
    """Turn vcrpy's requests and response dictionaries into interactions drift can compare."""
    found = []
    for request, response in zip(requests, responses, strict=True):
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        found.append(Interaction(request.method, request.uri, body if isinstance(body, str) else None, response))
    return found


def _refuse_secrets(target: Path, text: str) -> None:
    """Raise if a serialised cassette still holds a secret of the run, naming the fields that do."""
    found = vault.leaks(text)
    if not found:
        return
    places = sorted(set(_places(yaml.safe_load(text))))[:5]
    raise SecretInCassette(
        f"cassette {target} was not written: it would hold {', '.join(found)} at "
        f"{', '.join(places) or 'an unknown place'}. Nothing was written and the previous file, if any, is "
        "untouched; if a field of your own carries it, add the field to the kf_scrub_fields ini value"
    )


def _places(node: Any, path: str = "") -> Iterator[str]:
    """Yield the dotted paths of the strings in a document that hold a secret of the run."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _places(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _places(child, f"{path}[{index}]")
    elif isinstance(node, (str, bytes)):
        text = node.decode("utf-8", "replace") if isinstance(node, bytes) else node
        if not vault.leaks(text):
            return
        try:
            inner = json.loads(text) if text.lstrip()[:1] in ("{", "[") else None
        except ValueError:
            inner = None
        if isinstance(inner, (dict, list)):
            yield from _places(inner, path)
        else:
            yield path
    elif node is not None and vault.leaks(str(node)):
        yield path


def kept_aside(cassette_dir: Path, since: float) -> list[str]:
    """Describe the recordings written beside their cassettes (instead of into them) since a moment."""
    lines: list[str] = []
    if not cassette_dir.is_dir():
        return lines
    for suffix in BESIDE_SUFFIXES.values():
        for path in sorted(cassette_dir.rglob(f"*.yaml{suffix}")):
            try:
                if path.stat().st_mtime < since:
                    continue
            except OSError:
                continue
            kept = provenance_of(path).get("kept_beside") or {}
            cassette = path.with_name(path.name[: -len(suffix)])
            state = "left as it was" if cassette.exists() else "not written"
            lines.append(
                f"{kept.get('test', '?')}: {kept.get('because', 'the test did not pass')}; cassette {cassette} "
                f"{state}; its new recording is {path} (review it; rename it to the cassette to keep it)"
            )
    return lines
