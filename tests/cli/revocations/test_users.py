"""``pynsc revocations add-user|delete-user|list-users``: targets, ``--at``, signers, JSON and
failures that change nothing."""

from __future__ import annotations

import json
import time

import pytest

from pynsc import keys
from tests.cli.revocations.conftest import Env, assert_valid_account

OTHER_KEY = "UAUGJSHSTZY4ESHTL32CYYQNGT6MHXDQY6APMFMVRXWZN76RHE2IRN5O"


@pytest.fixture
def users(env: Env) -> Env:
    env.add_account("A")
    env.add_user("A", "U")
    env.add_user("A", "V")
    return env


def _revocations(env: Env, account: str = "A") -> dict[str, int]:
    return dict(env.account(account).nats.revocations)


# add-user ---------------------------------------------------------------------------------------


def test_revoke_by_name(users: Env) -> None:
    user = users.user("A", "U")
    result = users.ok("revocations", "add-user", "-n", "U")
    assert result.stderr.splitlines() == [f'[ OK ] revoked user "{user.sub}"']
    account = assert_valid_account(users.account_token("A"))
    assert set(account.nats.revocations) == {user.sub}
    assert account.is_revoked(user.sub, user.iat)
    assert not account.is_revoked(users.user("A", "V").sub, users.user("A", "V").iat)
    assert account.iss == users.operator.public_key


def test_underscore_alias_and_long_flags(users: Env) -> None:
    user = users.user("A", "V")
    users.ok("revocations", "add_user", "--name", "V", "--account", "A")
    assert set(_revocations(users)) == {user.sub}


def test_name_ignores_case(users: Env) -> None:
    users.ok("revocations", "add-user", "-n", "u")
    assert set(_revocations(users)) == {users.user("A", "U").sub}


def test_by_public_key_of_an_unknown_user(users: Env) -> None:
    result = users.ok("revocations", "add-user", "-u", OTHER_KEY)
    assert f'revoked user "{OTHER_KEY}"' in result.stderr
    assert set(_revocations(users)) == {OTHER_KEY}


def test_all_users(users: Env) -> None:
    result = users.ok("revocations", "add-user", "--user-public-key", "*", "--at", "1000")
    assert result.stderr.splitlines() == [
        "[ OK ] revoked all users issued before 1970-01-01 00:16:40 +0000 UTC"
    ]
    assert _revocations(users) == {"*": 1000}


def test_all_users_now_revokes_every_existing_user(users: Env) -> None:
    users.ok("revocations", "add-user", "-u", "*")
    account = users.account("A")
    for name in ("U", "V"):
        user = users.user("A", name)
        assert account.is_revoked(user.sub, user.iat)


def test_default_user_is_the_only_one(env: Env) -> None:
    env.add_account("A")
    user = env.add_user("A", "U")
    env.ok("revocations", "add-user")
    assert set(_revocations(env)) == {user.public_key}


def test_no_default_user_with_several(users: Env) -> None:
    assert users.fails("revocations", "add-user") == "no default user available for account A"


def test_no_default_user_without_users(env: Env) -> None:
    env.add_account("A")
    assert env.fails("revocations", "add-user") == "no default user available for account A"


def test_name_and_key_are_mutually_exclusive(users: Env) -> None:
    message = users.fails(
        "revocations", "add-user", "--name", "a", "--user-public-key", OTHER_KEY, exit_code=2
    )
    assert message == "user and user-public-key are mutually exclusive"


def test_bad_at(users: Env) -> None:
    message = users.fails("revocations", "add-user", "-u", "*", "--at", "hello", exit_code=2)
    assert 'provided value "hello" is not a number nor parsable as RFC3339' in message


def test_at_1000_does_not_revoke_a_newer_jwt(users: Env) -> None:
    user = users.user("A", "U")
    users.ok("revocations", "add-user", "-n", "U", "--at", "1000")
    account = users.account("A")
    assert account.nats.revocations == {user.sub: 1000}
    assert not account.is_revoked(user.sub, user.iat)
    assert account.is_revoked(user.sub, 999)


def test_at_now_revokes(users: Env) -> None:
    user = users.user("A", "U")
    now = int(time.time())
    users.ok("revocations", "add-user", "-n", "U", "--at", str(now))
    account = users.account("A")
    assert account.nats.revocations == {user.sub: now}
    assert account.is_revoked(user.sub, user.iat)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-01-02T03:04:05Z", 1577934245),
        ("2020-01-02T03:04:05+01:00", 1577934245 - 3600),
        ("1577934245", 1577934245),
    ],
)
def test_at_formats(users: Env, value: str, expected: int) -> None:
    users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", value)
    assert _revocations(users) == {OTHER_KEY: expected}


def test_at_zero_is_now(users: Env) -> None:
    before = int(time.time())
    users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", "0")
    assert before <= _revocations(users)[OTHER_KEY] <= int(time.time())


def test_never_lowers_an_existing_time(users: Env) -> None:
    users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", "5000")
    result = users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", "1000")
    assert _revocations(users) == {OTHER_KEY: 5000}
    assert "[WARN] kept the existing later revocation time" in result.stderr
    users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", "9000")
    assert _revocations(users) == {OTHER_KEY: 9000}


def test_revoking_twice_keeps_one_entry(users: Env) -> None:
    users.ok("revocations", "add-user", "-n", "U")
    users.ok("revocations", "add-user", "-n", "U")
    assert len(_revocations(users)) == 1


def test_unknown_name(users: Env) -> None:
    assert "not found" in users.fails("revocations", "add-user", "-n", "nobody")


def test_invalid_public_key(users: Env) -> None:
    account_key = keys.generate("account").public_key
    message = users.fails("revocations", "add-user", "-u", account_key)
    assert message == f'{account_key} is not a valid "user" public key'


def test_account_by_public_key_leaves_others_alone(users: Env) -> None:
    b = users.add_account("B")
    users.add_user("B", "U")
    users.ok("revocations", "add-user", "-n", "U", "-a", b.public_key)
    assert set(_revocations(users, "B")) == {users.user("B", "U").sub}
    assert _revocations(users, "A") == {}


def test_unknown_account(users: Env) -> None:
    assert "not in accounts" in users.fails("revocations", "add-user", "-a", "Z", "-u", "*")


def test_other_user_files_are_not_read(users: Env) -> None:
    # a user found by name needs only its own file: a broken neighbour does not matter
    path = users.store.dir / "accounts" / "A" / "users" / "V.jwt"
    path.write_text("not a jwt")
    users.ok("revocations", "add-user", "-n", "U")
    users.ok("revocations", "add-user", "-u", OTHER_KEY)
    assert set(_revocations(users)) == {users.user("A", "U").sub, OTHER_KEY}


def test_keeps_the_rest_of_the_account(users: Env) -> None:
    users.add_export("A", "foo.>", private=True)
    users.edit_account("A", lambda claims: claims.nats.tags.append("blue"))
    before = users.account("A").to_dict()["nats"]
    users.ok("revocations", "add-user", "-n", "U")
    after = users.account("A").to_dict()["nats"]
    after.pop("revocations")
    assert after == before


def test_signed_by_the_current_issuer(users: Env) -> None:
    key = users.add_operator_signing_key()
    users.edit_account("A", lambda claims: None, signer=key)
    users.ok("revocations", "add-user", "-n", "U")
    assert users.account("A").iss == key.public_key


def test_with_explicit_signer(users: Env) -> None:
    key = users.add_operator_signing_key()
    users.ok("revocations", "add-user", "-n", "U", "-K", key.public_key)
    assert users.account("A").iss == key.public_key


def test_without_an_operator_key(users: Env) -> None:
    users.keystore.remove(users.operator.public_key)
    message = users.fails("revocations", "add-user", "-n", "U")
    assert "unable to resolve any of the following signing keys" in message


def test_json(users: Env) -> None:
    user = users.user("A", "U")
    payload = users.json("revocations", "add-user", "-n", "U", "--at", "1000")
    assert payload["messages"] == [{"level": "ok", "text": f'revoked user "{user.sub}"'}]
    data = payload["data"]
    assert {k: data[k] for k in ("account", "public_key", "name", "at")} == {
        "account": "A", "public_key": user.sub, "name": "U", "at": 1000,
    }  # fmt: skip
    assert data["jwt"] == users.account_token("A")
    assert_valid_account(data["jwt"])


def test_json_failure(users: Env) -> None:
    result = users.run("revocations", "add-user", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"][0]["text"] == "no default user available for account A"


# delete-user ------------------------------------------------------------------------------------


def test_delete_by_name(users: Env) -> None:
    user = users.user("A", "U")
    users.ok("revocations", "add-user", "-n", "U")
    users.ok("revocations", "add-user", "-n", "V")
    result = users.ok("revocations", "delete-user", "-n", "U")
    assert result.stderr.splitlines() == [f'[ OK ] deleted user revocation for "{user.sub}"']
    assert set(_revocations(users)) == {users.user("A", "V").sub}
    assert_valid_account(users.account_token("A"))


def test_delete_default_user_and_alias(env: Env) -> None:
    env.add_account("A")
    env.add_user("A", "U")
    env.ok("revocations", "add-user")
    env.ok("revocations", "delete_user")
    assert _revocations(env) == {}


def test_delete_all(users: Env) -> None:
    users.ok("revocations", "add-user", "-u", "*")
    result = users.ok("revocations", "delete-user", "-u", "*")
    assert result.stderr.splitlines() == ["[ OK ] deleted all user revocation"]
    assert _revocations(users) == {}


def test_delete_star_not_revoked(users: Env) -> None:
    users.ok("revocations", "add-user", "-n", "U")
    message = users.fails("revocations", "delete-user", "-u", "*")
    assert message == "user with public key * is not revoked"


def test_delete_without_any_revocation(users: Env) -> None:
    message = users.fails("revocations", "delete-user", "-u", "*")
    assert message.startswith("user with public key * is not revoked")
    assert "no user revocations set in account A" in message


def test_delete_not_revoked_user(users: Env) -> None:
    users.ok("revocations", "add-user", "-n", "U")
    key = users.user("A", "V").sub
    assert users.fails("revocations", "delete-user", "-n", "V") == (
        f"user with public key {key} is not revoked"
    )


def test_delete_mutually_exclusive(users: Env) -> None:
    message = users.fails("revocations", "delete-user", "-n", "U", "-u", OTHER_KEY, exit_code=2)
    assert message == "user and user-public-key are mutually exclusive"


def test_delete_json(users: Env) -> None:
    users.ok("revocations", "add-user", "-u", OTHER_KEY)
    payload = users.json("revocations", "delete-user", "-u", OTHER_KEY)
    assert payload["data"]["public_key"] == OTHER_KEY
    assert assert_valid_account(payload["data"]["jwt"]).nats.revocations == {}


# list-users -------------------------------------------------------------------------------------


def test_list(users: Env) -> None:
    user = users.user("A", "U")
    users.ok("revocations", "add-user", "-n", "U", "--at", "1000")
    users.ok("revocations", "add-user", "-u", "*", "--at", "86400")
    users.ok("revocations", "add-user", "-u", OTHER_KEY, "--at", "1700000000")
    result = users.ok("revocations", "list-users")
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "Revoked Users for A" in lines[1]
    assert lines[3].split("|")[1:4] == [
        " Public Key" + " " * 47, " User ", " Revoke Credentials Before     ",
    ]  # fmt: skip
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[5:-1]]
    expected = [
        ["* [All Users]", "", "Fri, 02 Jan 1970 00:00:00 UTC"],
        [OTHER_KEY, "", "Tue, 14 Nov 2023 22:13:20 UTC"],
        [user.sub, "U", "Thu, 01 Jan 1970 00:16:40 UTC"],
    ]
    assert sorted(rows) == sorted(expected)


def test_list_alias_and_json(users: Env) -> None:
    user = users.user("A", "U")
    users.ok("revocations", "add-user", "-n", "U", "--at", "1000")
    payload = users.json("revocations", "list_users", "-a", "A")
    assert payload["data"] == {
        "account": "A",
        "revocations": [{"public_key": user.sub, "name": "U", "at": 1000}],
    }


def test_list_without_revocations(users: Env) -> None:
    assert users.fails("revocations", "list-users") == "account A does not have revoked users"
