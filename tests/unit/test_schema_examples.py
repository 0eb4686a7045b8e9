"""Every endpoint's schema against realistic examples of our own, and mutations of them that must fail.

Each file ``tests/examples/<name>.json`` holds::

    {"endpoint": "<operation id>",
     "valid": [<body>, ...],                    # realistic answers; all must pass
     "identity": ["$.fills[0].fill_id", ...],   # strictly typed, required fields of valid[0]
     "invalid": [{"body": <body>, "path": "$.x"}],  # further bodies that must fail naming that path
     "refused": [{"body": <body>, "outcome": "<status>", "says": "order not placed: <status>"}]}

``refused`` bodies are order operations that were not carried out: they fail unless the test
states the outcome, with a message saying what happened.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pytest_krakenfutures import ContractViolation, assert_contract, endpoint, endpoints
from pytest_krakenfutures.observations import observe
from pytest_krakenfutures.schemas import load as load_schema

EXAMPLES = Path(__file__).parent.parent / "examples"
FILES = sorted(EXAMPLES.glob("*.json"))
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^']*)'\]")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def steps(json_path: str) -> list[str | int]:
    """Split ``$.a[0].b`` into ``["a", 0, "b"]``."""
    assert json_path.startswith("$"), json_path
    found: list[str | int] = []
    position = 1
    while position < len(json_path):
        match = _STEP.match(json_path, position)
        assert match, f"cannot read {json_path!r} at {position}"
        name, index, quoted = match.groups()
        found.append(int(index) if index is not None else (name if name is not None else quoted))
        position = match.end()
    return found


def parent_and_key(body: Any, json_path: str) -> tuple[Any, str | int]:
    *head, last = steps(json_path)
    node = body
    for step in head:
        node = node[step]
    return node, last


def wrong_type(value: Any) -> Any:
    """A value of another JSON type than ``value`` that no tolerant reading accepts."""
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, (int, float)):
        return "not-a-number"
    if isinstance(value, str):
        return {"unexpected": value}
    return 12345


def parent_path(json_path: str) -> str:
    """The JSON path of the object holding the last step of ``json_path``, as jsonschema writes it."""
    cut = max(json_path.rfind("."), json_path.rfind("["))
    return json_path[:cut] if cut > 0 else "$"


@pytest.fixture(params=FILES, ids=[path.stem for path in FILES])
def example(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


def covered_schemas() -> set[str]:
    """Schemas exercised by some example file (endpoints sharing one need no examples of their own)."""
    return {endpoint(load(path)["endpoint"]).schema for path in FILES}


def test_every_endpoint_has_examples() -> None:
    covered = {load(path)["endpoint"] for path in FILES}
    shared = {item.id for item in endpoints() if item.schema != item.id and item.schema in covered_schemas()}
    missing = sorted(item.id for item in endpoints() if item.id not in covered and item.id not in shared)
    assert not missing, f"endpoints without tests/examples: {missing}"


def test_valid_examples_pass_and_declare_every_field(example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    assert example["valid"], "at least one realistic example"
    for body in example["valid"]:
        assert assert_contract(body, target.id) == body
    unknown = [item for item in observe(example["valid"][0], target) if item.kind == "unknown-field"]
    assert not unknown, f"fields of the first example missing from schema {target.schema}: {unknown}"


def test_identity_fields_are_strict(example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    for json_path in example.get("identity", []):
        body = copy.deepcopy(example["valid"][0])
        parent, key = parent_and_key(body, json_path)
        parent[key] = wrong_type(parent[key])
        with pytest.raises(ContractViolation) as info:
            assert_contract(body, target.id)
        assert f"{json_path}: " in str(info.value), (json_path, str(info.value))
        if isinstance(key, str):
            del parent[key]
            with pytest.raises(ContractViolation) as info:
                assert_contract(body, target.id)
            assert f"{parent_path(json_path)}: '{key}' is a required property" in str(info.value)


def test_envelope_is_strict(example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    body = example["valid"][0]
    if not isinstance(body, dict):
        pytest.skip("the answer is not an object")
    enveloped = {"$ref": "common.json#/$defs/success"} in load_schema(target.schema).get("allOf", [])
    names = ("result", "serverTime", target.response_key) if enveloped else (target.response_key,)
    keys = [key for key in names if key and key in body]
    if enveloped:
        assert {"result", "serverTime"} <= set(keys), "an envelope endpoint's example needs result and serverTime"
    for key in keys:
        broken = {name: value for name, value in body.items() if name != key}
        with pytest.raises(ContractViolation, match=re.escape(f"$: '{key}' is a required property")):
            assert_contract(broken, target.id)
    if enveloped:
        failed = {"result": "error", "serverTime": body["serverTime"], "error": "apiLimitExceeded"}
        with pytest.raises(ContractViolation, match="expected success, got error:apiLimitExceeded"):
            assert_contract(failed, target.id)


def test_further_invalid_bodies_fail_naming_the_path(example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    for case in example.get("invalid", []):
        with pytest.raises(ContractViolation) as info:
            assert_contract(case["body"], target.id)
        assert f"{case['path']}" in str(info.value), (case["path"], str(info.value))


def test_refused_operations_need_their_outcome_stated(example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    for case in example.get("refused", []):
        with pytest.raises(ContractViolation) as info:
            assert_contract(case["body"], target.id)
        assert case["says"] in str(info.value)
        assert assert_contract(case["body"], target.id, outcome=case["outcome"]) == case["body"]
