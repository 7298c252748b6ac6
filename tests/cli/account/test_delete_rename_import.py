"""``pynsc delete account`` (§5.3 #36, local part), ``rename account`` (#50), ``import account``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import decorate_jwt
from pynsc.store import Store, StoreInfo, ops
from tests.cli.account.conftest import Env, assert_valid_jwt, error_line

# delete account --------------------------------------------------------------------------------


def test_delete_unknown(env: Env) -> None:  # 5.3 #36
    env.add_account("A")
    before = env.digest()
    assert error_line(env.run("delete", "account", "B")).startswith(
        '"B" not in accounts for operator "O"'
    )
    assert env.digest() == before


def test_delete_with_users(env: Env) -> None:
    account = env.add_account("A")
    env.add_account("B")
    u1 = env.add_user("A", "u1")
    u2 = env.add_user("A", "u2")
    creds = env.keystore.creds_path("O", "A", "u1")
    assert creds.is_file()
    payload = env.json("delete", "account", "A")
    assert not (env.store.dir / "accounts" / "A").exists()
    assert env.store.account_names() == ["B"]
    texts = [m["text"] for m in payload["messages"]]
    assert texts == [
        f"user u1 [{u1.public_key}]",
        f"user u2 [{u2.public_key}]",
        'expired account "A"',
        "deleted account",
        "deleted account directory",
    ]
    assert [m["text"] for m in payload["messages"][0]["messages"]] == [
        "revoked user", "user deleted",
    ]
    data = payload["data"]
    assert data["revoked_users"] == [u1.public_key, u2.public_key]
    expiring: c.AccountClaims = c.decode(data["jwt"], c.AccountClaims)
    assert expiring.sub == account.public_key
    assert set(expiring.nats.revocations) == {u1.public_key, u2.public_key}
    assert 0 < expiring.exp - time.time() <= 61
    # keys and creds stay unless asked
    assert env.keystore.has(account.public_key)
    assert env.keystore.has(u1.public_key)
    assert creds.is_file()


def test_delete_text_output(env: Env) -> None:
    env.add_account("A")
    user = env.add_user("A", "u")
    result = env.ok("delete", "account", "-n", "A", "--no-revoke", "-D", "-C")
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:5] == [
        f"[ OK ] user u [{user.public_key}]:",
        "       [ OK ] user deleted",
        "       [ OK ] deleted private key",
        "       [ OK ] removed creds file",
        '[ OK ] expired account "A"',
    ]


def test_delete_removes_keys_and_creds(env: Env) -> None:
    account = env.add_account("A")
    signing = keys.generate("account")
    env.keystore.store(signing)
    claims = env.account("A")
    claims.nats.signing_keys[signing.public_key] = None
    env.store.write_account("A", c.encode(claims, env.operator))
    user = env.add_user("A", "u")
    creds = env.keystore.creds_path("O", "A", "u")
    payload = env.json("delete", "account", "A", "--rm-nkey", "--rm-creds")
    for key in (account.public_key, signing.public_key, user.public_key):
        assert not env.keystore.has(key)
    assert not creds.exists()
    assert not creds.parent.exists()
    assert payload["data"]["revoked_users"] == [user.public_key]


def test_delete_revoke_false(env: Env) -> None:
    env.add_account("A")
    env.add_user("A", "u")
    payload = env.json("delete", "account", "A", "--revoke=false")
    assert payload["data"]["revoked_users"] == []
    assert c.decode(payload["data"]["jwt"], c.AccountClaims).nats.revocations == {}


def test_delete_already_revoked(env: Env) -> None:
    env.add_account("A")
    user = env.add_user("A", "u")
    claims = env.account("A")
    claims.nats.revocations[user.public_key] = 5
    env.store.write_account("A", c.encode(claims, env.operator))
    payload = env.json("delete", "account", "A")
    assert payload["messages"][0]["messages"][0]["text"] == "user is already revoked"
    assert payload["data"]["revoked_users"] == []


def test_delete_managed_needs_force(env: Env) -> None:  # 5.3 #36
    env.add_account("A")
    info = env.store.dir / ".nsc"
    info.write_text(StoreInfo("O", managed=True).to_json())
    before = env.digest()
    line = error_line(env.run("delete", "account", "A"))
    assert line == (
        "managed accounts may require the account JWT or nkeys to cancel a service, "
        "specify the --force to override"
    )
    assert env.digest() == before
    payload = env.json("delete", "account", "A", "--force")
    assert payload["data"]["revoked_users"] == []
    assert env.store.account_names() == []


def test_delete_without_signer_changes_nothing(env: Env) -> None:
    env.add_account("A")
    env.add_user("A", "u")
    env.keystore.remove(env.operator.public_key)
    before = env.digest()
    assert "unable to resolve" in error_line(env.run("delete", "account", "A"))
    assert env.digest() == before


def test_delete_system_account_warns(env: Env) -> None:
    env.add_account("SYS")
    env.set_system_account("SYS")
    result = env.ok("delete", "account", "SYS")
    assert '[WARN] "SYS" is the system account of operator "O"' in result.stderr


# rename account --------------------------------------------------------------------------------


def test_rename_needs_ok(env: Env) -> None:  # 5.3 #50
    env.add_account("A")
    before = env.digest()
    result = env.run("rename", "account", "A", "B")
    assert result.exit_code == 2
    assert error_line(result) == 'required flag "OK" not set'
    assert "Please backup the following directories" in result.stderr
    assert env.digest() == before


def test_rename(env: Env) -> None:  # 5.3 #50
    account = env.add_account("A")
    user = env.add_user("A", "u")
    user_token = env.store.user_token("A", "u")
    env.ok("rename", "account", "A", "B", "--OK")
    assert env.store.account_names() == ["B"]
    claims: c.AccountClaims = assert_valid_jwt(env.store.account_token("B"))
    assert (claims.name, claims.sub) == ("B", account.public_key)
    assert env.store.user_names("B") == ["u"]
    assert env.store.user_token("B", "u") == user_token
    assert not (env.store.dir / "accounts" / "A").exists()
    assert not (env.store.dir / "accounts" / "B" / "A.jwt").exists()
    creds = env.keystore.creds_path("O", "B", "u")
    assert c.decode_creds(creds.read_text())[0].sub == user.public_key
    assert not env.keystore.creds_path("O", "A", "u").exists()


def test_rename_current_account_updates_config(env: Env) -> None:
    env.ok("add", "account", "A")
    assert env.config().account == "A"
    env.ok("rename", "account", "A", "Z", "--OK")
    assert env.config().account == "Z"


def test_rename_refusals(env: Env) -> None:
    env.add_account("A")
    env.add_account("B")
    before = env.digest()
    assert error_line(env.run("rename", "account", "A", "b", "--OK")) == (
        'account "b" already exists'
    )
    assert error_line(env.run("rename", "account", "X", "Y", "--OK")).startswith(
        '"X" not in accounts'
    )
    assert error_line(env.run("rename", "account", "A", "C/D", "--OK")) == (
        "name cannot contain '/' or '\\'"
    )
    assert env.digest() == before


# import account --------------------------------------------------------------------------------


def _foreign_account(name: str, signer: keys.KeyPair | None = None) -> tuple[keys.KeyPair, str]:
    account = keys.generate("account")
    claims = c.AccountClaims(sub=account.public_key, name=name)
    return account, c.encode(claims, signer or account)


def test_import_self_signed_is_resigned(env: Env, tmp_path: Path) -> None:
    account, token = _foreign_account("X")
    path = tmp_path / "x.jwt"
    path.write_text(decorate_jwt(token, "account"))
    result = env.ok("import", "account", "--file", str(path))
    assert "account X was successfully imported" in result.stderr
    claims: c.AccountClaims = assert_valid_jwt(env.store.account_token("X"))
    assert (claims.sub, claims.iss) == (account.public_key, env.operator.public_key)


def test_import_same_operator_is_kept_byte_for_byte(env: Env, tmp_path: Path) -> None:
    _, token = _foreign_account("X", env.operator)
    path = tmp_path / "x.jwt"
    path.write_text(token)
    env.ok("import", "account", "-j", str(path))
    assert env.store.account_token("X") == token


def test_import_other_operator_needs_force(env: Env, tmp_path: Path) -> None:
    other = keys.generate("operator")
    _, token = _foreign_account("X", other)
    path = tmp_path / "x.jwt"
    path.write_text(token)
    before = env.digest()
    assert error_line(env.run("import", "account", "-j", str(path))).startswith(
        "can only import account signed by same operator"
    )
    assert env.digest() == before
    env.ok("import", "account", "-j", str(path), "--force")
    assert env.store.account("X").iss == env.operator.public_key


def test_import_collisions(env: Env, tmp_path: Path) -> None:
    existing = env.add_account("X")
    _, token = _foreign_account("X")
    path = tmp_path / "x.jwt"
    path.write_text(token)
    before = env.digest()
    assert "overwrite with --overwrite" in error_line(env.run("import", "account", "-j", str(path)))
    assert "name collision" in error_line(
        env.run("import", "account", "-j", str(path), "--overwrite")
    )
    assert env.digest() == before
    # the same account (same key) may be overwritten
    claims = c.AccountClaims(sub=existing.public_key, name="X")
    claims.nats.tags.append("new")
    path.write_text(c.encode(claims, existing))
    env.ok("import", "account", "-j", str(path), "--overwrite")
    assert env.store.account("X").nats.tags == ["new"]


def test_import_bad_inputs(env: Env, tmp_path: Path) -> None:
    before = env.digest()
    other = tmp_path / "x.txt"
    other.write_text("x")
    assert "expected these file endings" in error_line(
        env.run("import", "account", "-j", str(other))
    )
    assert "does not exist" in error_line(
        env.run("import", "account", "-j", str(tmp_path / "missing.jwt"))
    )
    user = keys.generate("user")
    account = keys.generate("account")
    wrong = tmp_path / "user.jwt"
    wrong.write_text(c.encode(c.UserClaims(sub=user.public_key, name="u"), account))
    assert "expected account claims" in error_line(env.run("import", "account", "-j", str(wrong)))
    assert env.run("import", "account").exit_code == 2
    assert env.digest() == before


def test_import_expired_needs_skip(env: Env, tmp_path: Path) -> None:
    account = keys.generate("account")
    claims = c.AccountClaims(sub=account.public_key, name="X", exp=1000)
    path = tmp_path / "x.jwt"
    path.write_text(c.encode(claims, env.operator))
    before = env.digest()
    assert "validation issues" in error_line(env.run("import", "account", "-j", str(path)))
    assert env.digest() == before
    result = env.ok("import", "account", "-j", str(path), "--skip")
    assert "[WARN]" in result.stderr


def test_import_managed_refuses_self_signed(env: Env, tmp_path: Path) -> None:
    (env.store.dir / ".nsc").write_text(StoreInfo("O", managed=True).to_json())
    _, token = _foreign_account("X")
    path = tmp_path / "x.jwt"
    path.write_text(token)
    assert error_line(env.run("import", "account", "-j", str(path))) == (
        "only a non managed store can import a self signed account"
    )


@pytest.mark.parametrize("strict", [False, True])
def test_import_signed_by_operator_signing_key(env: Env, tmp_path: Path, strict: bool) -> None:
    signing = keys.generate("operator")
    operator = env.store.operator()
    operator.nats.signing_keys.append(signing.public_key)
    operator.nats.strict_signing_key_usage = strict
    ops.save_operator(env.store, operator, env.operator)
    _, token = _foreign_account("X", signing)
    path = tmp_path / "x.jwt"
    path.write_text(token)
    env.ok("import", "account", "-j", str(path))
    assert env.store.account_token("X") == token
    assert isinstance(env.store, Store)
