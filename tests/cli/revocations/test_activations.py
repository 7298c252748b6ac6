"""``pynsc revocations add-activation|delete-activation|list-activations``: export selection,
targets, ``--at``, JSON and failures that change nothing."""

from __future__ import annotations

import time

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.revocations.conftest import Env, assert_valid_account


@pytest.fixture
def exports(env: Env) -> Env:
    env.add_account("A")
    env.add_account("B")
    env.add_export("A", "foo.>", private=True)
    env.add_export("A", "bar", service=True, private=True)
    env.add_export("A", "public", service=True)
    env.select("A")
    return env


def _export(env: Env, subject: str, account: str = "A") -> c.Export:
    return next(e for e in env.account(account).nats.exports if e.subject == subject)


def _activation(exporter: Env, target: str, subject: str) -> c.ActivationClaims:
    """An activation of ``subject`` for ``target``, issued now by account A."""
    claims = c.ActivationClaims(sub=target, name=subject)
    claims.nats.subject = subject
    claims.nats.kind = c.STREAM
    token = c.encode(claims, exporter.keystore.read(exporter.accounts["A"].public_key))
    return c.decode(token, c.ActivationClaims)


def _revoked(export: c.Export, key: str, issued_at: int) -> bool:
    return any(export.revocations.get(k, -1) >= issued_at for k in (key, "*"))


def test_revoke_stream_activation(exports: Env) -> None:
    target = keys.generate("account").public_key
    result = exports.ok(
        "revocations", "add-activation", "--subject", "foo.bar", "--target-account", target
    )
    assert result.stderr.splitlines() == [f'[ OK ] revoked activation "foo.>" for account {target}']
    account = assert_valid_account(exports.account_token("A"))
    revoked = {e.subject: set(e.revocations) for e in account.nats.exports}
    assert revoked == {"foo.>": {target}, "bar": set(), "public": set()}
    assert account.iss == exports.operator.public_key
    export = _export(exports, "foo.>")
    assert export.token_req
    assert export.name == "foo.>"


def test_revoke_service_and_public_exports(exports: Env) -> None:
    target = keys.generate("account").public_key
    exports.ok("revocations", "add_activation", "-s", "bar", "-t", target, "--service")
    exports.ok("revocations", "add-activation", "-s", "public", "-t", target, "--service")
    assert set(_export(exports, "bar").revocations) == {target}
    assert set(_export(exports, "public").revocations) == {target}
    assert _export(exports, "foo.>").revocations == {}


def test_at_1000_does_not_revoke_a_newer_activation(exports: Env) -> None:
    b = exports.accounts["B"].public_key
    exports.ok("revocations", "add-activation", "-s", "foo.x", "-t", b, "--at", "1000")
    activation = _activation(exports, b, "foo.x")
    export = _export(exports, "foo.>")
    assert export.revocations == {b: 1000}
    assert not _revoked(export, b, activation.iat)
    assert _revoked(export, b, 999)


def test_at_now_revokes(exports: Env) -> None:
    b = exports.accounts["B"].public_key
    activation = _activation(exports, b, "foo.x")
    exports.ok("revocations", "add-activation", "-t", b, "--at", str(int(time.time())))
    assert _revoked(_export(exports, "foo.>"), b, activation.iat)


def test_all_accounts(exports: Env) -> None:
    result = exports.ok("revocations", "add-activation", "-t", "*", "--at", "2020-01-01T00:00:00Z")
    assert result.stderr.splitlines() == [
        '[ OK ] revoked all activations for "foo.>" issued before 2020-01-01 00:00:00 +0000 UTC'
    ]
    assert _export(exports, "foo.>").revocations == {"*": 1577836800}


def test_target_by_local_account_name(exports: Env) -> None:
    exports.ok("revocations", "add-activation", "-t", "B")
    assert set(_export(exports, "foo.>").revocations) == {exports.accounts["B"].public_key}


def test_never_lowers_an_existing_time(exports: Env) -> None:
    exports.ok("revocations", "add-activation", "-t", "*", "--at", "5000")
    result = exports.ok("revocations", "add-activation", "-t", "*", "--at", "1000")
    assert "[WARN] kept the existing later revocation time" in result.stderr
    assert _export(exports, "foo.>").revocations == {"*": 5000}


def test_subject_required_with_several(exports: Env) -> None:
    message = exports.fails("revocations", "add-activation", "-t", "*", "--service", exit_code=2)
    assert message == "a subject is required"


def test_no_exports(env: Env) -> None:
    env.add_account("A")
    assert env.fails("revocations", "add-activation", "-t", "*") == (
        'account "A" doesn\'t have exports'
    )


def test_no_exports_of_that_kind(env: Env) -> None:
    env.add_account("A")
    env.add_export("A", "q", service=True)
    assert "doesn't have stream exports" in env.fails("revocations", "add-activation", "-t", "*")
    env.add_account("S")
    env.add_export("S", "q")
    message = env.fails("revocations", "add-activation", "-a", "S", "-t", "*", "--service")
    assert "doesn't have service exports" in message


def test_export_not_found(exports: Env) -> None:
    message = exports.fails("revocations", "add-activation", "-t", "*", "--service", "-s", "foo")
    assert message == "unable to locate export"


def test_target_required(exports: Env) -> None:
    message = exports.fails("revocations", "add-activation", "-s", "foo.a", exit_code=2)
    assert message == "target-account cannot be empty"


def test_bad_target(exports: Env) -> None:
    user = keys.generate("user").public_key
    assert exports.fails("revocations", "add-activation", "-t", user) == (
        f'{user} is not a valid "account" public key'
    )


def test_bad_at(exports: Env) -> None:
    message = exports.fails("revocations", "add-activation", "-t", "*", "--at", "x", exit_code=2)
    assert 'provided value "x" is not a number nor parsable as RFC3339' in message


def test_without_an_operator_key(exports: Env) -> None:
    exports.keystore.remove(exports.operator.public_key)
    message = exports.fails("revocations", "add-activation", "-t", "*")
    assert "unable to resolve any of the following signing keys" in message


def test_add_json(exports: Env) -> None:
    payload = exports.json("revocations", "add-activation", "-s", "bar", "--service", "-t", "*",
                           "--at", "1000")  # fmt: skip
    data = payload["data"]
    assert data["export"] == {"name": "bar", "subject": "bar", "type": "service"}
    assert (data["account"], data["public_key"], data["at"]) == ("A", "*", 1000)
    assert data["jwt"] == exports.account_token("A")
    assert_valid_account(data["jwt"])


# delete-activation ------------------------------------------------------------------------------


def test_delete(exports: Env) -> None:
    b = exports.accounts["B"].public_key
    exports.ok("revocations", "add-activation", "-s", "foo.bar", "-t", b)
    exports.ok("revocations", "add-activation", "-s", "foo.bar", "-t", "*")
    result = exports.ok("revocations", "delete-activation", "-s", "foo.bar", "-t", b)
    assert result.stderr.splitlines() == [f"[ OK ] deleted stream foo.> revocation for account {b}"]
    assert set(_export(exports, "foo.>").revocations) == {"*"}
    result = exports.ok("revocations", "delete_activation", "-t", "*")
    assert result.stderr.splitlines() == ["[ OK ] deleted stream foo.> revocation for all accounts"]
    assert _export(exports, "foo.>").revocations == {}
    assert_valid_account(exports.account_token("A"))


def test_delete_not_revoked(exports: Env) -> None:
    b = exports.accounts["B"].public_key
    message = exports.fails("revocations", "delete-activation", "-s", "bar", "--service", "-t", b)
    assert message == f"service export bar has no revocation for account {b}"


def test_delete_json(exports: Env) -> None:
    exports.ok("revocations", "add-activation", "-t", "*")
    payload = exports.json("revocations", "delete-activation", "-t", "*")
    assert payload["data"]["public_key"] == "*"
    assert assert_valid_account(payload["data"]["jwt"]).nats.exports[0].revocations == {}


# list-activations -------------------------------------------------------------------------------


def test_list(exports: Env) -> None:
    b = exports.accounts["B"].public_key
    other = keys.generate("account").public_key
    exports.ok("revocations", "add-activation", "-t", b, "--at", "1000")
    exports.ok("revocations", "add-activation", "-t", other, "--at", "1700000000")
    exports.ok("revocations", "add-activation", "-t", "*", "--at", "86400")
    result = exports.ok("revocations", "list-activations", "-s", "foo.>")
    lines = result.stdout.splitlines()
    assert "Revoked Accounts for stream foo.>" in lines[1]
    assert [cell.strip() for cell in lines[3].split("|")[1:-1]] == [
        "Public Key", "Account", "Revoke Credentials Before",
    ]  # fmt: skip
    rows = sorted([cell.strip() for cell in line.split("|")[1:-1]] for line in lines[5:-1])
    assert rows == sorted([
        ["* [All Accounts]", "", "Fri, 02 Jan 1970 00:00:00 UTC"],
        [b, "B", "Thu, 01 Jan 1970 00:16:40 UTC"],
        [other, "", "Tue, 14 Nov 2023 22:13:20 UTC"],
    ])  # fmt: skip


def test_list_json(exports: Env) -> None:
    exports.ok("revocations", "add-activation", "-s", "bar", "--service", "-t", "B", "--at", "7")
    payload = exports.json("revocations", "list_activations", "-s", "bar", "--service")
    assert payload["data"] == {
        "account": "A",
        "export": {"name": "bar", "subject": "bar", "type": "service"},
        "revocations": [{"public_key": exports.accounts["B"].public_key, "name": "B", "at": 7}],
    }


def test_list_without_revocations(exports: Env) -> None:
    assert exports.fails("revocations", "list-activations") == "stream foo.> has no revocations"
