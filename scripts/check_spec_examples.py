"""Check the bundled schemas against the response examples in Kraken's own OpenAPI files.

Usage: python scripts/check_spec_examples.py [SPEC_DIR]

SPEC_DIR is a checkout of krakenfx/api-specs' ``futures-rest`` folder (default:
``../shared/reference/kraken-api-specs/futures-rest``). The test suite does not need it; this
script prints, per operation, each response example with the verdict of ``assert_contract``
and, for rejected ones, the first lines of the message. It exits 0 whatever it finds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from pytest_krakenfutures import ContractViolation, assert_contract, catalog
from pytest_krakenfutures.errors import KrakenFuturesError
from pytest_krakenfutures.outcome import PERFORMED, classify

SPEC_FILES = (
    "trading/public.yml",
    "history/api-public.yml",
    "charts/api-public.yml",
    "auth/api-public.yml",
    "stats/public.yml",
)
METHODS = ("get", "post", "put", "delete", "patch")


class Resolver:
    """Follow ``$ref``s across the YAML files of the spec."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents: dict[Path, Any] = {}

    def document(self, path: Path) -> Any:
        """Return a parsed YAML file, cached."""
        if path not in self.documents:
            self.documents[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return self.documents[path]

    def follow(self, node: Any, where: Path) -> tuple[Any, Path]:
        """Resolve ``node`` while it is a ``$ref``; return it with the file it now lives in."""
        while isinstance(node, dict) and "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            where = (where.parent / target).resolve() if target else where
            node = self.document(where)
            for part in [p for p in pointer.split("/") if p]:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, where


def examples(resolver: Resolver, spec: Path) -> Iterator[tuple[str, str, str, Any]]:
    """Yield (operation id, HTTP status, example name, body) for every response example of a file."""
    document = resolver.document(spec)
    for item in document.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            for status, response in (operation.get("responses") or {}).items():
                response, where = resolver.follow(response, spec)
                for media, content in (response.get("content") or {}).items():
                    if "json" not in media:
                        continue
                    if "example" in content:
                        yield operation["operationId"], str(status), "example", content["example"]
                    for name, example in (content.get("examples") or {}).items():
                        example, _ = resolver.follow(example, where)
                        if isinstance(example, dict) and "value" in example:
                            yield operation["operationId"], str(status), name, example["value"]


def verdict(operation: str, body: Any) -> tuple[bool, str]:
    """Return whether the example passes its contract, stating the outcome it shows, and the message."""
    target = catalog.endpoint(operation)
    found = classify(body, target)
    outcome = None
    if found.result == "error":
        outcome = "error"
    elif target.id in PERFORMED and found.statuses and not all(s in PERFORMED[target.id] for s in found.statuses):
        outcome = ",".join(found.statuses)
    try:
        assert_contract(body, target.id, outcome=outcome)
    except ContractViolation as exc:
        return False, str(exc)
    except KrakenFuturesError as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


def main(argv: list[str]) -> int:
    """Check every example and print a line per example, with the message of rejected ones."""
    default = Path(__file__).resolve().parents[2] / "shared/reference/kraken-api-specs/futures-rest"
    root = Path(argv[1]) if len(argv) > 1 else default
    if not root.is_dir():
        print(f"no spec folder at {root}; pass the futures-rest folder of krakenfx/api-specs", file=sys.stderr)
        return 2
    resolver = Resolver(root)
    passed = rejected = 0
    for name in SPEC_FILES:
        for operation, status, label, body in examples(resolver, (root / name).resolve()):
            ok, message = verdict(operation, body)
            passed += ok
            rejected += not ok
            print(f"{'pass  ' if ok else 'REJECT'} {operation} {status} {label}")
            for line in message.splitlines()[:6]:
                print(f"         {line}")
    print(f"{passed} examples pass, {rejected} rejected")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
