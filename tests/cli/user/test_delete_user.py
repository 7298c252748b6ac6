"""``pynsc delete user``: names, -R/--revoke, -D/--rm-nkey, -C/--rm-creds, JSON, failures."""

from __future__ import annotations

import pytest

from pynsc import claims as c
from tests.cli.user.conftest import Env


@pytest.fixture
def users_env(env: Env) -> Env:
    env.add_user("A", "U")
    env.add_user("A", "V")
    env.add_user("A", "W")
    return env


def test_delete_keeps_key_and_creds(users_env: Env) -> None:
    key = users_env.user("A", "U").sub
    result = users_env.ok("delete", "user", "U")
    assert users_env.store.user_names("A") == ["V", "W"]
    assert users_env.keystore.get(key) is not None
    assert users_env.creds_path("A", "U").exists()
    assert f"[ OK ] user U [{key}]:" in result.stderr
    assert "[ OK ] user deleted" in result.stderr
    assert users_env.store.account("A").nats.revocations == {}


@pytest.mark.parametrize("args", [("-n", "U,V"), ("-n", "U", "--name", "V"), ("U", "-n", "V")])
def test_several(users_env: Env, args: tuple[str, ...]) -> None:
    users_env.ok("delete", "user", *args)
    assert users_env.store.user_names("A") == ["W"]


def test_rm_nkey_and_creds(users_env: Env) -> None:
    key = users_env.user("A", "U").sub
    result = users_env.ok("delete", "user", "U", "-D", "-C")
    assert users_env.keystore.get(key) is None
    assert not users_env.creds_path("A", "U").exists()
    assert "deleted private key" in result.stderr
    assert "removed creds file" in result.stderr
    result = users_env.ok("delete", "user", "V", "--rm-nkey", "--rm-creds")
    assert "[ OK ] deleted private key" in result.stderr


def test_rm_when_not_stored(env: Env) -> None:
    env.add_user("A", "U", store_key=False)
    result = env.ok("delete", "user", "U", "-D", "-C")
    assert "private key is not stored" in result.stderr
    assert "creds file is not stored" in result.stderr


def test_revoke(users_env: Env) -> None:
    u, v = users_env.user("A", "U").sub, users_env.user("A", "V").sub
    result = users_env.ok("delete", "user", "-n", "U,V", "--revoke")
    account = users_env.store.account("A")
    assert set(account.nats.revocations) == {u, v}
    assert not c.validate(account).is_blocking(True)
    assert account.iss == users_env.operator.public_key
    assert "[ OK ] revoked user" in result.stderr
    assert result.stderr.splitlines()[-1] == '[ OK ] edited account "A"'


def test_revoke_already_revoked(users_env: Env) -> None:
    u = users_env.user("A", "U").sub
    users_env.edit_account("A", lambda a: a.nats.revocations.update({u: 5}))
    result = users_env.ok("delete", "user", "U", "-R")
    assert "user is already revoked" in result.stderr
    assert users_env.store.account("A").nats.revocations == {u: 5}
    assert "edited account" not in result.stderr


def test_revoke_without_operator_key_changes_nothing(users_env: Env) -> None:
    users_env.keystore.remove(users_env.operator.public_key)
    assert users_env.fails("delete", "user", "U", "-R").startswith("unable to resolve")
    assert users_env.store.has_user("A", "U")


def test_unknown_user_changes_nothing(users_env: Env) -> None:
    message = users_env.fails("delete", "user", "-n", "U,NO", "-D", "-C")
    assert message == 'user "NO" not found in account "A"'


def test_name_required(users_env: Env) -> None:
    assert "please specify a user to delete" in users_env.fails("delete", "user", exit_code=2)


def test_account_flag(env: Env) -> None:
    env.add_account("B")
    env.add_user("B", "U")
    env.ok("delete", "user", "U", "-a", "B")
    assert env.store.user_names("B") == []


def test_json(users_env: Env) -> None:
    u = users_env.user("A", "U").sub
    payload = users_env.json("delete", "user", "U", "-R")
    assert payload["data"] == {
        "account": "A", "deleted": [{"name": "U", "public_key": u}], "revoked": [u],
    }  # fmt: skip
    assert payload["messages"][0]["text"] == f"user U [{u}]"
    assert payload["messages"][-1]["text"] == 'edited account "A"'
