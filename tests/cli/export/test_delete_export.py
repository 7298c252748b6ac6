"""``pynsc delete export``: selection by subject, messages, JSON, failures."""

from __future__ import annotations

import json

from pynsc import claims as c
from tests.cli.export.conftest import add_export, assert_account_valid, exports
from tests.cli.user.conftest import Env


def test_no_exports(env: Env) -> None:
    assert env.fails("delete", "export", "-s", "a") == 'account "A" doesn\'t have exports'


def test_wrong_subject(env: Env) -> None:
    add_export(env, "A", "bar", type=c.SERVICE)
    assert env.fails("delete", "export", "--subject", "a") == 'no export matching "a" found'


def test_only_export_without_subject(env: Env) -> None:
    """nsc's acceptance behaviour #37."""
    add_export(env, "A", "bar", type=c.SERVICE)
    result = env.ok("delete", "export")
    assert result.stderr == '[ OK ] deleted service export "bar"\n'
    assert result.stdout == ""
    assert exports(env) == []
    assert_account_valid(env)


def test_subject_required_with_several(env: Env) -> None:
    add_export(env, "A", "a")
    add_export(env, "A", "b")
    assert env.fails("delete", "export") == "subject is required"
    result = env.ok("delete", "export", "-s", "a")
    assert result.stderr == '[ OK ] deleted stream export "a"\n'
    assert [e.subject for e in exports(env)] == ["b"]


def test_same_subject_both_kinds(env: Env) -> None:
    add_export(env, "A", "bar")
    add_export(env, "A", "bar", type=c.SERVICE)
    assert env.fails("delete", "export", "-s", "bar") == (
        'subject "bar" is exported both as a stream and as a service'
    )
    env.ok("delete", "export", "-s", "bar", "--service")
    assert [(e.subject, e.type) for e in exports(env)] == [("bar", "stream")]
    assert env.fails("delete", "export", "-s", "bar", "--service") == (
        'no export matching "bar" found'
    )
    env.ok("delete", "export", "-s", "bar", "--service=false")
    assert exports(env) == []


def test_other_account_by_key(env: Env) -> None:
    b = env.add_account("B")
    add_export(env, "B", "x")
    add_export(env, "A", "x")
    env.ok("delete", "export", "-a", b.public_key)
    assert exports(env, "B") == []
    assert len(exports(env, "A")) == 1


def test_json(env: Env) -> None:
    add_export(env, "A", "a.>", token_req=True)
    payload = env.json("delete", "export")
    assert payload["messages"] == [{"level": "ok", "text": 'deleted stream export "a.>"'}]
    assert payload["data"]["export"] == {
        "name": "a.>", "subject": "a.>", "type": "stream", "token_req": True
    }  # fmt: skip
    assert payload["data"]["jwt"] == env.store.account_token("A")


def test_json_failure(env: Env) -> None:
    result = env.run("delete", "export", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"][0]["text"] == 'account "A" doesn\'t have exports'


def test_no_signer_changes_nothing(env: Env) -> None:
    add_export(env, "A", "a")
    env.keystore.remove(env.operator.public_key)
    assert "unable to resolve" in env.fails("delete", "export")
