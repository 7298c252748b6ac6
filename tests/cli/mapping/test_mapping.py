"""``pynsc add mapping`` / ``delete mapping``: every flag, weights per cluster (nsc's behaviour
§5.3 #24), replacing an entry, and deleting any entry (nsc's index bug, §7)."""

from __future__ import annotations

import json

import pytest

from pynsc import claims as c
from tests.cli.imports.conftest import Env


def _mappings(env: Env, account: str = "A") -> dict[str, list[tuple[str, int, str]]]:
    return {
        source: [(m.subject, m.weight, m.cluster) for m in targets]
        for source, targets in env.account(account).nats.mappings.items()
    }


def _set(env: Env, mappings: dict[str, list[c.WeightedMapping]]) -> None:
    def change(claims: c.AccountClaims) -> None:
        claims.nats.mappings = mappings

    env.edit_account("A", change)


# add mapping --------------------------------------------------------------------------------------


def test_add_default_weight(env: Env) -> None:
    assert env.ok_lines("add", "mapping", "--from", "a", "--to", "b") == [
        "[ OK ] added mapping a -> b, weight 100%"
    ]
    assert _mappings(env) == {"a": [("b", 0, "")]}
    assert env.account("A").iss == env.operator.public_key


def test_weights_over_100_fail_until_cluster(env: Env) -> None:  # 5.3 #24
    env.ok("add", "mapping", "--from", "q", "--to", "qq", "--weight", "100")
    message = env.fails("add", "mapping", "--from", "q", "--to", "qqq", "--weight", "10")
    assert message == (
        'mapping validation failed: [Mapping "q" exceeds 100% among all of it\'s weighted to '
        "mappings]"
    )
    assert _mappings(env) == {"q": [("qq", 100, "")]}
    lines = env.ok_lines("add", "mapping", "-f", "q", "-t", "qqq", "--weight", "10",
                         "--cluster", "A")  # fmt: skip
    assert lines == ['[ OK ] added mapping q -> qqq, weight 10%, cluster "A"']
    assert _mappings(env) == {"q": [("qq", 100, ""), ("qqq", 10, "A")]}


def test_same_to_and_cluster_replaces(env: Env) -> None:  # 5.3 #24
    env.ok("add", "mapping", "-f", "q", "-t", "qq", "--weight", "50")
    env.ok("add", "mapping", "-f", "q", "-t", "qq", "--weight", "40", "--cluster", "A")
    env.ok("add", "mapping", "-f", "q", "-t", "qq", "--weight", "30")
    env.ok("add", "mapping", "-f", "q", "-t", "qq", "--weight", "70", "--cluster", "A")
    assert _mappings(env) == {"q": [("qq", 30, ""), ("qq", 70, "A")]}


def test_split_per_cluster(env: Env) -> None:
    env.ok("add", "mapping", "-f", "q", "-t", "a", "--weight", "60", "--cluster", "C")
    env.ok("add", "mapping", "-f", "q", "-t", "b", "--weight", "40", "--cluster", "C")
    message = env.fails("add", "mapping", "-f", "q", "-t", "c", "--weight", "1", "--cluster", "C")
    assert message == (
        'mapping validation failed: [Mapping "q" in cluster "C" exceeds 100% among all of '
        "it's weighted to mappings]"
    )


def test_weight_over_100(env: Env) -> None:
    message = env.fails("add", "mapping", "-f", "q", "-t", "a", "--weight", "150")
    assert message.startswith('mapping validation failed: [Mapping "q" has a weight 150 that '
                              "exceeds 100")  # fmt: skip


@pytest.mark.parametrize("weight", ["256", "-1", "x"])
def test_weight_is_a_uint8(env: Env, weight: str) -> None:
    env.fails("add", "mapping", "-f", "q", "-t", "a", "--weight", weight, exit_code=2)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("-t", "b"), "from subject is required"),
        (("-f", "", "-t", "b"), "from subject is required"),
        (("-f", "a"), "to subject is required"),
    ],
)
def test_add_required(env: Env, args: tuple[str, ...], expected: str) -> None:
    assert env.fails("add", "mapping", *args, exit_code=2) == expected


def test_bad_subjects(env: Env) -> None:
    message = env.fails("add", "mapping", "-f", "a b", "-t", "b")
    assert message == 'mapping validation failed: [subject "a b" cannot have spaces]'
    message = env.fails("add", "mapping", "-f", "a", "-t", "b..c")
    assert message.startswith("mapping validation failed: [subject \"b..c\"")


def test_whole_account_is_validated(env: Env) -> None:
    def bad(claims: c.AccountClaims) -> None:
        claims.nats.limits.imports = 0
        claims.nats.imports.append(
            c.Import(subject="x", account=env.accounts["A"].public_key, type=c.STREAM)
        )

    claims = env.store.account("A")
    bad(claims)
    # written bypassing validation, as a broken JWT from elsewhere would be
    env.store.write_account("A", c.encode(claims, env.operator))
    message = env.fails("add", "mapping", "-f", "a", "-t", "b")
    assert message == "the account contains more imports than allowed by the operator"


def test_add_by_account_flag(env: Env) -> None:
    env.add_account("B")
    assert env.fails("add", "mapping", "-f", "a", "-t", "b") == "an account is required"
    env.ok("add", "mapping", "-a", "B", "-f", "a", "-t", "b")
    env.ok("add", "mapping", "--account", env.accounts["A"].public_key, "-f", "x", "-t", "y")
    assert _mappings(env, "B") == {"a": [("b", 0, "")]}
    assert _mappings(env, "A") == {"x": [("y", 0, "")]}


def test_add_keeps_other_fields(env: Env) -> None:
    def change(claims: c.AccountClaims) -> None:
        claims.nats.tags = ["t"]
        claims.nats.description = "d"

    env.edit_account("A", change)
    env.ok("add", "mapping", "-f", "a", "-t", "b")
    claims = env.account("A")
    assert (claims.nats.tags, claims.nats.description) == (["t"], "d")


def test_add_no_operator_key(env: Env) -> None:
    env.keystore.remove(env.operator.public_key)
    message = env.fails("add", "mapping", "-f", "a", "-t", "b")
    assert message.startswith("unable to resolve any of the following signing keys")


def test_add_json(env: Env) -> None:
    payload = env.json("add", "mapping", "-f", "a", "-t", "b", "--weight", "40", "--cluster", "C")
    assert payload["messages"] == [
        {"level": "ok", "text": 'added mapping a -> b, weight 40%, cluster "C"'}
    ]
    assert payload["data"] == {"account": "A", "from": "a", "to": "b", "weight": 40,
                               "cluster": "C"}  # fmt: skip


def test_add_json_failure(env: Env) -> None:
    env.ok("add", "mapping", "-f", "q", "-t", "a")
    before = env.digest()
    result = env.run("add", "mapping", "-f", "q", "-t", "b", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"][0]["text"].startswith("mapping validation failed")
    assert env.digest() == before


# delete mapping -----------------------------------------------------------------------------------


@pytest.fixture
def mapped(env: Env) -> Env:
    _set(env, {
        "q": [
            c.WeightedMapping(subject="a", weight=20),
            c.WeightedMapping(subject="b", weight=30),
            c.WeightedMapping(subject="c", weight=50),
            c.WeightedMapping(subject="b", weight=100, cluster="X"),
        ],
        "r": [c.WeightedMapping(subject="s")],
    })  # fmt: skip
    return env


def test_delete_all_of_from(mapped: Env) -> None:
    assert mapped.ok_lines("delete", "mapping", "--from", "q") == [
        "[ OK ] deleted all mapping for q"
    ]
    assert _mappings(mapped) == {"r": [("s", 0, "")]}
    mapped.ok("delete", "mapping", "-f", "r")
    assert _mappings(mapped) == {}
    assert mapped.account("A").nats.mappings == {}


def test_delete_an_entry_in_the_middle(mapped: Env) -> None:
    """nsc's index bug (``list[i+i:]``) dropped the wrong entries after the first."""
    assert mapped.ok_lines("delete", "mapping", "-f", "q", "--to", "b") == [
        "[ OK ] deleted mapping q -> b"
    ]
    assert _mappings(mapped)["q"] == [("a", 20, ""), ("c", 50, ""), ("b", 100, "X")]
    mapped.ok("delete", "mapping", "-f", "q", "-t", "c")
    assert _mappings(mapped)["q"] == [("a", 20, ""), ("b", 100, "X")]


def test_delete_in_a_cluster(mapped: Env) -> None:
    assert mapped.ok_lines("delete", "mapping", "-f", "q", "-t", "b", "--cluster", "X") == [
        '[ OK ] deleted mapping q -> b in cluster "X"'
    ]
    assert _mappings(mapped)["q"] == [("a", 20, ""), ("b", 30, ""), ("c", 50, "")]


def test_delete_all_of_a_cluster(mapped: Env) -> None:
    assert mapped.ok_lines("delete", "mapping", "-f", "q", "--cluster", "X") == [
        '[ OK ] deleted all mapping for q in cluster "X"'
    ]
    assert [t for t, _, _ in _mappings(mapped)["q"]] == ["a", "b", "c"]


def test_delete_last_entry_removes_the_subject(mapped: Env) -> None:
    mapped.ok("delete", "mapping", "-f", "r", "-t", "s")
    assert "r" not in _mappings(mapped)


def test_delete_not_found(mapped: Env) -> None:
    assert mapped.fails("delete", "mapping", "-f", "z") == 'account "A" has no mapping for "z"'
    message = mapped.fails("delete", "mapping", "-f", "q", "-t", "z")
    assert message == 'no mapping "q" -> "z" found in account "A"'
    message = mapped.fails("delete", "mapping", "-f", "q", "--cluster", "Y")
    assert message == 'no mapping for "q" in cluster "Y" found in account "A"'


def test_delete_entry_only_in_a_cluster_hints(env: Env) -> None:
    _set(env, {"q": [c.WeightedMapping(subject="b", cluster="X")]})
    before = env.digest()
    result = env.run("delete", "mapping", "-f", "q", "-t", "b")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'Error: no mapping "q" -> "b" found in account "A"',
        'Hint: it is mapped in cluster "X": add --cluster',
    ]
    assert env.digest() == before


def test_delete_from_is_required(mapped: Env) -> None:
    assert mapped.fails("delete", "mapping", "-t", "a", exit_code=2) == "from subject is required"


def test_delete_json(mapped: Env) -> None:
    payload = mapped.json("delete", "mapping", "-f", "q", "-t", "b")
    assert payload["messages"] == [{"level": "ok", "text": "deleted mapping q -> b"}]
    assert payload["data"] == {
        "account": "A", "from": "q", "deleted": [{"to": "b", "weight": 30, "cluster": ""}],
    }  # fmt: skip


def test_delete_json_failure(mapped: Env) -> None:
    before = mapped.digest()
    result = mapped.run("delete", "mapping", "-f", "z", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["ok"] is False
    assert mapped.digest() == before


def test_delete_no_operator_key(mapped: Env) -> None:
    mapped.keystore.remove(mapped.operator.public_key)
    message = mapped.fails("delete", "mapping", "-f", "q")
    assert message.startswith("unable to resolve any of the following signing keys")
